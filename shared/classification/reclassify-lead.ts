import { isDeepStrictEqual } from 'node:util';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../adapters/dynamodb-client';
import { diffClassification, type ScoringConfig } from '../domain/classification';
import { defaultNurtureConfig } from '../domain/nurture';
import { optInRetentionDays } from '../config/retention';
import type { Classification, Interaction } from '../domain/lead';
import { LeadProductQualified, LeadQualified, LeadStageChanged } from '../events/lead-events';
import { scheduleFor, type NurtureFields } from '../nurture/nurture-schedule';
import { withRetry } from '../retry/with-retry';
import type { LeadItem } from '../storage/lead-item';
import { loadClassificationInput, type LeadPartition } from '../storage/lead-partition';
import { outboxEventItem } from '../storage/outbox-event-item';
import { keys } from '../storage/table-design';
import { isItemTooLarge, isWriteConflict, ItemTooLargeError } from '../storage/transaction-errors';
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
export async function reclassifyLead(tableName: string, leadId: string, at: string, config: ScoringConfig, preloaded?: LeadPartition): Promise<ReclassifyOutcome> {
  const window = classificationWindow(at, config);
  return withRetry(
    { what: `classify lead ${leadId}`, attempts: CLASSIFY_CONFLICT_ATTEMPTS, retryOn: isWriteConflict, baseDelayMs: 20, maxDelayMs: 1000 },
    async (attempt): Promise<ReclassifyOutcome> => {
      // A caller that has just read the lead passes it in; after a conflict the lead is read again.
      const { lead, interactions } =
        attempt === 1 && preloaded
          ? { lead: preloaded.lead, interactions: withinWindow(preloaded.interactions, window) }
          : await loadClassificationInput(tableName, leadId, window);
      if (!lead) return { kind: 'no-lead' };
      return writeClassification(tableName, lead, interactions, at, config, attempt);
    },
  );
}

async function writeClassification(
  tableName: string,
  lead: LeadItem,
  interactions: readonly Interaction[],
  at: string,
  config: ScoringConfig,
  attempt: number,
): Promise<ReclassifyOutcome> {
  const { leadId } = lead;
  const classification = classifyForStorage({ lead, interactions, config, now: at });
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
  } catch (error) {
    // Retrying cannot shrink an item: report it as what it is, not as a lost race.
    if (isItemTooLarge(error)) throw new ItemTooLargeError(`classify lead ${leadId}`, error);
    throw error;
  }
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
