import { isDeepStrictEqual } from 'node:util';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../adapters/dynamodb-client';
import { classifyLead, diffClassification, type ScoringConfig } from '../domain/classification';
import { defaultNurtureConfig } from '../domain/nurture';
import { optInRetentionDays } from '../config/retention';
import type { Classification } from '../domain/lead';
import { LeadProductQualified, LeadQualified, LeadStageChanged } from '../events/lead-events';
import { scheduleFor, type NurtureFields } from '../nurture/nurture-schedule';
import type { LeadItem } from '../storage/lead-item';
import { loadLeadPartition, type LeadPartition } from '../storage/lead-partition';
import { outboxEventItem } from '../storage/outbox-event-item';
import { keys } from '../storage/table-design';
import { leadSummary } from './lead-summary';

export type ReclassifyOutcome =
  | { kind: 'no-lead' }
  | { kind: 'unchanged' }
  | { kind: 'updated'; changes: number; becameMql: boolean; becamePql: boolean; attempts: number };

const MAX_ATTEMPTS = 50;

/**
 * Recomputes a lead's classification from the full set of its stored interactions and writes it
 * with optimistic locking on the lead's version. Every writer bumps the version, so a classification
 * computed from a stale read is rejected and recomputed: concurrent, duplicated and out-of-order
 * events all converge on the classification of the complete set, and each transition's event is
 * written exactly once, in the same transaction as the transition.
 */
export async function reclassifyLead(tableName: string, leadId: string, at: string, config: ScoringConfig, preloaded?: LeadPartition): Promise<ReclassifyOutcome> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
    // A caller that has just read the lead passes it in; after a conflict the lead is read again.
    const { lead, interactions } = attempt === 1 && preloaded ? preloaded : await loadLeadPartition(tableName, leadId);
    if (!lead) return { kind: 'no-lead' };
    const classification = classifyLead({
      lead: { email: lead.email, company: lead.company, lifecycle: lead.lifecycle, pql: lead.pql ?? false, engagementResetAt: lead.engagementResetAt, profileKnownAt: lead.createdAt },
      interactions,
      config,
      now: at,
    });
    const nurture = scheduleFor({ ...lead, ...classification }, interactions, at, { nurture: defaultNurtureConfig, scoring: config, retentionDays: optInRetentionDays });
    if (isUnchanged(lead, classification, nurture.nurtureDueAt)) return { kind: 'unchanged' };
    const diff = diffClassification(
      { lifecycle: lead.lifecycle, qualification: lead.qualification ?? 'unqualified', funnelStage: lead.funnelStage ?? null, pql: lead.pql ?? false },
      classification,
    );
    const qualificationSeq = (lead.qualificationSeq ?? 0) + (diff.becameMql ? 1 : 0);
    const version = lead.version;
    const summary = leadSummary(lead, classification);
    const events = [
      ...diff.changes.map((change) =>
        outboxEventItem(tableName, leadId, `stage#${version}#${change.field}`, LeadStageChanged, { leadId, field: change.field, from: change.from, to: change.to, at }, at),
      ),
      ...(diff.becameMql ? [outboxEventItem(tableName, leadId, `qualified#${qualificationSeq}`, LeadQualified, { qualificationSeq, at, lead: summary }, at)] : []),
      ...(diff.becamePql ? [outboxEventItem(tableName, leadId, 'product-qualified', LeadProductQualified, { qualificationSeq, at, lead: summary }, at)] : []),
    ];
    try {
      await documentClient.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: tableName,
                Key: keys.lead(leadId),
                ...leadUpdate(classification, nurture, { at, version, qualificationSeq, becameMql: diff.becameMql, becamePql: diff.becamePql }),
              },
            },
            ...events,
          ],
        }),
      );
      return { kind: 'updated', changes: diff.changes.length, becameMql: diff.becameMql, becamePql: diff.becamePql, attempts: attempt };
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      // The lead changed since we read it: read again and recompute.
    }
  }
  throw new Error(`Lead ${leadId} could not be classified after ${MAX_ATTEMPTS} conflicting attempts`);
}

function isUnchanged(lead: LeadItem, c: Classification, nurtureDueAt: string | null): boolean {
  return (
    lead.lifecycle === c.lifecycle &&
    lead.qualification === c.qualification &&
    (lead.funnelStage ?? null) === c.funnelStage &&
    (lead.pql ?? false) === c.pql &&
    lead.score === c.score &&
    lead.fitScore === c.fitScore &&
    lead.engagementScore === c.engagementScore &&
    // Deep comparison, not JSON text: DynamoDB returns map keys in its own order.
    isDeepStrictEqual(lead.scoreExplanation ?? [], c.scoreExplanation) &&
    isDeepStrictEqual(lead.interactionPoints ?? {}, c.interactionPoints) &&
    (lead.nurtureDueAt ?? null) === nurtureDueAt
  );
}

function leadUpdate(
  c: Classification,
  nurture: NurtureFields,
  meta: { at: string; version: number; qualificationSeq: number; becameMql: boolean; becamePql: boolean },
) {
  const values: Record<string, unknown> = {
    ':lifecycle': c.lifecycle,
    ':qualification': c.qualification,
    ':funnelStage': c.funnelStage,
    ':pql': c.pql,
    ':score': c.score,
    ':fitScore': c.fitScore,
    ':engagementScore': c.engagementScore,
    ':scoreExplanation': c.scoreExplanation,
    ':interactionPoints': c.interactionPoints,
    ':at': meta.at,
    ':qualificationSeq': meta.qualificationSeq,
    ':version': meta.version,
    ':one': 1,
  };
  const sets = [
    'lifecycle = :lifecycle',
    'qualification = :qualification',
    'funnelStage = :funnelStage',
    'pql = :pql',
    'score = :score',
    'fitScore = :fitScore',
    'engagementScore = :engagementScore',
    'scoreExplanation = :scoreExplanation',
    'interactionPoints = :interactionPoints',
    'classifiedAt = :at',
    'qualificationSeq = :qualificationSeq',
  ];
  const removes: string[] = [];
  if (meta.becameMql) sets.push('mqlAt = :at');
  if (meta.becamePql) sets.push('pqlAt = :at');
  if (nurture.nurture) {
    sets.push('nurture = :nurture');
    values[':nurture'] = nurture.nurture;
  }
  if (nurture.nurtureDueAt && nurture.dueShard) {
    sets.push('nurtureDueAt = :dueAt', 'dueShard = :dueShard');
    values[':dueAt'] = nurture.nurtureDueAt;
    values[':dueShard'] = nurture.dueShard;
  } else {
    removes.push('nurtureDueAt', 'dueShard');
  }
  return {
    UpdateExpression: `SET ${sets.join(', ')} ${removes.length ? `REMOVE ${removes.join(', ')} ` : ''}ADD #version :one`,
    ConditionExpression: '#version = :version',
    ExpressionAttributeNames: { '#version': 'version' },
    ExpressionAttributeValues: values,
  };
}
