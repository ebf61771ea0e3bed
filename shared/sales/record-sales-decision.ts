import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../adapters/dynamodb-client';
import { reclassifyLead } from '../classification/reclassify-lead';
import { leadSummary } from '../classification/lead-summary';
import { classifyLead, type ScoringConfig } from '../domain/classification';
import type { Classification, Interaction } from '../domain/lead';
import { recycleResumeAt, type NurtureConfig } from '../domain/nurture';
import { decisionLinkState, type DecisionLink, type RecycleReason, type SalesDecision } from '../domain/sales-decision';
import { LeadAccepted, LeadRecycled, LeadStageChanged } from '../events/lead-events';
import type { LeadItem } from '../storage/lead-item';
import { loadLeadPartition } from '../storage/lead-partition';
import { getLead } from '../storage/lead-store';
import { outboxEventItem } from '../storage/outbox-event-item';
import { keys } from '../storage/table-design';

export type DecisionOutcome =
  | { applied: true; decision: SalesDecision }
  | { applied: false; state: 'decided' | 'not-qualified' | 'no-lead'; decision: SalesDecision | null; lifecycle?: string };

export interface DecisionInput {
  leadId: string;
  link: DecisionLink;
  decision: 'accepted' | 'recycled';
  reason?: RecycleReason;
  by: string;
  at: string;
}

/** Peeks at whether a decision link can still act, for the confirmation page of a GET. */
export async function decisionStatus(tableName: string, leadId: string, link: DecisionLink) {
  const lead = await getLead(tableName, leadId);
  if (!lead) return { state: 'no-lead' as const, decision: null };
  return { state: decisionLinkState(lead, link), decision: (lead.salesDecision as SalesDecision | undefined) ?? null, lead };
}

/**
 * Accept makes the lead an SQL; recycle sends it back to warm with its engagement reset and nurture
 * paused for the cool-off. Guarded by the lead's version, with the events in the same transaction.
 */
export async function recordSalesDecision(tableName: string, input: DecisionInput, config: { scoring: ScoringConfig; nurture: NurtureConfig }): Promise<DecisionOutcome> {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    // A recycle needs the interactions too: its event tells subscribers the score after the reset.
    const { lead, interactions } = input.decision === 'recycled' ? await loadLeadPartition(tableName, input.leadId) : { lead: await getLead(tableName, input.leadId), interactions: [] };
    if (!lead) return { applied: false, state: 'no-lead', decision: null };
    const state = decisionLinkState(lead, input.link);
    if (state !== 'open') return { applied: false, state, decision: (lead.salesDecision as SalesDecision | undefined) ?? null, lifecycle: lead.lifecycle };
    const decision: SalesDecision = { decision: input.decision, ...(input.reason ? { reason: input.reason } : {}), at: input.at, by: input.by, kind: input.link.kind, seq: input.link.seq };
    const after = decision.decision === 'recycled' ? classificationAfterRecycle(lead, interactions, decision.at, config.scoring) : undefined;
    try {
      await documentClient.send(new TransactWriteCommand({ TransactItems: decisionWrites(tableName, lead, decision, config.nurture, after) }));
    } catch (error) {
      if (error instanceof TransactionCanceledException) continue;
      throw error;
    }
    // The reset engagement changes score and qualification: let classification recompute them.
    if (decision.decision === 'recycled') await reclassifyLead(tableName, input.leadId, input.at, config.scoring);
    return { applied: true, decision };
  }
  throw new Error('Sales decision kept conflicting with concurrent writes');
}

/**
 * The lead's classification once the recycle has reset its engagement, as the reclassification that
 * follows the decision will store it; the lifecycle is the one the decision writes.
 */
function classificationAfterRecycle(lead: LeadItem, interactions: readonly Interaction[], at: string, scoring: ScoringConfig): Classification {
  const classification = classifyLead({
    lead: { email: lead.email, company: lead.company, lifecycle: 'warm', pql: lead.pql ?? false, engagementResetAt: at, profileKnownAt: lead.createdAt },
    interactions,
    config: scoring,
    now: at,
  });
  return { ...classification, lifecycle: 'warm' };
}

function decisionWrites(tableName: string, lead: LeadItem, decision: SalesDecision, nurtureConfig: NurtureConfig, classification?: Classification) {
  const { leadId, version } = lead;
  const to = decision.decision === 'accepted' ? 'sql' : 'warm';
  const summary = { ...leadSummary(lead, classification), lifecycle: to } as const;
  const eventKey = `decision#${decision.kind}#${decision.seq}`;
  const stageChange = outboxEventItem(tableName, leadId, `${eventKey}#stage`, LeadStageChanged, { leadId, field: 'lifecycle', from: lead.lifecycle, to, at: decision.at }, decision.at);
  if (decision.decision === 'accepted') {
    return [
      {
        Update: {
          TableName: tableName,
          Key: keys.lead(leadId),
          UpdateExpression: 'SET lifecycle = :sql, salesDecision = :decision, updatedAt = :at REMOVE nurtureDueAt, dueShard ADD #version :one',
          ConditionExpression: '#version = :version',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':sql': 'sql', ':decision': decision, ':at': decision.at, ':version': version, ':one': 1 },
        },
      },
      outboxEventItem(tableName, leadId, eventKey, LeadAccepted, { at: decision.at, decidedBy: decision.by, lead: summary }, decision.at),
      ...(lead.lifecycle === 'sql' ? [] : [stageChange]),
    ];
  }
  const nurtureResumesAt = recycleResumeAt(decision.at, nurtureConfig);
  // Nurture starts its stage's track again once the cool-off is over.
  const nurture = lead.funnelStage ? { track: lead.funnelStage, nextStep: 0, enteredAt: decision.at, ...(lead.nurture?.lastSentAt ? { lastSentAt: lead.nurture.lastSentAt } : {}) } : lead.nurture;
  return [
    {
      Update: {
        TableName: tableName,
        Key: keys.lead(leadId),
        UpdateExpression: `SET lifecycle = :warm, salesDecision = :decision, engagementResetAt = :at, nurtureResumeAt = :resume, updatedAt = :at${nurture ? ', nurture = :nurture' : ''} ADD #version :one`,
        ConditionExpression: '#version = :version',
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: { ':warm': 'warm', ':decision': decision, ':at': decision.at, ':resume': nurtureResumesAt, ':version': version, ':one': 1, ...(nurture ? { ':nurture': nurture } : {}) },
      },
    },
    outboxEventItem(tableName, leadId, eventKey, LeadRecycled, { at: decision.at, decidedBy: decision.by, reason: decision.reason ?? 'other', nurtureResumesAt, lead: summary }, decision.at),
    ...(lead.lifecycle === 'warm' ? [] : [stageChange]),
  ];
}
