import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Locale } from '../domain/lead';
import { tokenVerificationKeys, type AppSecrets } from '../security/app-secrets';
import { verifyToken, type TokenPayload, type TokenPurpose } from '../security/signed-token';
import { renderActionPage } from './html-pages';
import { InvalidTokenError } from './http-errors';
import { html } from './http-handler';
import { requestLocale, requestTime } from './request-info';

/** The token from a link's query string; a link without one is as invalid as a tampered one. */
export function tokenFrom(event: APIGatewayProxyEventV2): string {
  const token = event.queryStringParameters?.token;
  if (!token) throw new InvalidTokenError('malformed');
  return token;
}

/** The URL of this very request, for a page whose button POSTs back to it. */
export function selfUrl(publicBaseUrl: string, event: APIGatewayProxyEventV2): string {
  return `${publicBaseUrl}${event.rawPath}${event.rawQueryString ? `?${event.rawQueryString}` : ''}`;
}

export interface VerifiedLink {
  token: TokenPayload;
  /** the request's own time */
  at: string;
  /** the locale the link was issued in, else the browser's */
  locale: Locale;
  /** GET only shows a page: mail scanners follow links, so only a POST may change state */
  isGet: boolean;
}

/**
 * Every emailed link starts the same way: check its signed token for this purpose at the request's time, with the
 * handler's secrets (loaded only once the link has a token: a link without one is a 400 whatever the secrets do).
 */
export async function verifiedLink(
  event: APIGatewayProxyEventV2,
  purpose: TokenPurpose,
  loadSecrets: () => Promise<AppSecrets>,
): Promise<VerifiedLink> {
  const at = requestTime(event);
  // The previous signing key still verifies the links it signed, until they expire (a rotation's grace period).
  const token = verifyToken(tokenFrom(event), { purpose, now: at }, tokenVerificationKeys(await loadSecrets()));
  const issued = token.data?.locale;
  const locale = issued === 'en' || issued === 'de' ? issued : requestLocale(event);
  return { token, at, locale, isGet: event.requestContext.http.method === 'GET' };
}

/** The words of a link's GET page: what pressing its one button will do. */
export interface ActionPageCopy {
  title: string;
  ask: string;
  button: string;
}

/**
 * The page a link's GET shows: the question and one button that POSTs back to the same URL. Mail
 * scanners follow links, so a GET never changes state; only the button does.
 */
export function confirmActionPage(event: APIGatewayProxyEventV2, publicBaseUrl: string, locale: Locale, copy: ActionPageCopy) {
  return html(
    200,
    renderActionPage({ locale, title: copy.title, message: copy.ask, actionUrl: selfUrl(publicBaseUrl, event), buttonLabel: copy.button }),
  );
}
