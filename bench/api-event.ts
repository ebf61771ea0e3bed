import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';

/**
 * API Gateway HTTP API payload-2.0 events for in-process invocations, built the way
 * local/http-server.ts builds them (lower-cased headers, base64 for form posts).
 */
let visitors = 0;
/**
 * Each event comes from a visitor of its own (198.18.0.0/15, the range reserved for benchmarks): the
 * per-IP limit on consent requests (shared/capture/rate-limits.ts) is for one client, not a whole benchmark.
 */
function nextVisitorIp(): string {
  visitors += 1;
  return `198.${18 + ((visitors >> 16) & 1)}.${(visitors >> 8) & 255}.${visitors & 255}`;
}

export function apiEvent(options: {
  method?: 'GET' | 'POST';
  path: string;
  routeKey?: string;
  body?: string;
  contentType?: string;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  sourceIp?: string;
  userAgent?: string;
  timeEpoch?: number;
}): APIGatewayProxyEventV2 {
  const method = options.method ?? 'POST';
  const userAgent =
    options.userAgent ?? 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';
  const contentType = options.contentType ?? 'application/json';
  const headers: Record<string, string> = {
    host: 'forms.leadpipe.example',
    'content-type': contentType,
    'user-agent': userAgent,
    'accept-language': 'de-DE,de;q=0.9,en;q=0.8',
    origin: 'https://www.leadpipe.example',
    ...Object.fromEntries(Object.entries(options.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value])),
  };
  const textual = /^(text\/|application\/json)/i.test(contentType);
  const now = options.timeEpoch ?? Date.now();
  const body = options.body;
  const query = options.query ?? {};
  const rawQueryString = new URLSearchParams(query).toString();
  return {
    version: '2.0',
    routeKey: options.routeKey ?? `${method} ${options.path}`,
    rawPath: options.path,
    rawQueryString,
    headers,
    queryStringParameters: Object.keys(query).length ? query : undefined,
    requestContext: {
      accountId: '000000000000',
      apiId: 'bench',
      domainName: 'forms.leadpipe.example',
      domainPrefix: 'forms',
      http: { method, path: options.path, protocol: 'HTTP/1.1', sourceIp: options.sourceIp ?? nextVisitorIp(), userAgent },
      requestId: randomUUID(),
      routeKey: options.routeKey ?? `${method} ${options.path}`,
      stage: '$default',
      time: new Date(now).toUTCString(),
      timeEpoch: now,
    },
    body: body === undefined || body.length === 0 ? undefined : textual ? body : Buffer.from(body, 'utf8').toString('base64'),
    isBase64Encoded: body !== undefined && body.length > 0 && !textual,
  };
}

export function lambdaContext(functionName: string, timeoutSeconds = 10): Context {
  const deadline = Date.now() + timeoutSeconds * 1000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-central-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'bench',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export type FormName = 'newsletter' | 'download' | 'contact';

/** Realistic form bodies as a website would post them (JSON API clients), one unique address each. */
export function formBody(form: FormName, index: number, domain = 'acme-industrie.example'): Record<string, unknown> {
  const common = {
    email: `lead-${index}-${randomUUID().slice(0, 8)}@${domain}`,
    firstName: 'Erika',
    lastName: 'Mustermann',
    company: 'Acme Industrie GmbH',
    jobTitle: 'Head of Marketing',
    locale: 'de',
    utm_source: 'linkedin',
    utm_medium: 'paid-social',
    utm_campaign: 'q4-lead-types',
    page: 'https://www.leadpipe.example/ratgeber/lead-typen',
    referrer: 'https://www.linkedin.com/',
  };
  switch (form) {
    case 'newsletter':
      return { ...common, marketingConsent: true };
    case 'download':
      return { ...common, assetId: 'ebook-lead-types', marketingConsent: true };
    case 'contact':
      return {
        ...common,
        phone: '+49 30 1234567',
        message:
          'Wir möchten unsere Lead-Qualifizierung automatisieren. Bitte rufen Sie mich für ein kurzes Gespräch an – am besten vormittags.',
        marketingConsent: false,
      };
  }
}
