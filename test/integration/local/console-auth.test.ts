import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  apiGatewayClaimValue,
  consoleAuthDevRoutes,
  LOCAL_CONSOLE_CLIENT_ID,
  LOCAL_JWKS_PATH,
  LOCAL_TOKEN_LIFETIME_SECONDS,
  LocalConsoleIssuer,
} from '../../../local/console-auth';
import { LocalHttpServer } from '../../../local/http-server';
import { VirtualClock } from '../../../local/virtual-clock';
import type { FunctionName, HttpRoute } from '../../../shared/wiring/app-wiring';

/**
 * The local stand-in for the HttpApi JWT authorizer: the local HTTP server with a console route and a public one,
 * and a function stub that records what it was invoked with. A rejected token must never reach the function.
 */
const CONSOLE_ROUTE = { method: 'GET', path: '/console/api/probe', function: 'console-probe' as FunctionName, auth: 'console' } as const;
const PUBLIC_ROUTE = { method: 'GET', path: '/public-probe', function: 'public-probe' as FunctionName } as const;

let server: LocalHttpServer;
let url: string;
let issuer: LocalConsoleIssuer;
const invocations: APIGatewayProxyEventV2[] = [];

beforeAll(async () => {
  server = new LocalHttpServer({
    clock: new VirtualClock('2026-01-01T00:00:00.000Z'),
    invoke: async (_name, event) => {
      invocations.push(event);
      return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ invoked: true }) };
    },
  });
  const port = await server.listen(0);
  url = `http://localhost:${port}`;
  issuer = await LocalConsoleIssuer.create(url);
  server.configure({
    devRoutes: consoleAuthDevRoutes(issuer),
    allowedOrigins: [url],
    consoleAuth: issuer,
    apiRoutes: [CONSOLE_ROUTE, PUBLIC_ROUTE] satisfies HttpRoute[],
  });
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  invocations.length = 0;
});

