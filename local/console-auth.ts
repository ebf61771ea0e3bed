import { createHash, randomUUID } from 'node:crypto';
import {
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
  SignJWT,
} from 'jose';
import { z } from 'zod';
import { CONSOLE_GROUPS, type ConsoleConfig, type ConsoleGroup } from '../shared/console/console-config';
import type { DevRoute } from './http-server';

/**
 * The local stand-in for the console's Cognito user pool: an issuer with its own key pair, made at every start,
 * whose tokens the local HTTP server checks the way the HttpApi JWT authorizer checks Cognito's.
 *
 * Cognito's issuer is `https://cognito-idp.<region>.amazonaws.com/<poolId>` with its keys at
 * `<issuer>/.well-known/jwks.json`; this one is `<stack url>/_dev/auth` with its keys at the same relative path.
 * A restart makes a new key pair, so tokens from the last run are rejected (401) and the console signs in again.
 */

/** The local app client id: the `aud` of every local token, and what the local verification requires. */
export const LOCAL_CONSOLE_CLIENT_ID = 'leadpipe-console-local';
export const LOCAL_ISSUER_PATH = '/_dev/auth';
export const LOCAL_JWKS_PATH = `${LOCAL_ISSUER_PATH}/.well-known/jwks.json`;
export const LOCAL_LOGIN_PATH = '/_dev/login';
/** Cognito's default ID token lifetime is 1 h; a local working day is more useful and changes nothing in the code path. */
export const LOCAL_TOKEN_LIFETIME_SECONDS = 8 * 60 * 60;
/** Cognito signs with RS256, and the HttpApi JWT authorizer accepts only RSA algorithms. */
const ALGORITHM = 'RS256';

/** What the local stack serves at /console/config.json (h5's route): sign in through POST /_dev/login. */
export const LOCAL_CONSOLE_CONFIG: ConsoleConfig = { apiBaseUrl: '', auth: { kind: 'local', loginUrl: LOCAL_LOGIN_PATH } };

/**
 * `event.requestContext.authorizer` of an HTTP API (payload 2.0) route with a JWT authorizer, as API Gateway fills it:
 *
 *   { jwt: { claims: { "sub": "…", "email": "a@b.example", "cognito:groups": "[marketing sales]",
 *                      "iat": "1764750000", "exp": "1764778800", "email_verified": "true", … },
 *            scopes: null } }
 *
 * Every claim value is a STRING: numbers and booleans as their text, and an array claim as its items joined by
 * single spaces inside square brackets (`["marketing","sales"]` → `"[marketing sales]"`, one group → `"[admin]"`).
 * A user in no group has no `cognito:groups` claim at all (Cognito leaves it out). `scopes` is null for an ID
 * token (it has no `scope` claim); for an access token it is the `scope` claim split at spaces.
 */
export interface ApiGatewayJwtAuthorizerContext {
  jwt: { claims: Record<string, string>; scopes: string[] | null };
}

