import { createHmac } from 'node:crypto';

/**
 * Lead ids are a keyed hash of the normalised address: capture can address the lead item without
 * a lookup (one write per submission), and logs that carry the id do not reveal the address.
 *
 * The key is AppSecrets.leadIdKey and must never change: every stored lead and every erasure suppression entry is keyed by it.
 */
export function leadIdFor(normalizedEmail: string, leadIdKey: string): string {
  return `L${createHmac('sha256', leadIdKey).update(`lead-id:${normalizedEmail}`).digest('base64url').slice(0, 26)}`;
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
