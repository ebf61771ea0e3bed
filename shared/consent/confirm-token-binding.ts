/**
 * Binds a confirm link to the consent request it was mailed for. Pure: no I/O, no clock.
 *
 * A confirm token carries the lead's `consentRequestedAt` at the time the opt-in mail was sent. It may
 * confirm the lead's pending consent only while that consent is still the same request episode: no
 * withdrawal, erasure or re-creation of the lead since the token's request. So an old link (in a
 * forwarded mail, or from before an unsubscribe) cannot confirm a later request that someone else made.
 *
 * Within one pending episode a link stays good even if the address was submitted again: the opt-in mail is
 * rate-limited, so a second request within the hour gets no new mail, and its owner must still be able to
 * confirm with the link they have. Confirming proves the mailbox owner wants the mail either way.
 */
import { marketingConsentState, type ConsentTimestamps } from '../domain/consent-state';
import type { TokenPayload } from '../security/signed-token';

const DAY_MS = 86_400_000;
/** How long a confirm link is valid from the request it was mailed for. */
export const CONFIRM_TOKEN_TTL_DAYS = 7;

/**
 * The consent request a confirm token was minted for: `data.requestedAt`, or, for a token minted before
 * tokens carried it, its expiry minus the link's lifetime (the opt-in mail was sent, and its link's
 * lifetime started, at the request's own time). Undefined if neither is there.
 */
export function confirmTokenRequestedAt(
  token: Pick<TokenPayload, 'expiresAt' | 'data'>,
  tokenTtlDays = CONFIRM_TOKEN_TTL_DAYS,
): string | undefined {
  const explicit = token.data?.requestedAt;
  if (explicit !== undefined) return Number.isNaN(Date.parse(explicit)) ? undefined : explicit;
  if (token.expiresAt === undefined) return undefined;
  return new Date(Date.parse(token.expiresAt) - tokenTtlDays * DAY_MS).toISOString();
}

export type ConfirmTokenFit = 'fits' | 'outdated' | 'not-pending';

/** Whether a confirm token minted for the request at `tokenRequestedAt` may confirm this lead's consent now. */
export function confirmTokenFit(lead: ConsentTimestamps & { createdAt?: string }, tokenRequestedAt: string | undefined): ConfirmTokenFit {
  if (marketingConsentState(lead) !== 'pending' || lead.consentRequestedAt === undefined) return 'not-pending';
  const token = tokenRequestedAt === undefined ? Number.NaN : Date.parse(tokenRequestedAt);
  if (Number.isNaN(token)) return 'outdated';
  // Minted for a request later than the lead's current one: not a request this lead has.
  if (token > Date.parse(lead.consentRequestedAt)) return 'outdated';
  // The lead was erased and created again since the token's request.
  if (lead.createdAt !== undefined && Date.parse(lead.createdAt) > token) return 'outdated';
  // Consent was withdrawn since the token's request: only a link mailed for a later request may confirm again.
  if (lead.consentWithdrawnAt !== undefined && Date.parse(lead.consentWithdrawnAt) >= token) return 'outdated';
  return 'fits';
}