/** A claim value the way API Gateway hands it to the function (see ApiGatewayJwtAuthorizerContext). */
export function apiGatewayClaimValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map((item) => apiGatewayClaimValue(item)).join(' ')}]`;
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

export function apiGatewayAuthorizerContext(payload: JWTPayload): ApiGatewayJwtAuthorizerContext {
  const claims = Object.fromEntries(Object.entries(payload).map(([name, value]) => [name, apiGatewayClaimValue(value)]));
  const scope = typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [];
  return { jwt: { claims, scopes: scope.length > 0 ? scope : null } };
}

export interface ConsoleSignIn {
  email: string;
  groups: readonly ConsoleGroup[];
}

export class LocalConsoleIssuer {
  readonly audience = LOCAL_CONSOLE_CLIENT_ID;

  private constructor(
    readonly issuer: string,
    readonly jwks: JSONWebKeySet,
    private readonly privateKey: CryptoKey,
    private readonly keyId: string,
    private readonly keys: JWTVerifyGetKey,
  ) {}

  /** A fresh key pair for the stack at `stackUrl` (e.g. http://localhost:3000): issuer `${stackUrl}/_dev/auth`. */
  static async create(stackUrl: string): Promise<LocalConsoleIssuer> {
    const { publicKey, privateKey } = await generateKeyPair(ALGORITHM, { extractable: true });
    const keyId = randomUUID();
    const jwks: JSONWebKeySet = { keys: [{ ...(await exportJWK(publicKey)), kid: keyId, alg: ALGORITHM, use: 'sig' }] };
    return new LocalConsoleIssuer(`${stackUrl.replace(/\/$/, '')}${LOCAL_ISSUER_PATH}`, jwks, privateKey, keyId, createLocalJWKSet(jwks));
  }

  /**
   * An ID token shaped like Cognito's. Wall-clock time, not the virtual clock: API Gateway checks expiry against
   * real time, and a token must not expire because a test advanced the pipeline's clock.
   */
  signIn(user: ConsoleSignIn, now: Date = new Date()): Promise<string> {
    const email = user.email.trim().toLowerCase();
    // Cognito's sub is a UUID fixed per user: here one derived from the email, so a user keeps it across sign-ins.
    const sub = uuidFrom(email);
    const iat = Math.floor(now.getTime() / 1000);
    return this.sign({
      sub,
      email,
      email_verified: true,
      'cognito:username': sub,
      ...(user.groups.length > 0 ? { 'cognito:groups': [...new Set(user.groups)] } : {}),
      token_use: 'id',
      auth_time: iat,
      iss: this.issuer,
      aud: this.audience,
      iat,
      exp: iat + LOCAL_TOKEN_LIFETIME_SECONDS,
      jti: randomUUID(),
    });
  }

  /** Signs exactly these claims with this issuer's key (signIn's building block; tests use it for expired or foreign tokens). */
  sign(claims: JWTPayload): Promise<string> {
    return new SignJWT(claims).setProtectedHeader({ alg: ALGORITHM, kid: this.keyId, typ: 'JWT' }).sign(this.privateKey);
  }

  /**
   * The HttpApi JWT authorizer's checks, in its order: a token in the Authorization header (with or without "Bearer "),
   * an RSA signature by a key of the issuer's JWKS matching the token's `kid`, then the claims: `iss` equal to the
   * issuer, `aud` (or, only without `aud`, `client_id`) equal to the audience, `exp` after now, `nbf` and `iat`
   * not after now. Undefined when any check fails: the caller answers 401 without invoking the function.
   */
  async verify(authorization: string | undefined, now: Date = new Date()): Promise<ApiGatewayJwtAuthorizerContext | undefined> {
    const token = authorization?.trim().replace(/^Bearer\s+/i, '');
    if (!token) return undefined;
    try {
      const { payload } = await jwtVerify(token, this.keys, {
        issuer: this.issuer,
        algorithms: ['RS256', 'RS384', 'RS512'],
        requiredClaims: ['exp'],
        currentDate: now,
      });
      const audiences = payload.aud === undefined ? [payload.client_id] : [payload.aud].flat();
      if (!audiences.includes(this.audience)) return undefined;
      if (typeof payload.iat === 'number' && payload.iat > Math.floor(now.getTime() / 1000)) return undefined;
      return apiGatewayAuthorizerContext(payload);
    } catch {
      return undefined;
    }
  }
}

const loginBody = z.strictObject({
  email: z.email({ message: 'must be an email address' }),
  // a group given twice counts once (signIn removes duplicates), as a Cognito user is in a group or not
  groups: z.array(z.enum(CONSOLE_GROUPS, { message: `each group must be one of ${CONSOLE_GROUPS.join(', ')}` }), {
    message: `must be a list of groups (${CONSOLE_GROUPS.join(', ')})`,
  }),
});

/** The issuer's JWKS (what API Gateway fetches from Cognito) and the local sign-in the console's login page posts to. */
export function consoleAuthDevRoutes(issuer: LocalConsoleIssuer): DevRoute[] {
  return [
    {
      method: 'GET',
      path: LOCAL_JWKS_PATH,
      handle: async () => ({ status: 200, body: issuer.jwks }),
    },
    {
      method: 'POST',
      path: LOCAL_LOGIN_PATH,
      handle: async ({ body }) => {
        const parsed = loginBody.safeParse(parseJson(body));
        if (!parsed.success) {
          const fields: Record<string, string> = {};
          for (const issue of parsed.error.issues) {
            const field = issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : String(issue.path[0] ?? 'body');
            fields[field] ??= issue.code === 'unrecognized_keys' ? 'is not a field of a sign-in' : issue.message;
          }
          return {
            status: 400,
            body: { error: { code: 'validation_failed', message: `Invalid sign-in: ${Object.keys(fields).join(', ')}`, fields } },
          };
        }
        return { status: 200, body: { token: await issuer.signIn(parsed.data) } };
      },
    },
  ];
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** A version-4-shaped UUID from a hash: stable per input, like a Cognito user's sub. */
function uuidFrom(text: string): string {
  const hex = createHash('sha256').update(text).digest('hex');
  const variant = ((Number.parseInt(hex[16]!, 16) & 3) | 8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
