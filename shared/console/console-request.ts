import { parseFormBody } from '../capture/parse-form-body';
import { ValidationError } from '../http/http-errors';
import type { HttpEvent } from '../http/http-handler';
import { header } from '../http/request-info';
import { leadIdFor, normalizeEmail } from '../security/lead-id';

/** The small parsers every console handler shares: the lead in the path, the JSON body. */

/** `{email}` of the path, normalised, and its lead id; a 400 naming `email` for anything that is not an address. */
export function leadInPath(event: HttpEvent, leadIdKey: string): { email: string; leadId: string } {
  const email = normalizeEmail(decodedParameter(event.pathParameters?.email ?? ''));
  if (!/^[^@\s/]+@[^@\s/]+$/.test(email)) throw new ValidationError({ email: 'must be an email address' });
  return { email, leadId: leadIdFor(email, leadIdKey) };
}

/**
 * A path parameter as the route matched it: the local server passes it decoded, API Gateway may pass `%40` as it came.
 * An address holds no `%` escape of its own, so decoding an already decoded one changes nothing.
 */
function decodedParameter(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** A console body is small: a decision, an address, or a scoring rule set (a few KB). */
const MAX_CONSOLE_BODY_BYTES = 64 * 1024;

/** The JSON (or form) body's fields; an empty body is no fields. */
export function bodyFields(event: HttpEvent): Record<string, unknown> {
  return parseFormBody({
    contentType: header(event, 'content-type') ?? 'application/json',
    body: event.body,
    isBase64Encoded: event.isBase64Encoded,
    maxBytes: MAX_CONSOLE_BODY_BYTES,
  }).fields;
}
