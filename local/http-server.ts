import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { HTTP_ROUTES, type FunctionName, type HttpRoute } from '../shared/wiring/app-wiring';
import { corsPolicy, isAllowedOrigin } from '../shared/wiring/cors-policy';
import type { ApiGatewayJwtAuthorizerContext, LocalConsoleIssuer } from './console-auth';
import { consoleStaticResponse } from './console-static';
import { demoSitePage } from './start-page';
import type { VirtualClock } from './virtual-clock';

/** API Gateway's own payload limit; the handlers enforce the much smaller form limit themselves. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

export interface DevRoute {
  method: 'GET' | 'POST';
  path: string;
  handle(request: {
    params: Record<string, string>;
    query: URLSearchParams;
    body: string;
  }): Promise<{ status: number; body: unknown; contentType?: string; headers?: Readonly<Record<string, string>> }>;
}

interface CompiledRoute<T> {
  method: string;
  pattern: RegExp;
  paramNames: string[];
  routeKey: string;
  value: T;
}

/**
 * Serves the same route table as the HttpApi, turning each request into an API Gateway HTTP API
 * payload-2.0 event, including its quirks (lower-cased headers, base64 bodies for form posts).
 */
export class LocalHttpServer {
  private server?: Server;
  private apiRoutes = compile(HTTP_ROUTES as readonly HttpRoute[], (route) => route);
  private devRoutes: CompiledRoute<DevRoute>[] = [];
  private allowedOrigins: readonly string[] = [];
  /** checks the bearer token of `auth: 'console'` routes; without one, every such request is 401 */
  private consoleAuth?: Pick<LocalConsoleIssuer, 'verify'>;

  constructor(
    private readonly options: {
      clock: VirtualClock;
      invoke: (name: FunctionName, event: APIGatewayProxyEventV2) => Promise<unknown>;
    },
  ) {}

  /** Set once the port, and so the public URL the rest of the configuration needs, is known. */
  configure(settings: {
    devRoutes: DevRoute[];
    allowedOrigins: readonly string[];
    consoleAuth?: Pick<LocalConsoleIssuer, 'verify'>;
    /** replaces HTTP_ROUTES (tests of the server itself) */
    apiRoutes?: readonly HttpRoute[];
  }): void {
    this.devRoutes = compile(settings.devRoutes, (route) => route);
    this.allowedOrigins = settings.allowedOrigins;
    this.consoleAuth = settings.consoleAuth;
    if (settings.apiRoutes) this.apiRoutes = compile(settings.apiRoutes, (route) => route);
  }

