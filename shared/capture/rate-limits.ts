import { createHmac } from 'node:crypto';
import { canonicalMailbox } from '../domain/canonical-mailbox';
import type { SubmissionClaim } from '../storage/record-submission';
import { epochSeconds, keys } from '../storage/table-design';

/**
 * Limits on consent requests, enforced by conditional counter items written in the submission's own
 * TransactWriteItems (no extra call, no read): a limit that is reached cancels the whole submission,
 * so nothing is stored and nothing is mailed. The HTTP API has no WAF in front of it; these are the
 * app's own guard against mail-bombing a third party through the double opt-in.
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

/** One conditional counter update for the submission's transaction; retryAfterSeconds is the time left in the window. */
export interface RateLimitClaim extends SubmissionClaim {
  name: RateLimitName;
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

/** IPs and mailboxes are personal data: the items hold only a keyed hash, and expire after the window. */
function subjectHash(scope: string, value: string, hashKey: string): string {
  return createHmac('sha256', hashKey).update(`rate-limit:${scope}:${value}`).digest('base64url').slice(0, 26);
}

export function consentRateLimits(
  input: { tableName: string; at: string; sourceIp: string; email: string; leadId: string },
  hashKey: string,
): RateLimitClaim[] {
  const window = rateWindow(input.at);
  // Kept one window past its end: TTL deletion is lazy, and an old window's key is never read again anyway.
  const expiresAt = epochSeconds(window.end) + RATE_WINDOW_SECONDS;
  const ipKey = keys.rateLimit('consent-ip', subjectHash('consent-ip', input.sourceIp, hashKey), window.start);
  const mailboxKey = keys.rateLimit('opt-in-mailbox', subjectHash('opt-in-mailbox', canonicalMailbox(input.email), hashKey), window.start);
  return [
    {
      name: 'consent-requests-per-ip',
      retryAfterSeconds: window.retryAfterSeconds,
      item: {
        Update: {
          TableName: input.tableName,
          Key: ipKey,
          UpdateExpression: 'ADD #count :one SET expiresAt = if_not_exists(expiresAt, :expiresAt)',
          ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
          ExpressionAttributeNames: { '#count': 'requests' },
          ExpressionAttributeValues: { ':one': 1, ':limit': CONSENT_REQUESTS_PER_IP_PER_HOUR, ':expiresAt': expiresAt },
        },
      },
    },
    {
      name: 'opt-in-addresses-per-mailbox',
      retryAfterSeconds: window.retryAfterSeconds,
      item: {
        Update: {
          TableName: input.tableName,
          Key: mailboxKey,
          // A string set of the admitted lead ids: its size is the number of distinct addresses, bounded by the limit.
          UpdateExpression: 'ADD #leads :lead SET expiresAt = if_not_exists(expiresAt, :expiresAt)',
          ConditionExpression: 'attribute_not_exists(#leads) OR contains(#leads, :leadId) OR size(#leads) < :limit',
          ExpressionAttributeNames: { '#leads': 'leads' },
          ExpressionAttributeValues: {
            ':lead': new Set([input.leadId]),
            ':leadId': input.leadId,
            ':limit': OPT_IN_ADDRESSES_PER_MAILBOX_PER_HOUR,
            ':expiresAt': expiresAt,
          },
        },
      },
    },
  ];
}
