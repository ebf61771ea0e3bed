import { marketingConsentState, type ConsentTimestamps } from '../domain/consent-state';
import type { AudienceRow, CampaignAudience } from './campaign';

/**
 * Whether a subscriber (a row of the subscribers index, or the lead's profile) matches the campaign's
 * filters. The fixed part of the audience (consent confirmed, not suppressed, not erased) is the index's
 * job, and isMailable's on the profile read right before the send. Pure.
 */
export function inAudience(row: AudienceRow, audience: CampaignAudience): boolean {
  const { locales, lifecycles, funnelStages, minScore, createdSince } = audience;
  // A lead without a stored locale gets mail in German, as every other mail (dispatch-nurture.ts).
  if (locales?.length && !locales.includes(row.locale ?? 'de')) return false;
  if (lifecycles?.length && (row.lifecycle === undefined || !lifecycles.includes(row.lifecycle))) return false;
  if (funnelStages?.length && (!row.funnelStage || !funnelStages.includes(row.funnelStage))) return false;
  if (minScore !== undefined && (row.score ?? 0) < minScore) return false;
  if (createdSince !== undefined && (row.createdAt === undefined || Date.parse(row.createdAt) < Date.parse(createdSince))) return false;
  return true;
}

/** Why a lead gets no campaign mail, or null when it may get one (from a consistent read of the profile). */
export function notMailableReason(
  lead: (ConsentTimestamps & { suppressed?: 'bounce' | 'complaint' | null }) | undefined,
): 'no-lead' | 'no-consent' | 'suppressed' | null {
  if (!lead) return 'no-lead';
  if (lead.suppressed) return 'suppressed';
  if (marketingConsentState(lead) !== 'confirmed') return 'no-consent';
  return null;
}
