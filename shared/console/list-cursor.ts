import { createHmac, timingSafeEqual } from 'node:crypto';
import { ValidationError } from '../http/http-errors';

/**
 * The opaque `cursor` of the console's lead list: where the next page starts, as base64url JSON plus an HMAC over it,
 * so a client can hand back only what the list gave it. Anything else (cut, edited, from other filters, signed with
 * a key no longer current) is a 400 naming `cursor`: the client starts the list again.
 */
export interface ListCursor {
  /** the filters the list was asked with: a cursor goes on with the same list only */
  filter: string;
  /** the index partition to go on in (a creation day, or the sales queue) */
  partition: string;
  /** the position in that partition; absent: from its newest item */
  key?: Record<string, unknown>;
}

const BAD_CURSOR = { cursor: 'must be a cursor this list returned, with the same filters' };

export function encodeCursor(cursor: ListCursor, keys: readonly string[]): string {
  const payload = Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
  return `${payload}.${mac(payload, keys[0]!)}`;
}

/** The cursor's position; a 400 naming `cursor` unless one of `keys` signed it and it belongs to `filter`. */
export function decodeCursor(text: string, filter: string, keys: readonly string[]): ListCursor {
  const [payload, signature, ...rest] = text.split('.');
  if (!payload || !signature || rest.length > 0 || !keys.some((key) => sameText(mac(payload, key), signature))) {
    throw new ValidationError(BAD_CURSOR);
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw new ValidationError(BAD_CURSOR);
  }
  const cursor = value as Partial<ListCursor> | null;
  if (
    typeof cursor !== 'object' ||
    cursor === null ||
    cursor.filter !== filter ||
    typeof cursor.partition !== 'string' ||
    (cursor.key !== undefined && (typeof cursor.key !== 'object' || cursor.key === null || Array.isArray(cursor.key)))
  ) {
    throw new ValidationError(BAD_CURSOR);
  }
  return { filter: cursor.filter, partition: cursor.partition, ...(cursor.key ? { key: cursor.key } : {}) };
}

export function badCursor(): ValidationError {
  return new ValidationError(BAD_CURSOR);
}

function mac(payload: string, key: string): string {
  return createHmac('sha256', key).update(`console-list-cursor:${payload}`).digest('base64url');
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
