import type { MarketingConsent } from './lead';

export interface ConsentTimestamps {
  consentRequestedAt?: string;
  consentConfirmedAt?: string;
  consentWithdrawnAt?: string;
}

/**
 * Marketing consent is derived from when it was requested, confirmed and withdrawn, so each writer
 * only sets its own timestamp in one unconditional update and concurrent writers cannot clobber it.
 * A confirmation counts until a later withdrawal; a new request after a withdrawal is pending again.
 */
export function marketingConsentState(lead: ConsentTimestamps): MarketingConsent {
  const { consentRequestedAt: requested, consentConfirmedAt: confirmed, consentWithdrawnAt: withdrawn } = lead;
  if (confirmed && (!withdrawn || confirmed > withdrawn)) return 'confirmed';
  if (requested && (!withdrawn || requested > withdrawn)) return 'pending';
  if (withdrawn) return 'withdrawn';
  return 'none';
}
