import { marketingConsentState, type ConsentTimestamps } from './consent-state';
import type { Interaction } from './lead';

const DAY_MS = 86_400_000;

/** When a pending double opt-in stops being kept: its request time plus the retention. Null if nothing is pending. */
export function optInExpiresAt(lead: ConsentTimestamps, retentionDays: number): string | null {
  if (marketingConsentState(lead) !== 'pending' || !lead.consentRequestedAt) return null;
  return new Date(Date.parse(lead.consentRequestedAt) + retentionDays * DAY_MS).toISOString();
}

/**
 * What to do with an opt-in that was never confirmed within the retention (data minimisation): a lead
 * that only ever signed up for the newsletter is deleted entirely; a lead with any other interaction
 * (a download, a contact request, a signal) keeps that, and only the unconfirmed request and its
 * evidence are dropped.
 */
export function expiredOptInAction(
  lead: ConsentTimestamps,
  interactions: readonly Pick<Interaction, 'type'>[],
  retentionDays: number,
  now: string,
): 'keep' | 'delete-lead' | 'drop-request' {
  const expiresAt = optInExpiresAt(lead, retentionDays);
  if (!expiresAt || expiresAt > now) return 'keep';
  return interactions.every((interaction) => interaction.type === 'newsletter_signup') ? 'delete-lead' : 'drop-request';
}