async function login(body: unknown): Promise<Response> {
  return fetch(`${url}/_dev/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

async function tokenFor(email: string, groups: string[]): Promise<string> {
  const response = await login({ email, groups });
  expect(response.status).toBe(200);
  return ((await response.json()) as { token: string }).token;
}

function probe(authorization?: string): Promise<Response> {
  return fetch(`${url}${CONSOLE_ROUTE.path}`, { headers: authorization === undefined ? {} : { authorization } });
}

/** Claims like the ones signIn makes, for tokens the tests shape by hand. */
function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    sub: 'c0ffee00-0000-4000-8000-000000000000',
    email: 'anna@leadpipe.example',
    'cognito:groups': ['marketing'],
    token_use: 'id',
    iss: issuer.issuer,
    aud: LOCAL_CONSOLE_CLIENT_ID,
    iat: now,
    exp: now + 3600,
    ...overrides,
  };
}

async function expectRejected(response: Response): Promise<void> {
  expect(response.status).toBe(401);
  expect(await response.json()).toEqual({ message: 'Unauthorized' });
  expect(invocations).toEqual([]);
}

describe('local console sign-in: POST /_dev/login', () => {
  it("answers an ID token shaped like Cognito's: issuer, audience, email, groups, 8 hours of wall-clock validity", async () => {
    // Act
    const before = Math.floor(Date.now() / 1000);
    const token = await tokenFor('Anna@Leadpipe.Example', ['marketing', 'sales']);

    // Assess: verified the way API Gateway does, knowing only the issuer URL and fetching its JWKS
    const jwks = createRemoteJWKSet(new URL(`${issuer.issuer}/.well-known/jwks.json`));
    const { payload, protectedHeader } = await jwtVerify(token, jwks, { issuer: `${url}/_dev/auth`, audience: LOCAL_CONSOLE_CLIENT_ID });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload).toMatchObject({ email: 'anna@leadpipe.example', 'cognito:groups': ['marketing', 'sales'], token_use: 'id' });
    expect(payload.sub).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(payload.iat).toBeGreaterThanOrEqual(before);
    expect(payload.exp! - payload.iat!).toBe(LOCAL_TOKEN_LIFETIME_SECONDS);
  });

  it('gives the same user the same sub on every sign-in, as Cognito does', async () => {
    // Act
    const first = JSON.parse(atob((await tokenFor('ben@leadpipe.example', ['sales'])).split('.')[1]!)) as { sub: string };
    const second = JSON.parse(atob((await tokenFor('ben@leadpipe.example', ['admin'])).split('.')[1]!)) as { sub: string };
    const other = JSON.parse(atob((await tokenFor('cara@leadpipe.example', ['sales'])).split('.')[1]!)) as { sub: string };

    // Assess
    expect(second.sub).toBe(first.sub);
    expect(other.sub).not.toBe(first.sub);
  });

  it('serves the JWKS under the issuer, as Cognito does', async () => {
    // Act
    const response = await fetch(`${url}${LOCAL_JWKS_PATH}`);
    const jwks = (await response.json()) as { keys: Array<Record<string, string>> };

    // Assess
    expect(response.status).toBe(200);
    expect(`${url}${LOCAL_JWKS_PATH}`).toBe(`${issuer.issuer}/.well-known/jwks.json`);
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });

  it.each([
    ['a missing email', { groups: ['sales'] }, 'email'],
    ['an email that is not one', { email: 'anna', groups: ['sales'] }, 'email'],
    ['missing groups', { email: 'anna@leadpipe.example' }, 'groups'],
    ['groups that are not a list', { email: 'anna@leadpipe.example', groups: 'sales' }, 'groups'],
    ['an unknown group', { email: 'anna@leadpipe.example', groups: ['sales', 'boss'] }, 'groups'],
    ['an unknown field', { email: 'anna@leadpipe.example', groups: ['sales'], admin: true }, 'admin'],
  ])('rejects %s with 400 naming the field', async (_label, body, field) => {
    // Act
    const response = await login(body);
    const answer = (await response.json()) as { error: { code: string; fields: Record<string, string> } };

    // Assess
    expect(response.status).toBe(400);
    expect(answer.error.code).toBe('validation_failed');
    expect(Object.keys(answer.error.fields)).toEqual([field]);
  });

  it('rejects a body that is not JSON with 400', async () => {
    // Act
    const response = await fetch(`${url}/_dev/login`, { method: 'POST', body: 'email=anna@leadpipe.example' });

    // Assess
    expect(response.status).toBe(400);
  });
});

describe('local JWT authorizer on an auth: console route', () => {
  it('invokes the function with the claims where API Gateway puts them, every value a string', async () => {
    // Prepare
    const token = await tokenFor('anna@leadpipe.example', ['marketing', 'sales']);

    // Act
    const response = await probe(`Bearer ${token}`);

    // Assess
    expect(response.status).toBe(200);
    expect(invocations).toHaveLength(1);
    const authorizer = (invocations[0]!.requestContext as unknown as { authorizer: { jwt: { claims: Record<string, unknown> } } })
      .authorizer;
    expect(authorizer).toMatchObject({ jwt: { scopes: null } });
    const received = authorizer.jwt.claims;
    expect(received).toMatchObject({
      email: 'anna@leadpipe.example',
      'cognito:groups': '[marketing sales]',
      token_use: 'id',
      aud: LOCAL_CONSOLE_CLIENT_ID,
      iss: issuer.issuer,
      email_verified: 'true',
    });
    expect(received.iat).toMatch(/^\d+$/);
    expect(received.exp).toMatch(/^\d+$/);
    for (const value of Object.values(received)) expect(typeof value).toBe('string');
  });

  it('leaves cognito:groups out for a user in no group, as Cognito does', async () => {
    // Prepare
    const token = await tokenFor('nogroup@leadpipe.example', []);

    // Act
    const response = await probe(`Bearer ${token}`);

    // Assess
    expect(response.status).toBe(200);
    const received = (invocations[0]!.requestContext as unknown as { authorizer: { jwt: { claims: Record<string, string> } } }).authorizer
      .jwt.claims;
    expect(received).not.toHaveProperty('cognito:groups');
    expect(received.email).toBe('nogroup@leadpipe.example');
  });

  it('accepts the token without the Bearer prefix, as the JWT authorizer does', async () => {
    // Prepare
    const token = await tokenFor('anna@leadpipe.example', ['sales']);

    // Act
    const response = await probe(token);

    // Assess
    expect(response.status).toBe(200);
    expect(invocations).toHaveLength(1);
  });

  it('rejects a request without a token with 401 and does not invoke the function', async () => {
    await expectRejected(await probe());
  });

  it('rejects an expired token', async () => {
    // Prepare
    const now = Math.floor(Date.now() / 1000);
    const token = await issuer.sign(claims({ iat: now - 9 * 3600, exp: now - 3600 }));

    // Act + Assess
    await expectRejected(await probe(`Bearer ${token}`));
  });

  it('rejects a token of another issuer, even signed with this key', async () => {
    // Prepare
    const token = await issuer.sign(claims({ iss: 'https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_other' }));

    // Act + Assess
    await expectRejected(await probe(`Bearer ${token}`));
  });

  it('rejects a token for another audience (app client)', async () => {
    // Prepare
    const token = await issuer.sign(claims({ aud: 'some-other-client' }));

    // Act + Assess
    await expectRejected(await probe(`Bearer ${token}`));
  });

  it('rejects a token signed by another key pair', async () => {
    // Prepare: a second issuer at the same URL, so everything but the key matches
    const impostor = await LocalConsoleIssuer.create(url);
    const token = await impostor.sign(claims());

    // Act + Assess
    await expectRejected(await probe(`Bearer ${token}`));
  });

  it('rejects a token whose claims were changed after signing', async () => {
    // Prepare: a valid sales token, its groups rewritten to admin
    const [header, , signature] = (await tokenFor('ben@leadpipe.example', ['sales'])).split('.');
    const forged = Buffer.from(JSON.stringify(claims({ email: 'ben@leadpipe.example', 'cognito:groups': ['admin'] }))).toString(
      'base64url',
    );

    // Act + Assess
    await expectRejected(await probe(`Bearer ${header}.${forged}.${signature}`));
  });

  it('rejects a token that is not valid yet (nbf or iat in the future)', async () => {
    // Prepare
    const later = Math.floor(Date.now() / 1000) + 600;

    // Act + Assess
    await expectRejected(await probe(`Bearer ${await issuer.sign(claims({ nbf: later }))}`));
    await expectRejected(await probe(`Bearer ${await issuer.sign(claims({ iat: later }))}`));
  });

  it('rejects a token without an expiry and a header that is no token', async () => {
    await expectRejected(await probe(`Bearer ${await issuer.sign(claims({ exp: undefined }))}`));
    await expectRejected(await probe('Bearer not-a-jwt'));
    await expectRejected(await probe('Bearer '));
  });

  it('asks nothing of a route without auth', async () => {
    // Act
    const response = await fetch(`${url}${PUBLIC_ROUTE.path}`);

    // Assess
    expect(response.status).toBe(200);
    expect(invocations).toHaveLength(1);
    expect(invocations[0]!.requestContext).not.toHaveProperty('authorizer');
  });
});

describe('API Gateway claim values', () => {
  it.each([
    ['a string', 'anna@leadpipe.example', 'anna@leadpipe.example'],
    ['a number', 1764750000, '1764750000'],
    ['a boolean', true, 'true'],
    ['a list', ['marketing', 'sales', 'admin'], '[marketing sales admin]'],
    ['a list of one', ['admin'], '[admin]'],
  ])('passes %s as a string', (_label, value, expected) => {
    expect(apiGatewayClaimValue(value)).toBe(expected);
  });
});
