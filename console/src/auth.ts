/**
 * Sign-in for the console. Locally the stack's `/_dev/login` hands out a token for any email and roles; on AWS the
 * Cognito hosted UI runs the authorization-code flow with PKCE (a public client has no secret, so the verifier,
 * kept in this tab's sessionStorage, proves that the code comes back to the tab that asked for it).
 */
import { CONSOLE_OAUTH_SCOPES, type CognitoConsoleAuth, type ConsoleConfig, parseConsoleConfig } from '../../shared/console/console-config';

const TOKEN_KEY = 'leadpipe.console.token';
const VERIFIER_KEY = 'leadpipe.console.pkce-verifier';
const STATE_KEY = 'leadpipe.console.pkce-state';

/** Fetched next to index.html, so one build serves any stack (locally /console/config.json, on AWS /config.json). */
export async function loadConfig(): Promise<ConsoleConfig> {
  const response = await fetch('./config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`config.json: ${response.status}`);
  return parseConsoleConfig(await response.json());
}

/** The stored token while it is still valid; an expired one is dropped, which shows the login page again. */
export function storedToken(): string | null {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) return null;
  const exp = jwtExpiry(token);
  if (exp !== undefined && exp * 1000 <= Date.now()) {
    sessionStorage.removeItem(TOKEN_KEY);
    return null;
  }
  return token;
}

export function storeToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
}

export function forgetToken(): void {
  sessionStorage.removeItem(TOKEN_KEY);
}

function jwtExpiry(token: string): number | undefined {
  try {
    const payload = JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: unknown };
    return typeof payload.exp === 'number' ? payload.exp : undefined;
  } catch {
    return undefined;
  }
}

export async function localLogin(loginUrl: string, email: string, groups: string[]): Promise<string> {
  const response = await fetch(loginUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, groups }),
  });
  if (!response.ok) throw new Error(`login: ${response.status}`);
  const { token } = (await response.json()) as { token?: unknown };
  if (typeof token !== 'string') throw new Error('login: no token');
  return token;
}

function base64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

function randomString(): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(32)));
}

/** Sends the browser to the hosted UI; it comes back to redirectUri with ?code=…&state=…. */
export async function startHostedLogin(auth: CognitoConsoleAuth): Promise<void> {
  const verifier = randomString();
  const state = randomString();
  sessionStorage.setItem(VERIFIER_KEY, verifier);
  sessionStorage.setItem(STATE_KEY, state);
  const challenge = base64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  const url = new URL(`${auth.domain}/oauth2/authorize`);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: auth.clientId,
    redirect_uri: auth.redirectUri,
    scope: CONSOLE_OAUTH_SCOPES.join(' '),
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
  }).toString();
  location.assign(url.toString());
}

/**
 * On the way back from the hosted UI: trades the code for tokens and keeps the ID token (its audience is the client id,
 * which the HttpApi's JWT authorizer checks). Returns false when the URL carries no code.
 */
export async function completeHostedLogin(auth: CognitoConsoleAuth): Promise<boolean> {
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  if (!code) return false;
  const verifier = sessionStorage.getItem(VERIFIER_KEY);
  const expectedState = sessionStorage.getItem(STATE_KEY);
  sessionStorage.removeItem(VERIFIER_KEY);
  sessionStorage.removeItem(STATE_KEY);
  // The code leaves the address bar either way: a reload must not try to use it twice.
  history.replaceState(null, '', `${location.pathname}${location.hash}`);
  if (!verifier || params.get('state') !== expectedState) throw new Error('login: state mismatch');
  const response = await fetch(`${auth.domain}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: auth.clientId,
      code,
      redirect_uri: auth.redirectUri,
      code_verifier: verifier,
    }).toString(),
  });
  if (!response.ok) throw new Error(`token: ${response.status}`);
  const tokens = (await response.json()) as { id_token?: unknown };
  if (typeof tokens.id_token !== 'string') throw new Error('token: no id_token');
  storeToken(tokens.id_token);
  return true;
}

/** Forgets the token; on AWS also ends the hosted-UI session, which sends the browser back to the console. */
export function signOut(config: ConsoleConfig): void {
  forgetToken();
  if (config.auth.kind === 'cognito') {
    const url = new URL(`${config.auth.domain}/logout`);
    url.search = new URLSearchParams({ client_id: config.auth.clientId, logout_uri: config.auth.redirectUri }).toString();
    location.assign(url.toString());
  }
}
