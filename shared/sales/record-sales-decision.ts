import { leadSummary } from '../classification/lead-summary';
import { classifyLead, type ScoringConfig } from '../domain/classification';
import type { Classification, Interaction } from '../domain/lead';
import { recycleResumeAt, type NurtureConfig } from '../domain/nurture';
import { decisionLinkState, type DecisionLink, type RecycleReason, type SalesDecision } from '../domain/sales-decision';
import { LeadAccepted, LeadRecycled, LeadStageChanged } from '../events/lead-events';
import { withRetry } from '../retry/with-retry';
import type { LeadItem } from '../storage/lead-item';
import { decisionEvent, type DecisionChange, type SalesStore } from './sales-store';

/** How often a decision that lost a race with another write is read and made again. */
export const DECISION_CONFLICT_ATTEMPTS = 5;

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

export interface DecisionDeps {
  store: SalesStore;
  scoring: ScoringConfig;
  nurture: NurtureConfig;
  /** recomputes the lead's score and qualification after a recycle reset its engagement */
  reclassify: (leadId: string, at: string) => Promise<unknown>;
}

/** Peeks at whether a decision link can still act, for the confirmation page of a GET. */
export async function decisionStatus(leadId: string, link: DecisionLink, deps: { store: SalesStore }) {
  const lead = await deps.store.getLead(leadId);
  if (!lead) return { state: 'no-lead' as const, decision: null };
  return { state: decisionLinkState(lead, link), decision: lead.salesDecision ?? null, lead };
}

/**
 * Accept makes the lead an SQL; recycle sends it back to warm with its engagement reset and nurture
 * paused for the cool-off. Guarded by the lead's version, with the events in the same transaction.
 */
export async function recordSalesDecision(input: DecisionInput, deps: DecisionDeps): Promise<DecisionOutcome> {
  const outcome = await withRetry(
    {
      what: `sales decision on lead ${input.leadId}`,
      attempts: DECISION_CONFLICT_ATTEMPTS,
      retryOn: (error) => error instanceof DecisionConflict,
    },
    async (): Promise<DecisionOutcome> => {
      // A recycle needs the interactions too: its event tells subscribers the score after the reset.
      const { lead, interactions } =
        input.decision === 'recycled'
          ? await deps.store.getLeadWithInteractions(input.leadId)
          : { lead: await deps.store.getLead(input.leadId), interactions: [] };
      if (!lead) return { applied: false, state: 'no-lead', decision: null };
      const state = decisionLinkState(lead, input.link);
      if (state !== 'open') return { applied: false, state, decision: lead.salesDecision ?? null, lifecycle: lead.lifecycle };
      const decision: SalesDecision = {
        decision: input.decision,
        ...(input.reason ? { reason: input.reason } : {}),
        at: input.at,
        by: input.by,
        kind: input.link.kind,
        seq: input.link.seq,
      };
      const after = decision.decision === 'recycled' ? afterRecycle(lead, interactions, decision.at, deps.scoring) : undefined;
      if (!(await deps.store.recordDecision(decisionChange(lead, decision, deps.nurture, after)))) throw new DecisionConflict();
      return { applied: true, decision };
    },
  );
  // The reset engagement changes score and qualification: let classification recompute them.
  if (outcome.applied && outcome.decision.decision === 'recycled') await deps.reclassify(input.leadId, input.at);
  return outcome;
}

/** The lead changed between the read and the decision's write. */
class DecisionConflict extends Error {
  override name = 'DecisionConflict';
}

/**
 * The lead's classification once the recycle has reset its engagement, as the reclassification that
 * follows the decision will store it; the lifecycle is the one the decision writes.
 */
function afterRecycle(lead: LeadItem, interactions: readonly Interaction[], at: string, scoring: ScoringConfig): Classification {
  const classification = classifyLead({
    lead: {
      email: lead.email,
      company: lead.company,
      lifecycle: 'warm',
      pql: lead.pql ?? false,
      engagementResetAt: at,
      profileKnownAt: lead.createdAt,
    },
    interactions,
    config: scoring,
    now: at,
  });
  return { ...classification, lifecycle: 'warm' };
}

function decisionChange(
  lead: LeadItem,
  decision: SalesDecision,
  nurtureConfig: NurtureConfig,
  classification?: Classification,
): DecisionChange {
  const { leadId, version } = lead;
  const to = decision.decision === 'accepted' ? 'sql' : 'warm';
  const summary = { ...leadSummary(lead, classification), lifecycle: to } as const;
  const eventKey = `decision#${decision.kind}#${decision.seq}`;
  const stageChange = { leadId, field: 'lifecycle', from: lead.lifecycle, to, at: decision.at } as const;
  const stageEvents = lead.lifecycle === to ? [] : [decisionEvent(`${eventKey}#stage`, LeadStageChanged, stageChange, decision.at)];
  if (decision.decision === 'accepted') {
    const accepted = decisionEvent(eventKey, LeadAccepted, { at: decision.at, decidedBy: decision.by, lead: summary }, decision.at);
    return { leadId, expectedVersion: version, decision, lifecycle: to, events: [accepted, ...stageEvents] };
  }
  const nurtureResumeAt = recycleResumeAt(decision.at, nurtureConfig);
  // Nurture starts its stage's track again once the cool-off is over.
  const lastSent = lead.nurture?.lastSentAt ? { lastSentAt: lead.nurture.lastSentAt } : {};
  const nurture = lead.funnelStage ? { track: lead.funnelStage, nextStep: 0, enteredAt: decision.at, ...lastSent } : lead.nurture;
  const reason = decision.reason ?? 'other';
  const detail = { at: decision.at, decidedBy: decision.by, reason, nurtureResumesAt: nurtureResumeAt, lead: summary } as const;
  const recycled = decisionEvent(eventKey, LeadRecycled, detail, decision.at);
  const recycle = { nurtureResumeAt, ...(nurture ? { nurture } : {}) };
  return { leadId, expectedVersion: version, decision, lifecycle: to, recycle, events: [recycled, ...stageEvents] };
}
