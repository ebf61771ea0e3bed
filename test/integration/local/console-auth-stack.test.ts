import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTTP_ROUTES, type HttpRoute } from '../../../shared/wiring/app-wiring';
import { startTestStack, type TestStack } from '../../support/test-stack';

/**
 * The local sign-in in the running stack, end to end: the issuer made at start, POST /_dev/login, and the
 * stack's HTTP server guarding every `auth: 'console'` route of the real route table before any function runs.
 */
const consoleRoutes = (HTTP_ROUTES as readonly HttpRoute[]).filter((route) => route.auth === 'console');

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack.stop();
});

async function signIn(email: string, groups: string[]): Promise<string> {
  const response = await stack.postJson('/_dev/login', { email, groups });
  expect(response.status).toBe(200);
  return ((await response.json()) as { token: string }).token;
}

/** A concrete request path for a route: every {param} filled in. */
const pathOf = (route: HttpRoute) => route.path.replace(/\{[^}]+\}/g, 'nobody%40leadpipe.example');

describe('local console sign-in in the running stack', () => {
  it('serves the JWKS under the issuer the tokens name', async () => {
    // Prepare
    const token = await signIn('anna@leadpipe.example', ['marketing']);
    const { iss } = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as { iss: string };

    // Act
    const response = await fetch(`${iss}/.well-known/jwks.json`);

    // Assess
    expect(iss).toBe(`${stack.url}/_dev/auth`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { keys: unknown[] }).keys).toHaveLength(1);
  });

  it('passes a signed-in user to the console handler, which reads the claims as API Gateway passes them', async () => {
    // Prepare
    const token = await signIn('Anna@Leadpipe.Example', ['sales', 'marketing']);

    // Act
    const response = await fetch(`${stack.url}/console/api/me`, { headers: { authorization: `Bearer ${token}` } });

    // Assess
    expect(response.status).toBe(200);
    const me = (await response.json()) as { email: string; groups: string[] };
    expect(me.email).toBe('anna@leadpipe.example');
    expect([...me.groups].sort()).toEqual(['marketing', 'sales']);
  });

  it('has console routes to guard', () => {
    expect(consoleRoutes.length).toBeGreaterThan(0);
  });

  it.each(consoleRoutes.map((route) => [`${route.method} ${route.path}`, route] as const))(
    'answers %s without a token with 401, as the JWT authorizer does',
    async (_key, route) => {
      // Act
      const response = await fetch(`${stack.url}${pathOf(route)}`, {
        method: route.method,
        ...(route.method === 'POST' ? { headers: { 'content-type': 'application/json' }, body: '{}' } : {}),
      });

      // Assess
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ message: 'Unauthorized' });
    },
  );

  it('answers a token from another stack (its own issuer and key pair) with 401', async () => {
    // Prepare: a second stack signs a token for the same email; each stack accepts only its own issuer's tokens
    const other = await startTestStack();
    let foreign: string;
    try {
      const response = await other.postJson('/_dev/login', { email: 'anna@leadpipe.example', groups: ['admin'] });
      foreign = ((await response.json()) as { token: string }).token;
    } finally {
      await other.stop();
    }

    // Act
    const response = await fetch(`${stack.url}/console/api/me`, { headers: { authorization: `Bearer ${foreign}` } });

    // Assess
    expect(response.status).toBe(401);
  });
});
