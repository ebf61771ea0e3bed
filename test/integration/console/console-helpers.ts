/**
 * Helpers of the console API tests. Two ways in, both through the real handlers on a test stack:
 * - over HTTP with a bearer token from the local issuer (POST /_dev/login), as the console app calls it;
 * - by invoking a handler with an API Gateway event whose claims are exactly what the HttpApi JWT authorizer passes
 *   (every claim a string, `cognito:groups` as "[a b]"): the contract, independent of the local issuer.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { expect } from 'vitest';
import type { ConsoleGroup } from '../../../shared/console/console-config';
import { FUNCTIONS, HTTP_ROUTES, type FunctionName, type HttpRoute } from '../../../shared/wiring/app-wiring';
import type { TestStack } from '../../support/test-stack';
import { PROJECT_ROOT } from '../../../local/local-stack';

export const CONSOLE_ROUTES = (HTTP_ROUTES as readonly HttpRoute[]).filter((route) => route.auth === 'console');

export function routeKey(route: Pick<HttpRoute, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}

/** A signed-in console user: a token from the stack's own issuer. */
export async function signIn(stack: TestStack, email: string, groups: ConsoleGroup[]): Promise<string> {
  const response = await stack.postJson('/_dev/login', { email, groups });
  expect(response.status).toBe(200);
  return ((await response.json()) as { token: string }).token;
}

export interface ConsoleCall {
  method: string;
  path: string;
  token?: string;
  body?: unknown;
}

/** One console API request over HTTP, as the console app makes it. */
export function consoleFetch(stack: TestStack, call: ConsoleCall): Promise<Response> {
  const headers: Record<string, string> = {};
  if (call.token) headers.authorization = `Bearer ${call.token}`;
  if (call.body !== undefined) headers['content-type'] = 'application/json';
  return fetch(`${stack.url}${call.path}`, {
    method: call.method,
    headers,
    ...(call.body !== undefined ? { body: typeof call.body === 'string' ? call.body : JSON.stringify(call.body) } : {}),
    redirect: 'manual',
  });
}

/** A user as API Gateway describes them to the function (requestContext.authorizer.jwt.claims). */
export function claimsOf(email: string, groups: readonly string[]): Record<string, string> {
  return {
    sub: randomUUID(),
    email,
    email_verified: 'true',
    ...(groups.length > 0 ? { 'cognito:groups': `[${groups.join(' ')}]` } : {}),
    token_use: 'id',
    iat: String(Math.floor(Date.now() / 1000)),
    exp: String(Math.floor(Date.now() / 1000) + 3600),
  };
}

/** An API Gateway HTTP API (payload 2.0) event for a console route, with the claims of a JWT authorizer or none. */
export function consoleEvent(input: {
  route: Pick<HttpRoute, 'method' | 'path'>;
  claims?: Record<string, string>;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  at: Date;
}): APIGatewayProxyEventV2 {
  const rawPath = input.route.path.replace(/\{(\w+)\}/g, (_match, name: string) => encodeURIComponent(input.pathParameters?.[name] ?? ''));
  const key = routeKey(input.route);
  const body = input.body === undefined ? undefined : JSON.stringify(input.body);
  return {
    version: '2.0',
    routeKey: key,
    rawPath,
    rawQueryString: new URLSearchParams(input.query ?? {}).toString(),
    headers: { host: 'localhost', ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(input.query ? { queryStringParameters: input.query } : {}),
    ...(input.pathParameters ? { pathParameters: input.pathParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'test',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: { method: input.route.method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
      requestId: randomUUID(),
      routeKey: key,
      stage: '$default',
      time: input.at.toUTCString(),
      timeEpoch: input.at.getTime(),
      ...(input.claims ? { authorizer: { jwt: { claims: input.claims, scopes: null } } } : {}),
    } as APIGatewayProxyEventV2['requestContext'],
    ...(body ? { body } : {}),
    isBase64Encoded: false,
  };
}

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * Invokes a function's handler in this process, as the local stack does (after startTestStack, whose environment
 * the handler reads at import).
 */
export async function invokeHandler(name: FunctionName, event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const url = pathToFileURL(join(PROJECT_ROOT, FUNCTIONS[name].entry)).href;
  const module = (await import(/* @vite-ignore */ url)) as { handler: Handler };
  return module.handler(event, { awsRequestId: randomUUID(), functionName: name, getRemainingTimeInMillis: () => 30_000 } as Context);
}

export function bodyOf(result: APIGatewayProxyStructuredResultV2): any {
  return JSON.parse(String(result.body));
}
