import { createHash } from 'node:crypto';
import { marketingConsentState } from '../domain/consent-state';
import { nextDecayAt, type ScoringConfig } from '../domain/classification';
import type { FunnelStage, Interaction } from '../domain/lead';
import { optInExpiresAt } from '../domain/opt-in-retention';
import {
  defaultNurtureConfig,
  enterTrack,
  nextDueAt,
  planNurture,
  type NurtureConfig,
  type NurturePlan,
  type NurtureState,
} from '../domain/nurture';
import type { LeadItem } from '../storage/lead-item';

/**
 * The due index is sharded: its partition key is one of N shard ids derived from the lead id, so
 * a million due leads spread over N partitions instead of one hot key, and the dispatcher reads
 * each shard with one Query on `nurtureDueAt <= now`.
 */
export function dueShardFor(leadId: string, shards: number): string {
  const bucket = createHash('sha256').update(leadId).digest().readUInt32BE(0) % shards;
  return `DUE#${bucket}`;
}

export interface NurtureFields {
  nurture?: NurtureState;
  nurtureDueAt: string | null;
  dueShard: string | null;
  plan: NurturePlan;
}

/**
 * Given a lead as it will be stored, the nurture state and its place in the due index. Every write
 * that can change what nurture should do (stage, consent, suppression, lifecycle) stores these.
 */
export function nurtureFieldsFor(
  lead: Pick<
    LeadItem,
    | 'leadId'
    | 'lifecycle'
    | 'suppressed'
    | 'nurture'
    | 'nurtureResumeAt'
    | 'consentRequestedAt'
    | 'consentConfirmedAt'
    | 'consentWithdrawnAt'
  > & { funnelStage?: FunnelStage | null },
  at: string,
  config: NurtureConfig = defaultNurtureConfig,
): NurtureFields {
  const nurture = enterTrack(lead.nurture, lead.funnelStage ?? null, at);
  const plan = planNurture(
    {
      lifecycle: lead.lifecycle,
      marketingConsent: marketingConsentState(lead),
      suppressed: lead.suppressed ?? null,
      funnelStage: lead.funnelStage ?? null,
      nurture,
      resumeAt: lead.nurtureResumeAt,
    },
    config,
    at,
  );
  const dueAt = nextDueAt(plan);
  return { nurture, nurtureDueAt: dueAt, dueShard: dueAt ? dueShardFor(lead.leadId, config.dueIndexShards) : null, plan };
}

export interface ScheduleConfig {
  nurture: NurtureConfig;
  scoring: ScoringConfig;
  /** how long an unconfirmed opt-in is kept */
  retentionDays: number;
}

/**
 * The lead's place in the due index, for every scheduled job at once: its next nurture step, the
 * moment its next scored interaction decays, or the moment its unconfirmed opt-in expires, whichever
 * comes first. `lead` is the lead as it will be stored (with fresh classification, if any).
 */
export function scheduleFor(
  lead: Parameters<typeof nurtureFieldsFor>[0] & Pick<LeadItem, 'interactionPoints'>,
  interactions: readonly Interaction[],
  now: string,
  config: ScheduleConfig,
): NurtureFields {
  const fields = nurtureFieldsFor(lead, now, config.nurture);
  const reviews = [
    nextDecayAt(interactions, lead.interactionPoints ?? {}, config.scoring, now),
    hourCeil(optInExpiresAt(lead, config.retentionDays)),
  ];
  const earliest = [fields.nurtureDueAt, ...reviews].filter((at): at is string => at !== null).sort()[0] ?? null;
  if (earliest === fields.nurtureDueAt) return fields;
  return { ...fields, nurtureDueAt: earliest, dueShard: dueShardFor(lead.leadId, config.nurture.dueIndexShards) };
}

/**
 * The opt-in review is due at the next full hour after the request expires: every repeated request
 * within an hour moves the expiry but not the review, so a burst of posts for one address does not
 * make each of their classifications rewrite the lead (and collide with the next post).
 */
function hourCeil(iso: string | null): string | null {
  if (iso === null) return null;
  return new Date(Math.ceil(Date.parse(iso) / 3_600_000) * 3_600_000).toISOString();
}
