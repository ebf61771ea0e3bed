/**
 * The runtime configuration the console SPA fetches at start (`/console/config.json` locally, `/config.json` on AWS next
 * to index.html). One file built into the app would need a rebuild per stack; a fetched file lets the same build run
 * locally and behind any CloudFront distribution.
 *
 * Written by: the local stack (kind 'local') and the CDK console hosting construct (kind 'cognito', via Source.jsonData).
 * Read by: the SPA, through parseConsoleConfig (no dependencies, so the browser bundle stays small).
 */

/** Local sign-in: POST `loginUrl` with `{"email", "groups"}` answers `{"token"}`, a bearer token for /console/api/*. */
export interface LocalConsoleAuth {
  readonly kind: 'local';
  readonly loginUrl: string;
}

/**
 * Cognito hosted UI with the authorization-code grant and PKCE (public client, no secret).
 * Authorize: `${domain}/oauth2/authorize`, token: `${domain}/oauth2/token`, logout: `${domain}/logout`.
 * The API expects the ID token (its `aud` is the client id, which the HttpApi JWT authorizer checks).
 */
export interface CognitoConsoleAuth {
  readonly kind: 'cognito';
  /** The hosted-UI base URL, e.g. `https://leadpipe-prod.auth.eu-central-1.amazoncognito.com` (no trailing slash). */
  readonly domain: string;
  readonly clientId: string;
  /** Also the logout URL: the console's own root, e.g. `https://d123.cloudfront.net/`. */
  readonly redirectUri: string;
}

export type ConsoleAuthConfig = LocalConsoleAuth | CognitoConsoleAuth;

export interface ConsoleConfig {
  /** Prefix for API calls; '' means the console's own origin (CloudFront routes /console/api/* to the HttpApi). */
  readonly apiBaseUrl: string;
  readonly auth: ConsoleAuthConfig;
}

/** The scopes the console requests from the hosted UI; the app client allows exactly these. */
export const CONSOLE_OAUTH_SCOPES = ['openid', 'email', 'profile'] as const;

/** The groups a console user can be in (Cognito groups on AWS, the `groups` of POST /_dev/login locally). */
export const CONSOLE_GROUPS = ['marketing', 'sales', 'admin'] as const;
export type ConsoleGroup = (typeof CONSOLE_GROUPS)[number];

export function isConsoleGroup(value: unknown): value is ConsoleGroup {
  return typeof value === 'string' && (CONSOLE_GROUPS as readonly string[]).includes(value);
}

/** Checks a fetched config; throws an Error naming the first bad field. */
export function parseConsoleConfig(value: unknown): ConsoleConfig {
  const root = asRecord(value, 'config');
  const apiBaseUrl = asString(root.apiBaseUrl, 'apiBaseUrl', true);
  const auth = asRecord(root.auth, 'auth');
  if (auth.kind === 'local') {
    return { apiBaseUrl, auth: { kind: 'local', loginUrl: asString(auth.loginUrl, 'auth.loginUrl') } };
  }
  if (auth.kind === 'cognito') {
    return {
      apiBaseUrl,
      auth: {
        kind: 'cognito',
        domain: asString(auth.domain, 'auth.domain'),
        clientId: asString(auth.clientId, 'auth.clientId'),
        redirectUri: asString(auth.redirectUri, 'auth.redirectUri'),
      },
    };
  }
  throw new Error("console config: auth.kind must be 'local' or 'cognito'");
}

function asRecord(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`console config: ${field} must be an object`);
  return value as Record<string, unknown>;
}

function asString(value: unknown, field: string, allowEmpty = false): string {
  if (typeof value !== 'string' || (!allowEmpty && value === ''))
    throw new Error(`console config: ${field} must be a ${allowEmpty ? '' : 'non-empty '}string`);
  return value;
}

/**
 * A lead's page in the console (its hash route `#/leads/<email>`, console/src/app.tsx), for links in the sales mail.
 * `consoleUrl` is the console's root: `<stack>/console/` locally, the CloudFront URL on AWS.
 */
export function consoleLeadUrl(consoleUrl: string, email: string): string {
  return `${consoleUrl.endsWith('/') ? consoleUrl : `${consoleUrl}/`}#/leads/${encodeURIComponent(email)}`;
}
