/**
 * HMAC-SHA256 signed, URL-safe tokens for email links (confirm, download, unsubscribe, sales
 * actions). A token is `base64url(JSON payload) + "." + base64url(signature)`; it is bound to one
 * lead and one purpose, so a download link cannot be replayed as an unsubscribe or sales action.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { en } from 'zod/locales';
import * as z from 'zod/mini';
import { InvalidTokenError } from '../http/http-errors';

// signToken reports a bad payload with zod's messages; zod/mini has none of its own.
z.config(en());

export const TOKEN_PURPOSES = [
  'confirm',
  'download',
  'unsubscribe',
  'sales-accept',
  'sales-recycle',
  'offer',
  'call',
  'call-manage',
] as const;
export type TokenPurpose = (typeof TOKEN_PURPOSES)[number];

export interface TokenPayload {
  purpose: TokenPurpose;
  leadId: string;
  /** ISO-8601; the token is rejected from this instant on. Absent: never expires. */
  expiresAt?: string;
  data?: Record<string, string>;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

const payloadSchema = z.strictObject({
  purpose: z.enum(TOKEN_PURPOSES),
  leadId: z.string().check(z.minLength(1)),
  expiresAt: z.optional(z.iso.datetime({ offset: true })),
  data: z.optional(z.record(z.string(), z.string())),
});

/**
 * Unsubscribe tokens must be issued without `expiresAt`: an unsubscribe link has to keep working
 * for as long as the email that carries it can be opened.
 */
export function signToken(payload: TokenPayload, secret: string): string {
  requireSecret(secret);
  if (payload.purpose === 'unsubscribe' && payload.expiresAt !== undefined) {
    throw new Error('signToken: unsubscribe tokens never expire; omit expiresAt');
  }
  const checked = payloadSchema.safeParse(payload);
  if (!checked.success) throw new Error(`signToken: invalid payload: ${z.prettifyError(checked.error)}`);
  const body = checked.data;
  const encoded = Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
  return `${encoded}.${signature(encoded, secret)}`;
}

/**
 * `secrets` may list several keys, newest first: during a signing-key rotation the previous key still
 * verifies the tokens it signed (until they expire), while every new token is signed with the current key.
 */
export function verifyToken(
  token: string,
  expected: { purpose: TokenPurpose; now: string },
  secrets: string | readonly string[],
): TokenPayload {
  const keys = typeof secrets === 'string' ? [secrets] : secrets;
  if (keys.length === 0) throw new Error('token secret must not be empty');
  keys.forEach(requireSecret);
  const now = Date.parse(expected.now);
  if (Number.isNaN(now)) throw new Error('verifyToken: now must be an ISO-8601 timestamp');

  const parts = typeof token === 'string' ? token.split('.') : [];
  const [encoded, givenSignature] = parts;
  if (parts.length !== 2 || !encoded || !givenSignature || !BASE64URL.test(encoded) || !BASE64URL.test(givenSignature)) {
    throw new InvalidTokenError('malformed');
  }

  // Comparing the encoded strings (not decoded bytes) also rejects non-canonical base64url variants of a valid signature.
  // Every key is tried, so the time taken does not reveal which one (if any) matched.
  const given = Buffer.from(givenSignature, 'utf8');
  let matched = false;
  for (const key of keys) {
    const expectedSignature = Buffer.from(signature(encoded, key), 'utf8');
    if (given.length === expectedSignature.length && timingSafeEqual(given, expectedSignature)) matched = true;
  }
  if (!matched) throw new InvalidTokenError('tampered');

  let payload: TokenPayload;
  try {
    payload = payloadSchema.parse(JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')));
  } catch {
    throw new InvalidTokenError('malformed');
  }

  if (payload.purpose !== expected.purpose) throw new InvalidTokenError('wrong_purpose');
  if (payload.expiresAt !== undefined && now >= Date.parse(payload.expiresAt)) throw new InvalidTokenError('expired');
  return payload;
}

function signature(encodedPayload: string, secret: string): string {
  // Until a deployment sets a separate lead-id key, the signing key also derives lead ids; the prefix keeps the two uses apart.
  return createHmac('sha256', secret).update(`token:v1:${encodedPayload}`).digest('base64url');
}

function requireSecret(secret: string): void {
  if (typeof secret !== 'string' || secret.length === 0) throw new Error('token secret must not be empty');
}

export interface CheckedToken {
  payload: TokenPayload;
  /** true when the token is correctly signed and for this purpose, but past its expiresAt */
  expired: boolean;
}

/**
 * Like verifyToken, but a correctly signed token for this purpose is answered even after it expired, so an
 * expired link can still name its lead ("send me a new link" re-sends to that lead's own address only).
 * Tampered, malformed and wrong-purpose tokens are rejected exactly as verifyToken rejects them.
 */
export function verifyTokenAllowingExpiry(
  token: string,
  expected: { purpose: TokenPurpose; now: string },
  secrets: string | readonly string[],
): CheckedToken {
  try {
    return { payload: verifyToken(token, expected, secrets), expired: false };
  } catch (error) {
    if (!(error instanceof InvalidTokenError && error.reason === 'expired')) throw error;
    // verifyToken says 'expired' only after the signature, the payload's shape and the purpose checked out.
    const [encoded = ''] = token.split('.');
    return { payload: payloadSchema.parse(JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'))), expired: true };
  }
}
