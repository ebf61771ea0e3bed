import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_PERMISSIONS } from '../../../shared/console/console-access';
import { CONSOLE_GROUPS, type ConsoleGroup } from '../../../shared/console/console-config';
import { defaultScoringConfig } from '../../../shared/domain/classification';
import type { HttpRoute } from '../../../shared/wiring/app-wiring';
import { startTestStack, type TestStack, uniqueEmail } from '../../support/test-stack';
import { raiseHand } from '../sales/sales-helpers';
import { bodyOf, CONSOLE_ROUTES, claimsOf, consoleEvent, consoleFetch, invokeHandler, routeKey, signIn } from './console-helpers';

/**
 * Every console route of HTTP_ROUTES, driven from the table itself so that a new route cannot be left out:
 * without a sign-in 401, in a group the permission table does not allow 403, in an allowed group 2xx.
 */
describe('console API authorization, route by route', () => {
  let stack: TestStack;
  /** a lead every read route can show */
  let shown: string;

  beforeAll(async () => {
    stack = await startTestStack();
    shown = uniqueEmail('shown');
    await raiseHand(stack, shown);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** What each route needs to succeed: its path parameters and body. A route without an entry fails its tests. */
  async function requestFor(route: HttpRoute, user: string): Promise<{ path: string; body?: unknown }> {
    const lead = async () => {
      // A route that changes the lead (decide, erase) gets a fresh MQL of its own.
      const email = uniqueEmail('acted-on');
      await raiseHand(stack, email);
      return email;
    };
    const leadPath = (email: string, rest = '') => `/console/api/leads/${encodeURIComponent(email)}${rest}`;
    const fixtures: Record<string, () => Promise<{ path: string; body?: unknown }>> = {
      'GET /console/api/me': async () => ({ path: '/console/api/me' }),
      'GET /console/api/leads': async () => ({ path: '/console/api/leads?limit=5' }),
      'GET /console/api/leads/{email}': async () => ({ path: leadPath(shown) }),
      'POST /console/api/leads/{email}/decision': async () => ({ path: leadPath(await lead(), '/decision'), body: { decision: 'accept' } }),
      'GET /console/api/leads/{email}/export': async () => ({ path: leadPath(shown, '/export') }),
      'DELETE /console/api/leads/{email}': async () => ({ path: leadPath(await lead()) }),
      'GET /console/api/funnel': async () => ({ path: '/console/api/funnel' }),
      'GET /console/api/templates': async () => ({ path: '/console/api/templates' }),
      'GET /console/api/templates/{id}/preview': async () => ({ path: '/console/api/templates/opt-in/preview?locale=en' }),
      'POST /console/api/templates/{id}/test-send': async () => ({ path: '/console/api/templates/opt-in/test-send', body: { to: user } }),
      'GET /console/api/sequences': async () => ({ path: '/console/api/sequences' }),
      'GET /console/api/rules': async () => ({ path: '/console/api/rules' }),
      'POST /console/api/rules/preview': async () => ({ path: '/console/api/rules/preview', body: { rules: defaultScoringConfig } }),
      'GET /console/api/campaigns': async () => ({ path: '/console/api/campaigns' }),
    };
    const fixture = fixtures[routeKey(route)];
    if (!fixture) throw new Error(`no request for ${routeKey(route)}: add one to this test`);
    return fixture();
  }

  it('covers the console routes: every /console/api route requires a console sign-in, and has a row in the permission table', () => {
    const apiRoutes = (CONSOLE_ROUTES as readonly HttpRoute[]).map(routeKey).sort();
    expect(apiRoutes.length).toBeGreaterThanOrEqual(13);
    expect(Object.keys(CONSOLE_PERMISSIONS).sort()).toEqual(apiRoutes);
  });

  describe.each(CONSOLE_ROUTES.map((route) => [routeKey(route), route] as const))('%s', (_key, route) => {
    const allowed = CONSOLE_PERMISSIONS[routeKey(route)];
    if (allowed === undefined) throw new Error(`${routeKey(route)} has no row in CONSOLE_PERMISSIONS`);

    it('without a token: 401 from the authorizer, before the function', async () => {
      // Act
      const { path, body } = await requestFor(route, uniqueEmail('nobody', 'console.example'));
      const response = await consoleFetch(stack, { method: route.method, path, body });

      // Assess
      expect(response.status).toBe(401);
    });

    it('without claims in the event: 401 from the handler itself', async () => {
      // Prepare
      const event = consoleEvent({ route, pathParameters: { email: shown, id: 'opt-in' }, at: stack.stack.clock.now() });

      // Act
      const result = await invokeHandler(route.function, event);

      // Assess
      expect(result.statusCode).toBe(401);
      expect(bodyOf(result).error.code).toBe('unauthorized');
    });

    it('in a group the table does not allow: 403 (and a user in no group may only ask who they are)', async () => {
      // Prepare
      const wrong: ConsoleGroup[] = allowed === null ? [] : CONSOLE_GROUPS.filter((group) => !allowed.includes(group)).slice(0, 1);
      const user = uniqueEmail('wrong', 'console.example');
      const token = await signIn(stack, user, wrong);
      const { path, body } = await requestFor(route, user);

      // Act
      const response = await consoleFetch(stack, { method: route.method, path, body, token });

      // Assess
      if (allowed === null) expect(response.status).toBe(200);
      else {
        expect(response.status).toBe(403);
        expect(((await response.json()) as any).error.code).toBe('forbidden');
      }
    });

    it.each((allowed ?? CONSOLE_GROUPS).map((group) => [group]))('in group %s: 2xx', async (group) => {
      // Prepare
      const user = uniqueEmail(group, 'console.example');
      const token = await signIn(stack, user, [group]);
      const { path, body } = await requestFor(route, user);

      // Act
      const response = await consoleFetch(stack, { method: route.method, path, body, token });
      await stack.drain();

      // Assess
      expect(response.status, await response.clone().text()).toBeGreaterThanOrEqual(200);
      expect(response.status).toBeLessThan(300);
    });
  });

  it('reads the groups in the format API Gateway passes them ("[marketing sales]")', async () => {
    // Prepare
    const route = CONSOLE_ROUTES.find((candidate) => routeKey(candidate) === 'GET /console/api/me')!;
    const claims = claimsOf('Both@Console.Example', ['marketing', 'sales', 'unknown-group']);
    const event = consoleEvent({ route, claims, at: stack.stack.clock.now() });

    // Act
    const result = await invokeHandler(route.function, event);

    // Assess
    expect(result.statusCode).toBe(200);
    expect(bodyOf(result)).toEqual({ email: 'both@console.example', groups: ['marketing', 'sales'] });
  });
});
