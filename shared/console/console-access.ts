import { HttpError, UnauthorizedError } from '../http/http-errors';
import type { HttpEvent } from '../http/http-handler';
import { type ConsoleGroup, isConsoleGroup } from './console-config';

/**
 * Who may call which console route, and who is calling. API Gateway's JWT authorizer (and, locally, the stack's own
 * issuer) has already checked the token; this module only reads the claims it passed on and applies the table below.
 */

/** The signed-in console user, from the verified token's claims. */
export interface ConsoleIdentity {
  email: string;
  sub: string;
  groups: ConsoleGroup[];
}

const SEES_LEADS: readonly ConsoleGroup[] = ['sales', 'marketing', 'admin'];
const DECIDES: readonly ConsoleGroup[] = ['sales', 'admin'];
const MARKETING: readonly ConsoleGroup[] = ['marketing', 'admin'];
const ERASES: readonly ConsoleGroup[] = ['admin'];

/**
 * THE permission table: every console route (API Gateway route key) and the groups that may call it. A route
 * missing here answers 403 to everyone, and a unit test checks that every `auth: 'console'` route of HTTP_ROUTES
 * has its row. `null`: any signed-in user, in whatever group (or none).
 */
export const CONSOLE_PERMISSIONS: Readonly<Record<string, readonly ConsoleGroup[] | null>> = {
  'GET /console/api/me': null,
  'GET /console/api/leads': SEES_LEADS,
  'GET /console/api/leads/{email}': SEES_LEADS,
  'POST /console/api/leads/{email}/decision': DECIDES,
  'GET /console/api/leads/{email}/export': MARKETING,
  'DELETE /console/api/leads/{email}': ERASES,
  'GET /console/api/funnel': MARKETING,
  'GET /console/api/templates': MARKETING,
  'GET /console/api/templates/{id}/preview': MARKETING,
  'POST /console/api/templates/{id}/test-send': MARKETING,
  'GET /console/api/sequences': MARKETING,
  'GET /console/api/rules': MARKETING,
  'POST /console/api/rules/preview': MARKETING,
  'GET /console/api/campaigns': MARKETING,
};

/** Signed in, but not in a group that may do this. */
export class ForbiddenError extends HttpError {
  constructor(message = 'Forbidden: your console group may not do this', fields?: Record<string, string>) {
    super(403, 'forbidden', message, fields);
  }
}

/**
 * The caller of a console route, allowed by CONSOLE_PERMISSIONS for the event's route key: no (usable) identity is
 * 401, a group that may not call the route is 403.
 */
export function requireConsoleAccess(event: HttpEvent): ConsoleIdentity {
  const identity = consoleIdentity(event);
  if (!identity) throw new UnauthorizedError('Unauthorized: sign in to the console');
  const allowed = CONSOLE_PERMISSIONS[event.routeKey];
  if (allowed === undefined) throw new ForbiddenError(`Forbidden: ${event.routeKey} is not a console route`);
  if (allowed !== null && !identity.groups.some((group) => allowed.includes(group))) {
    throw new ForbiddenError(`Forbidden: ${event.routeKey} needs one of the groups ${allowed.join(', ')}`);
  }
  return identity;
}

/** The identity in the claims API Gateway passes (requestContext.authorizer.jwt.claims); undefined without sub and email. */
export function consoleIdentity(event: HttpEvent): ConsoleIdentity | undefined {
  const context = event.requestContext as HttpEvent['requestContext'] & { authorizer?: { jwt?: { claims?: unknown } } };
  const claims = context.authorizer?.jwt?.claims;
  if (typeof claims !== 'object' || claims === null) return undefined;
  const { email, sub } = claims as Record<string, unknown>;
  if (typeof email !== 'string' || email.trim() === '' || typeof sub !== 'string' || sub === '') return undefined;
  return { email: email.trim().toLowerCase(), sub, groups: parseGroupsClaim((claims as Record<string, unknown>)['cognito:groups']) };
}

/**
 * `cognito:groups` as API Gateway passes it: every claim is a string, an array one its items joined by spaces in
 * square brackets ("[marketing sales]"). A JSON array ('["marketing","sales"]') or a real array is read too, in case
 * a proxy passes the claim through unchanged; groups the console does not know are dropped. Absent: no group.
 */
export function parseGroupsClaim(value: unknown): ConsoleGroup[] {
  let items: unknown[] = [];
  if (Array.isArray(value)) items = value;
  else if (typeof value === 'string') {
    const text = value.trim();
    if (text.startsWith('[') && text.endsWith(']')) {
      const json = parseJsonArray(text);
      items = json ?? text.slice(1, -1).split(/[\s,]+/);
    } else items = text.split(/[\s,]+/);
  }
  return [...new Set(items.filter(isConsoleGroup))];
}

function parseJsonArray(text: string): unknown[] | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