  async listen(port: number): Promise<number> {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        console.error('local http server error', error);
        if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { code: 'internal_error', message: 'local server error' } }));
      });
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, resolve);
    });
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const method = (request.method ?? 'GET').toUpperCase();
    const origin = request.headers.origin;
    const corsHeaders: Record<string, string> = isAllowedOrigin(origin, this.allowedOrigins)
      ? { 'access-control-allow-origin': origin, vary: 'origin' }
      : {};

    if (method === 'OPTIONS') {
      // The HttpApi answers preflights itself, before any Lambda runs; so does this server.
      const allowed = isAllowedOrigin(origin, this.allowedOrigins);
      response.writeHead(
        204,
        allowed
          ? {
              ...corsHeaders,
              'access-control-allow-methods': corsPolicy.allowMethods.join(','),
              'access-control-allow-headers': corsPolicy.allowHeaders.join(','),
              'access-control-max-age': String(corsPolicy.maxAgeSeconds),
            }
          : {},
      );
      return void response.end();
    }

    const body = await readBody(request);
    if (body === 'too-large') {
      response.writeHead(413, { 'content-type': 'application/json', ...corsHeaders });
      return void response.end(JSON.stringify({ message: 'Request Entity Too Large' }));
    }

    // The console SPA and its config.json (local/console-static.ts); /console/api/* falls through to the routes.
    const consoleFile = method === 'GET' ? consoleStaticResponse(url.pathname) : undefined;
    if (consoleFile) {
      response.writeHead(consoleFile.status, consoleFile.headers);
      return void response.end(consoleFile.body);
    }

    const site =
      method === 'GET'
        ? demoSitePage(url.pathname, url.searchParams, request.headers['accept-language'], `http://${request.headers.host}`)
        : undefined;
    if (site) {
      if (site.location !== undefined) {
        response.writeHead(site.status, { ...site.headers, location: site.location });
        return void response.end();
      }
      response.writeHead(site.status, { ...site.headers, 'content-type': 'text/html; charset=utf-8', vary: 'accept-language' });
      return void response.end(site.html);
    }

    let dev: ReturnType<typeof match<DevRoute>>;
    let api: ReturnType<typeof match<HttpRoute>>;
    try {
      dev = match(this.devRoutes, method, url.pathname);
      api = dev ? undefined : match(this.apiRoutes, method, url.pathname);
    } catch (error) {
      if (!(error instanceof MalformedPathError)) throw error;
      // A stray `%` is the client's mistake: a 400 that says so, never the 500 a URIError would become.
      response.writeHead(400, { 'content-type': 'application/json', ...corsHeaders });
      const fields = { path: 'must be valid percent-encoding (a % followed by two hex digits, UTF-8)' };
      return void response.end(JSON.stringify({ error: { code: 'malformed_path', message: 'Malformed request path', fields } }));
    }
    if (dev) {
      const result = await dev.route.value.handle({ params: dev.params, query: url.searchParams, body: body.toString('utf8') });
      const contentType = result.contentType ?? 'application/json; charset=utf-8';
      response.writeHead(result.status, { ...result.headers, 'content-type': contentType });
      return void response.end(typeof result.body === 'string' ? result.body : JSON.stringify(result.body, null, 2));
    }

    if (!api) {
      response.writeHead(404, { 'content-type': 'application/json', ...corsHeaders });
      return void response.end(JSON.stringify({ message: 'Not Found' }));
    }
    // The HttpApi's JWT authorizer runs before the integration: a missing or bad token never reaches the function.
    let authorizer: ApiGatewayJwtAuthorizerContext | undefined;
    if (api.route.value.auth === 'console') {
      authorizer = await this.consoleAuth?.verify(request.headers.authorization);
      if (!authorizer) {
        response.writeHead(401, { 'content-type': 'application/json', ...corsHeaders });
        return void response.end(JSON.stringify({ message: 'Unauthorized' }));
      }
    }
    const event = this.toApiGatewayEvent(request, url, body, api.route.routeKey, api.params);
    if (authorizer) Object.assign(event.requestContext, { authorizer });
    const result = (await this.options.invoke(api.route.value.function, event)) as APIGatewayProxyResultV2;
    writeResult(response, result, corsHeaders);
  }

  private toApiGatewayEvent(
    request: IncomingMessage,
    url: URL,
    body: Buffer,
    routeKey: string,
    params: Record<string, string>,
  ): APIGatewayProxyEventV2 {
    const headers: Record<string, string> = {};
    const cookies: string[] = [];
    for (const [name, value] of Object.entries(request.headers)) {
      if (value === undefined) continue;
      if (name === 'cookie') cookies.push(...String(value).split(/;\s*/));
      else headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
    }
    const query: Record<string, string> = {};
    for (const [name, value] of url.searchParams) query[name] = query[name] === undefined ? value : `${query[name]},${value}`;
    const now = this.options.clock.now();
    // Text that is not valid UTF-8 cannot be passed as a string without silently replacing bytes,
    // which would hide the bad encoding from the handler: pass it base64-encoded, like binary content.
    const textual = isTextual(headers['content-type']) && isUtf8(body);
    return {
      version: '2.0',
      routeKey,
      rawPath: url.pathname,
      rawQueryString: url.search.replace(/^\?/, ''),
      cookies: cookies.length ? cookies : undefined,
      headers,
      queryStringParameters: Object.keys(query).length ? query : undefined,
      pathParameters: Object.keys(params).length ? params : undefined,
      requestContext: {
        accountId: '000000000000',
        apiId: 'local',
        domainName: headers.host ?? 'localhost',
        domainPrefix: 'localhost',
        http: {
          method: (request.method ?? 'GET').toUpperCase(),
          path: url.pathname,
          protocol: `HTTP/${request.httpVersion}`,
          sourceIp: (request.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
          userAgent: headers['user-agent'] ?? '',
        },
        requestId: randomUUID(),
        routeKey,
        stage: '$default',
        time: now.toUTCString(),
        timeEpoch: now.getTime(),
      },
      body: body.length === 0 ? undefined : textual ? body.toString('utf8') : body.toString('base64'),
      isBase64Encoded: body.length > 0 && !textual,
    };
  }
}

/** HTTP APIs pass text bodies through and base64-encode everything else, form posts included. */
function isTextual(contentType: string | undefined): boolean {
  const type = (contentType ?? '').toLowerCase();
  return (
    type.startsWith('text/') ||
    type.startsWith('application/json') ||
    type.startsWith('application/xml') ||
    type.startsWith('application/javascript')
  );
}

function writeResult(response: ServerResponse, result: APIGatewayProxyResultV2, extraHeaders: Record<string, string>): void {
  if (typeof result === 'string' || result === undefined || result === null) {
    response.writeHead(200, { 'content-type': 'application/json', ...extraHeaders });
    return void response.end(typeof result === 'string' ? result : '');
  }
  const headers: Record<string, string | string[]> = { ...extraHeaders };
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name.toLowerCase()] = String(value);
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  response.writeHead(result.statusCode ?? 200, headers);
  response.end(result.body === undefined ? '' : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8'));
}

function compile<T extends { method: string; path: string }, V>(routes: readonly T[], value: (route: T) => V): CompiledRoute<V>[] {
  return routes.map((route) => {
    const paramNames: string[] = [];
    const source = route.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{(\w+)\\?\}|\{(\w+)\}/g, (_match, a: string, b: string) => {
      paramNames.push(a ?? b);
      return '([^/]+)';
    });
    return {
      method: route.method,
      pattern: new RegExp(`^${source}$`),
      paramNames,
      routeKey: `${route.method} ${route.path}`,
      value: value(route),
    };
  });
}

class MalformedPathError extends Error {
  override name = 'MalformedPathError';
}

function match<V>(
  routes: CompiledRoute<V>[],
  method: string,
  path: string,
): { route: CompiledRoute<V>; params: Record<string, string> } | undefined {
  for (const route of routes) {
    if (route.method !== method) continue;
    const found = route.pattern.exec(path);
    if (!found) continue;
    const params: Record<string, string> = {};
    route.paramNames.forEach((name, index) => {
      params[name] = decodePathParameter(found[index + 1]!);
    });
    return { route, params };
  }
  return undefined;
}

function decodePathParameter(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch (error) {
    if (error instanceof URIError) throw new MalformedPathError(raw.slice(0, 100));
    throw error;
  }
}

function readBody(request: IncomingMessage): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => resolve(size > MAX_BODY_BYTES ? 'too-large' : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}
