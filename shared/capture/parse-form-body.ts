import { MalformedBodyError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../http/http-errors';
import { isMediaType } from '../http/media-type';

export const DEFAULT_MAX_BODY_BYTES = 16_384;

export interface ParseFormBodyInput {
  contentType: string | undefined;
  body: string | undefined;
  isBase64Encoded: boolean;
  /** limit on the decoded body in bytes; defaults to 16384 */
  maxBytes?: number;
}

export interface ParsedFormBody {
  format: 'json' | 'form';
  fields: Record<string, unknown>;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
// `{"` or `[{`/`["` at the start: no real form post begins with a field name like that, while `curl -d '{…}'` does.
const LOOKS_LIKE_JSON = /^\s*(?:\{\s*(?:"|\})|\[\s*[{"\]])/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Turns an API Gateway body into a plain field record. Throws only HttpError subclasses:
 * 415 for other media types, 413 above `maxBytes`, 400 MalformedBodyError for anything unparseable.
 */
export function parseFormBody(input: ParseFormBodyInput): ParsedFormBody {
  const format = formatOf(input.contentType);
  const maxBytes = input.maxBytes ?? DEFAULT_MAX_BODY_BYTES;
  const bytes = toBytes(input.body ?? '', input.isBase64Encoded);
  if (bytes.byteLength > maxBytes) throw new PayloadTooLargeError(maxBytes);

  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new MalformedBodyError('invalid_encoding');
  }

  if (text.length === 0) return { format, fields: {} };
  if (format === 'form' && LOOKS_LIKE_JSON.test(text)) throw new MalformedBodyError('json_as_form');
  return { format, fields: format === 'json' ? parseJsonObject(text) : parseUrlEncoded(text) };
}

function formatOf(contentType: string | undefined): 'json' | 'form' {
  if (isMediaType(contentType, 'application/json')) return 'json';
  if (isMediaType(contentType, 'application/x-www-form-urlencoded')) return 'form';
  throw new UnsupportedMediaTypeError();
}

function toBytes(body: string, isBase64Encoded: boolean): Uint8Array {
  if (isBase64Encoded) {
    // Buffer.from(…, 'base64') silently skips invalid characters; a corrupted body must not pass.
    if (!BASE64.test(body)) throw new MalformedBodyError('invalid_encoding');
    return Buffer.from(body, 'base64');
  }
  // A JS string cannot hold invalid UTF-8, but lone surrogates would be replaced silently on encoding.
  if (LONE_SURROGATE.test(body)) throw new MalformedBodyError('invalid_encoding');
  return Buffer.from(body, 'utf8');
}

function parseJsonObject(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new MalformedBodyError('invalid_json');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new MalformedBodyError('not_an_object');
  }
  // An escape such as "\ud800" survives JSON.parse as a lone surrogate: not text, and not storable as such.
  if (containsLoneSurrogate(value)) throw new MalformedBodyError('invalid_encoding');
  return value as Record<string, unknown>;
}

/** Checks every key and string value; iterative, so deeply nested input cannot overflow the stack. */
function containsLoneSurrogate(root: object): boolean {
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === 'string') {
      if (LONE_SURROGATE.test(value)) return true;
    } else if (Array.isArray(value)) {
      pending.push(...value);
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) {
        if (LONE_SURROGATE.test(key)) return true;
        pending.push(item);
      }
    }
  }
  return false;
}

function parseUrlEncoded(text: string): Record<string, unknown> {
  const fields = new Map<string, string>();
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decodeComponent(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? '' : decodeComponent(pair.slice(eq + 1));
    if (key !== '' && !fields.has(key)) fields.set(key, value);
  }
  // fromEntries defines own properties, so a "__proto__" key cannot reach the prototype.
  return Object.fromEntries(fields);
}

function decodeComponent(raw: string): string {
  try {
    return decodeURIComponent(raw.replaceAll('+', ' '));
  } catch {
    throw new MalformedBodyError('invalid_percent_encoding');
  }
}
