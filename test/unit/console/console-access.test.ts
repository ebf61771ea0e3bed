import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { CONSOLE_PERMISSIONS, ForbiddenError, parseGroupsClaim, requireConsoleAccess } from '../../../shared/console/console-access';
import { UnauthorizedError } from '../../../shared/http/http-errors';
import { FUNCTIONS, HTTP_ROUTES, type HttpRoute } from '../../../shared/wiring/app-wiring';

function eventWith(routeKey: string, claims?: Record<string, string>): APIGatewayProxyEventV2 {
  return {
    routeKey,
    requestContext: { ...(claims ? { authorizer: { jwt: { claims, scopes: null } } } : {}) },
  } as unknown as APIGatewayProxyEventV2;
}

describe('cognito:groups as API Gateway passes it', () => {
  it.each([
    ['[marketing sales]', ['marketing', 'sales']],
    ['[admin]', ['admin']],
    ['["marketing","admin"]', ['marketing', 'admin']],
    ['sales', ['sales']],
    ['[]', []],
    ['[sales unknown Admin]', ['sales']],
    [undefined, []],
    [['marketing', 'marketing'], ['marketing']],
  ])('%j reads as %j', (claim, groups) => {
    // Act
    const parsed = parseGroupsClaim(claim);

    // Assess
    expect(parsed).toEqual(groups);
  });
});

describe('requireConsoleAccess', () => {
  const claims = { sub: 'u-1', email: ' Ann@Example.COM ', 'cognito:groups': '[sales]' };

  it('returns the identity of an allowed user, the address normalised', () => {
    // Act
    const identity = requireConsoleAccess(eventWith('GET /console/api/leads', claims));

    // Assess
    expect(identity).toEqual({ email: 'ann@example.com', sub: 'u-1', groups: ['sales'] });
  });

  it.each([
    ['no authorizer context', undefined],
    ['no email claim', { sub: 'u-1', 'cognito:groups': '[admin]' }],
    ['no sub claim', { email: 'a@b.example', 'cognito:groups': '[admin]' }],
  ])('is a 401 with %s', (_case, given) => {
    // Act
    const act = () => requireConsoleAccess(eventWith('GET /console/api/me', given));

    // Assess
    expect(act).toThrow(UnauthorizedError);
  });

  it('is a 403 for a group the route does not allow, and for a route missing from the table', () => {
    // Act
    const wrongGroup = () =>
      requireConsoleAccess(eventWith('DELETE /console/api/leads/{email}', { ...claims, 'cognito:groups': '[marketing]' }));
    const unknownRoute = () => requireConsoleAccess(eventWith('GET /console/api/secrets', { ...claims, 'cognito:groups': '[admin]' }));

    // Assess
    expect(wrongGroup).toThrow(ForbiddenError);
    expect(unknownRoute).toThrow(ForbiddenError);
  });

  it('lets any signed-in user ask who they are, even in no group', () => {
    // Act
    const identity = requireConsoleAccess(eventWith('GET /console/api/me', { sub: 'u-2', email: 'b@example.com' }));

    // Assess
    expect(identity.groups).toEqual([]);
  });
});

describe('the permission table and the route table', () => {
  const consoleRoutes = (HTTP_ROUTES as readonly HttpRoute[]).filter((route) => route.auth === 'console');

  it('has exactly one row per console route, and every /console/api route needs a console sign-in', () => {
    // Prepare
    const apiRoutes = (HTTP_ROUTES as readonly HttpRoute[]).filter((route) => route.path.startsWith('/console/api/'));

    // Assess
    expect(apiRoutes).toEqual(consoleRoutes);
    expect(Object.keys(CONSOLE_PERMISSIONS).sort()).toEqual(consoleRoutes.map((route) => `${route.method} ${route.path}`).sort());
  });

  it('only erasure is admin-only, and sales never reaches the marketing routes', () => {
    // Assess
    expect(Object.entries(CONSOLE_PERMISSIONS).filter(([, groups]) => groups?.length === 1)).toEqual([
      ['DELETE /console/api/leads/{email}', ['admin']],
    ]);
    for (const key of [
      'GET /console/api/funnel',
      'GET /console/api/templates',
      'POST /console/api/rules/preview',
      'GET /console/api/leads/{email}/export',
    ]) {
      expect(CONSOLE_PERMISSIONS[key]).toEqual(['marketing', 'admin']);
    }
  });

  it('every console handler checks the table before anything else', () => {
    // Prepare
    const names = [...new Set(consoleRoutes.map((route) => route.function))];

    // Assess
    for (const name of names) {
      const source = readFileSync(join(__dirname, '../../..', FUNCTIONS[name].entry), 'utf8');
      expect(source, name).toMatch(/httpHandler\(async \(event\) => \{\n\s+const identity = requireConsoleAccess\(event\);/);
    }
    expect(readdirSync(join(__dirname, '../../../functions')).filter((file) => file.startsWith('console-')).length).toBe(names.length);
  });
});
