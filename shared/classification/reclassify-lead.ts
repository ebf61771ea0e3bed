import { isDeepStrictEqual } from 'node:util';
import { diffClassification, type ScoringConfig } from '../domain/classification';
import { defaultNurtureConfig } from '../domain/nurture';
import type { Classification, Interaction } from '../domain/lead';
import { LeadProductQualified, LeadQualified, LeadStageChanged } from '../events/lead-events';
import { scheduleFor } from '../nurture/nurture-schedule';
import { withRetry } from '../retry/with-retry';
import type { LeadItem } from '../storage/lead-item';
import type { LeadPartition } from '../storage/lead-partition';
import { classificationEvent, ClassificationConflictError, type ClassificationStore } from './classification-store';
import { classificationWindow, classifyForStorage, withinWindow } from './classification-window';
import { leadSummary } from './lead-summary';

export type ReclassifyOutcome =
  | { kind: 'no-lead' }
  | { kind: 'unchanged' }
  | { kind: 'updated'; changes: number; becameMql: boolean; becamePql: boolean; attempts: number };

/**
 * How often a classification that lost a race is read and computed again. Only lost races are
 * retried (the lead's version changed, or DynamoDB reported a TransactionConflict), with full jitter;
 * anything else, an item over DynamoDB's size limit above all, fails at once under its own name.
 * A classification that runs out of attempts fails its event, which is delivered again.
 */
export const CLASSIFY_CONFLICT_ATTEMPTS = 10;

/**
 * Recomputes a lead's classification from its stored interactions (the bounded window of
 * classification-window.ts) and writes it with optimistic locking on the lead's version. Every writer
 * bumps the version, so a classification computed from a stale read is rejected and recomputed:
 * concurrent, duplicated and out-of-order events all converge on the classification of the complete
 * set, and each transition's event is written exactly once, in the same transaction as the transition.
 */
export async function reclassifyLead(
  /** retentionDays: how long an unconfirmed opt-in is kept (the calling function's RETENTION_DAYS) */
  deps: { store: ClassificationStore; retentionDays: number },
  leadId: string,
  at: string,
  config: ScoringConfig,
  preloaded?: LeadPartition,
): Promise<ReclassifyOutcome> {
  const window = classificationWindow(at, config);
  const retryOn = (error: unknown) => error instanceof ClassificationConflictError;
  return withRetry(
    { what: `classify lead ${leadId}`, attempts: CLASSIFY_CONFLICT_ATTEMPTS, retryOn, baseDelayMs: 20, maxDelayMs: 1000 },
    async (attempt): Promise<ReclassifyOutcome> => {
      // A caller that has just read the lead passes it in; after a conflict the lead is read again.
      const { lead, interactions } =
        attempt === 1 && preloaded
          ? { lead: preloaded.lead, interactions: withinWindow(preloaded.interactions, window) }
          : await deps.store.loadClassificationInput(leadId, window);
      if (!lead) return { kind: 'no-lead' };
      return writeClassification(deps.store, lead, interactions, at, config, attempt, deps.retentionDays);
    },
  );
}

async function writeClassification(
  store: ClassificationStore,
  lead: LeadItem,
  interactions: readonly Interaction[],
  at: string,
  config: ScoringConfig,
  attempt: number,
  retentionDays: number,
): Promise<ReclassifyOutcome> {
  const { leadId } = lead;
  const classification = classifyForStorage({ lead, interactions, config, now: at });
  const nurture = scheduleFor({ ...lead, ...classification }, interactions, at, {
    nurture: defaultNurtureConfig,
    scoring: config,
    retentionDays,
  });
  if (isUnchanged(lead, classification, nurture.nurtureDueAt)) return { kind: 'unchanged' };
  const diff = diffClassification(
    {
      lifecycle: lead.lifecycle,
      qualification: lead.qualification ?? 'unqualified',
      funnelStage: lead.funnelStage ?? null,
      pql: lead.pql ?? false,
    },
    classification,
  );
  const qualificationSeq = (lead.qualificationSeq ?? 0) + (diff.becameMql ? 1 : 0);
  const version = lead.version;
  const summary = leadSummary(lead, classification);
  const events = [
    ...diff.changes.map((change) =>
      classificationEvent(
        `stage#${version}#${change.field}`,
        LeadStageChanged,
        { leadId, field: change.field, from: change.from, to: change.to, at },
        at,
      ),
    ),
    ...(diff.becameMql
      ? [classificationEvent(`qualified#${qualificationSeq}`, LeadQualified, { qualificationSeq, at, lead: summary }, at)]
      : []),
    ...(diff.becamePql
      ? [classificationEvent('product-qualified', LeadProductQualified, { qualificationSeq, at, lead: summary }, at)]
      : []),
  ];
  await store.writeClassification({
    leadId,
    expectedVersion: version,
    classification,
    nurture,
    at,
    qualificationSeq,
    becameMql: diff.becameMql,
    becamePql: diff.becamePql,
    events,
  });
  return { kind: 'updated', changes: diff.changes.length, becameMql: diff.becameMql, becamePql: diff.becamePql, attempts: attempt };
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
