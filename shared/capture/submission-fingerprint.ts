import { createHash } from 'node:crypto';
import type { ValidForm } from './form-schemas';

/**
 * A sha256 hex digest of what a submission stores, so a repeated submission (a double-click, a
 * retried request) can be recognised. The honeypot flag and the redirect are left out: they are not
 * stored and do not make two submissions different.
 */
export function submissionFingerprint(form: ValidForm): string {
  const { honeypotFilled: _honeypot, redirect: _redirect, ...stored } = form;
  return createHash('sha256')
    .update(`submission:v1:${canonicalJson(stored)}`, 'utf8')
    .digest('hex');
}

/** JSON with object keys sorted at every level and undefined values dropped, so key order never matters. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}
