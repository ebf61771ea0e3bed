/**
 * "Send me a new link" on an expired confirm or download link: the new link goes to the lead's own address only (the
 * token names the lead, so nobody can aim it elsewhere), within the same limits as the first mail.
 */
import { findAsset } from '../capture/content-catalogue';
import { mailDownloadLink } from '../capture/send-download-link';
import type { DownloadLinkStore } from '../capture/download-link-store';
import type { ConsentStore } from '../consent/consent-store';
import { OPT_IN_MAIL_INTERVAL_SECONDS, sendOptInIfDue } from '../consent/send-opt-in';
import { marketingConsentState } from '../domain/consent-state';
import type { Locale } from '../domain/lead';
import type { SenderVariables } from '../email/email-templates';
import type { EmailSending } from '../email/send-email';
import { InvalidTokenError } from '../http/http-errors';
import { verifyTokenAllowingExpiry, type TokenPayload } from '../security/signed-token';

/** The same limit as the first download mail's: at most one re-sent link per document and hour for a lead. */
export const DOWNLOAD_RENEWAL_INTERVAL_SECONDS = 3600;

export type RenewOutcome =
  | { outcome: 'sent'; locale: Locale }
  | { outcome: 'already-confirmed'; locale: Locale }
  /** the lead is gone, suppressed, withdrew, or the document no longer exists: nothing to send */
  | { outcome: 'nothing-to-renew'; locale: Locale | undefined }
  | { outcome: 'rate-limited'; locale: Locale; retryAfterSeconds: number };

export interface RenewDeps {
  consentStore: ConsentStore;
  downloadStore: DownloadLinkStore;
  sending: EmailSending;
  signingKey: string;
  /** the current key first; during a rotation the previous one still names the lead of a link it signed */
  verificationKeys: readonly string[];
  publicBaseUrl: string;
  sender: SenderVariables;
}

/** The purpose is the token's own: a confirm link renews a confirm link, a download link a download link. */
export function renewableToken(token: string, at: string, keys: readonly string[]): TokenPayload {
  try {
    return verifyTokenAllowingExpiry(token, { purpose: 'confirm', now: at }, keys).payload;
  } catch (error) {
    if (!(error instanceof InvalidTokenError && error.reason === 'wrong_purpose')) throw error;
    return verifyTokenAllowingExpiry(token, { purpose: 'download', now: at }, keys).payload;
  }
}

/** Seconds until a claim made at `claimedAt` lets the next one through (at least one). */
function retryAfter(claimedAt: string | undefined, at: string, intervalSeconds: number): number {
  if (!claimedAt) return intervalSeconds;
  const left = Math.ceil((Date.parse(claimedAt) + intervalSeconds * 1000 - Date.parse(at)) / 1000);
  return Math.min(intervalSeconds, Math.max(1, left));
}

/**
 * Re-sends the link a correctly signed (possibly expired) token was for. `requestId` names this request, so a retried
 * request may claim again while another request within the hour may not. Throws InvalidTokenError for a bad token.
 */
export async function renewLink(input: { token: string; at: string; requestId: string }, deps: RenewDeps): Promise<RenewOutcome> {
  const token = renewableToken(input.token, input.at, deps.verificationKeys);
  return token.purpose === 'confirm' ? renewConfirmLink(token, input, deps) : renewDownloadLink(token, input, deps);
}

async function renewConfirmLink(token: TokenPayload, input: { at: string; requestId: string }, deps: RenewDeps): Promise<RenewOutcome> {
  const lead = await deps.consentStore.getLead(token.leadId);
  if (!lead) return { outcome: 'nothing-to-renew', locale: undefined };
  const locale = lead.locale ?? 'de';
  if (marketingConsentState(lead) === 'confirmed') return { outcome: 'already-confirmed', locale };
  // The existing opt-in path: the same checks, the same once-an-hour claim, a fresh token bound to the same request.
  const sent = await sendOptInIfDue(
    { leadId: token.leadId, eventId: `renew:${input.requestId}`, at: input.at },
    {
      store: deps.consentStore,
      sending: deps.sending,
      signingKey: deps.signingKey,
      publicBaseUrl: deps.publicBaseUrl,
      sender: deps.sender,
    },
  );
  if (sent === 'sent') return { outcome: 'sent', locale };
  if (sent === 'rate-limited') {
    return { outcome: 'rate-limited', locale, retryAfterSeconds: retryAfter(lead.optInSentAt, input.at, OPT_IN_MAIL_INTERVAL_SECONDS) };
  }
  return { outcome: 'nothing-to-renew', locale };
}

async function renewDownloadLink(token: TokenPayload, input: { at: string; requestId: string }, deps: RenewDeps): Promise<RenewOutcome> {
  const lead = await deps.downloadStore.getLead(token.leadId);
  const locale = lead?.locale ?? 'de';
  const asset = findAsset(token.data?.assetId ?? '');
  if (!lead || lead.suppressed || !asset) return { outcome: 'nothing-to-renew', locale: lead?.locale };
  const claim = {
    assetId: asset.id,
    claimId: `renew:${input.requestId}`,
    at: input.at,
    notWithinSeconds: DOWNLOAD_RENEWAL_INTERVAL_SECONDS,
  };
  if (!(await deps.downloadStore.claimDownloadRenewal(token.leadId, claim))) {
    const claimedAt = await deps.downloadStore.lastDownloadRenewalAt(token.leadId, asset.id);
    const retryAfterSeconds = retryAfter(claimedAt, input.at, DOWNLOAD_RENEWAL_INTERVAL_SECONDS);
    return { outcome: 'rate-limited', locale, retryAfterSeconds };
  }
  // Signed from now: the new link lasts as long as a first one does.
  await mailDownloadLink(
    { ...lead, leadId: token.leadId },
    asset,
    { signedAt: input.at, at: input.at },
    {
      ...deps,
      store: deps.downloadStore,
    },
  );
  return { outcome: 'sent', locale };
}
