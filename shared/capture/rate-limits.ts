import { createHmac } from 'node:crypto';
import { canonicalMailbox } from '../domain/canonical-mailbox';

/**
 * Limits on consent requests, enforced by conditional counter items that the capture store writes in
 * the submission's own TransactWriteItems (no extra call, no read; shared/storage/rate-limit-items.ts):
 * a limit that is reached cancels the whole submission, so nothing is stored and nothing is mailed.
 * The HTTP API has no WAF in front of it; these are the app's own guard against mail-bombing a third
 * party through the double opt-in.
 *
 * Windows are clock hours (UTC). A fixed window admits at most `limit` per hour, so at most twice
 * that in any 60 minutes that straddle a window boundary.
 *
 * - Per source IP: at most CONSENT_REQUESTS_PER_IP_PER_HOUR consent requests (submissions with the
 *   marketing-consent box ticked), answered 429 beyond that.
 * - Per canonical mailbox (`jane+1@`, `jane+2@`, `j.a.n.e@gmail.com` are one mailbox): at most
 *   OPT_IN_ADDRESSES_PER_MAILBOX_PER_HOUR distinct addresses may request an opt-in mail; a further
 *   address of the same mailbox is answered 429. An address already admitted in the window may ask
 *   again (the per-lead limit in send-opt-in, one opt-in mail per hour and address, still applies),
 *   so a person re-submitting their own address is never refused by this limit. Together: at most
 *   OPT_IN_ADDRESSES_PER_MAILBOX_PER_HOUR opt-in mails reach one inbox per clock hour.
 */
export const RATE_WINDOW_SECONDS = 3600;
export const CONSENT_REQUESTS_PER_IP_PER_HOUR = 20;
export const OPT_IN_ADDRESSES_PER_MAILBOX_PER_HOUR = 3;

export type RateLimitName = 'consent-requests-per-ip' | 'opt-in-addresses-per-mailbox';

/**
 * One limit a submission must stay under, as the store needs it: what is counted (`subject`, a keyed
 * hash), in which window, up to which limit. `count`: every request counts; `distinct`: each `member`
 * (a lead id) counts once, so the same address may ask again.
 */
export interface RateLimit {
  name: RateLimitName;
  scope: string;
  subject: string;
  kind: 'count' | 'distinct';
  member?: string;
  limit: number;
  window: RateWindow;
  /** when the counter may be deleted (TTL): one window past its end */
  expiresAt: string;
}

export interface RateWindow {
  start: string;
  end: string;
  retryAfterSeconds: number;
}

export function rateWindow(at: string, seconds = RATE_WINDOW_SECONDS): RateWindow {
  const atMs = Date.parse(at);
  const startMs = Math.floor(atMs / (seconds * 1000)) * seconds * 1000;
  const endMs = startMs + seconds * 1000;
  return {
    start: new Date(startMs).toISOString(),
    end: new Date(endMs).toISOString(),
    retryAfterSeconds: Math.max(1, Math.ceil((endMs - atMs) / 1000)),
  };
}

/** IPs and mailboxes are personal data: the counters hold only a keyed hash, and expire after the window. */
function subjectHash(scope: string, value: string, hashKey: string): string {
  return createHmac('sha256', hashKey).update(`rate-limit:${scope}:${value}`).digest('base64url').slice(0, 26);
}

export function consentRateLimits(input: { at: string; sourceIp: string; email: string; leadId: string }, hashKey: string): RateLimit[] {
  const window = rateWindow(input.at);
  // Kept one window past its end: TTL deletion is lazy, and an old window's key is never read again anyway.
  const expiresAt = new Date(Date.parse(window.end) + RATE_WINDOW_SECONDS * 1000).toISOString();
  return [
    {
      name: 'consent-requests-per-ip',
      scope: 'consent-ip',
      subject: subjectHash('consent-ip', input.sourceIp, hashKey),
      kind: 'count',
      limit: CONSENT_REQUESTS_PER_IP_PER_HOUR,
      window,
      expiresAt,
    },
    {
      name: 'opt-in-addresses-per-mailbox',
      scope: 'opt-in-mailbox',
      subject: subjectHash('opt-in-mailbox', canonicalMailbox(input.email), hashKey),
      kind: 'distinct',
      member: input.leadId,
      limit: OPT_IN_ADDRESSES_PER_MAILBOX_PER_HOUR,
      window,
      expiresAt,
    },
  ];
}
