/**
 * Stripe-style signatures for `POST /events`:
 *   x-leadpipe-signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">
 * The timestamp is signed too, so a captured request cannot be replayed outside the tolerance window.
 * Several v1 values are accepted so senders can sign with the old and the new secret during rotation, and
 * several secrets can be given so a receiver accepts either while the senders switch over.
 * The header is parsed here and only here: callers take the signed time from the result.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { UnauthorizedError } from '../http/http-errors';

export const WEBHOOK_SIGNATURE_HEADER = 'x-leadpipe-signature';
export const DEFAULT_WEBHOOK_TOLERANCE_SECONDS = 300;

export function signWebhook(rawBody: string, secret: string, unixSeconds: number): string {
  if (!Number.isSafeInteger(unixSeconds) || unixSeconds < 0) throw new Error('signWebhook: unixSeconds must be a whole number >= 0');
  return `t=${unixSeconds},v1=${hmacHex(unixSeconds, rawBody, secret)}`;
}

export interface VerifyWebhookInput {
  header: string | undefined;
  rawBody: string;
  /** the ingest secret, or [current, previous] during a rotation */
  secret: string | readonly string[];
  /** ISO-8601 */
  now: string;
  toleranceSeconds?: number;
}

export interface VerifiedWebhook {
  /** the signed `t`, in unix seconds */
  signedAtSeconds: number;
  /** the signed `t` as an ISO-8601 time */
  signedAt: string;
}

export function verifyWebhookSignature(input: VerifyWebhookInput): VerifiedWebhook {
  const nowMs = Date.parse(input.now);
  if (Number.isNaN(nowMs)) throw new Error('verifyWebhookSignature: now must be an ISO-8601 timestamp');
  const secrets = typeof input.secret === 'string' ? [input.secret] : input.secret;
  if (secrets.length === 0 || secrets.some((secret) => secret.length === 0)) {
    throw new Error('verifyWebhookSignature: secret must not be empty');
  }
  const tolerance = input.toleranceSeconds ?? DEFAULT_WEBHOOK_TOLERANCE_SECONDS;

  if (input.header === undefined || input.header.trim() === '') throw new UnauthorizedError('Missing signature header');
  const { timestamp, signatures } = parseHeader(input.header);

  // Compare every candidate with every secret so the time taken does not reveal which one (if any) matched.
  let matched = false;
  for (const secret of secrets) {
    // Sign the timestamp as sent, not as re-serialised, so a sender's leading zeros do not break the match.
    const expected = Buffer.from(hmacHex(timestamp, input.rawBody, secret), 'hex');
    for (const candidate of signatures) {
      if (timingSafeEqual(Buffer.from(candidate, 'hex'), expected)) matched = true;
    }
  }
  if (!matched) throw new UnauthorizedError('Invalid signature');

  const signedAtSeconds = Number(timestamp);
  if (Math.abs(Math.floor(nowMs / 1000) - signedAtSeconds) > tolerance) {
    throw new UnauthorizedError('Signature timestamp outside the tolerance window');
  }
  return { signedAtSeconds, signedAt: new Date(signedAtSeconds * 1000).toISOString() };
}

function parseHeader(header: string): { timestamp: string; signatures: string[] } {
  let timestamp: string | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (timestamp !== undefined || !/^\d{1,12}$/.test(value)) throw new UnauthorizedError('Malformed signature header');
      timestamp = value;
    } else if (key === 'v1' && /^[0-9a-fA-F]{64}$/.test(value)) {
      signatures.push(value.toLowerCase());
    }
    // Other schemes (v0, future versions) are ignored, as Stripe does.
  }
  if (timestamp === undefined || signatures.length === 0) throw new UnauthorizedError('Malformed signature header');
  return { timestamp, signatures };
}

function hmacHex(timestamp: number | string, rawBody: string, secret: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${rawBody}`, 'utf8').digest('hex');
}
