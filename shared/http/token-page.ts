import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Locale } from '../domain/lead';
import { tokenVerificationKeys, type AppSecrets } from '../security/app-secrets';
import { verifyToken, verifyTokenAllowingExpiry, type TokenPayload, type TokenPurpose } from '../security/signed-token';
import { renderActionPage } from './html-pages';
import { InvalidTokenError } from './http-errors';
import { html, type HttpResult } from './http-handler';
import { prefersHtml, requestLocale, requestTime } from './request-info';

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

/** Where the expired page's button posts: functions/renew-link.ts re-sends to the lead's own address only. */
export const RENEW_LINK_PATH = '/links/renew';

const EXPIRED_PAGE_COPY = {
  de: {
    title: 'Dieser Link ist abgelaufen',
    ask: 'Links in unseren E-Mails gelten nur eine begrenzte Zeit. Gern senden wir Ihnen einen neuen Link an Ihre E-Mail-Adresse.',
    button: 'Neuen Link senden',
  },
  en: {
    title: 'This link has expired',
    ask: 'Links in our emails only work for a limited time. We are happy to send a new link to your email address.',
    button: 'Send me a new link',
  },
} as const;

/**
 * Runs a link's handler; a person (an HTML request) whose correctly signed link has expired gets, instead of the plain
 * error page, the same words once and a button that asks for a new link. API clients keep the 400 invalid_token answer.
 */
export async function offeringNewLink(
  event: APIGatewayProxyEventV2,
  link: { purpose: TokenPurpose; publicBaseUrl: string; loadSecrets: () => Promise<AppSecrets> },
  handle: () => Promise<HttpResult>,
): Promise<HttpResult> {
  try {
    return await handle();
  } catch (error) {
    if (!(error instanceof InvalidTokenError && error.reason === 'expired' && prefersHtml(event))) throw error;
    const token = tokenFrom(event);
    const keys = tokenVerificationKeys(await link.loadSecrets());
    const { payload } = verifyTokenAllowingExpiry(token, { purpose: link.purpose, now: requestTime(event) }, keys);
    const issued = payload.data?.locale;
    const locale = issued === 'en' || issued === 'de' ? issued : requestLocale(event);
    const copy = EXPIRED_PAGE_COPY[locale];
    const page = renderActionPage({
      locale,
      title: copy.title,
      message: copy.ask,
      actionUrl: `${link.publicBaseUrl}${RENEW_LINK_PATH}`,
      buttonLabel: copy.button,
      // The locale goes along so that a refusal (429: a new link was sent within the hour) speaks the link's language too.
      hiddenFields: { token, locale },
    });
    // Still a 400: the link itself did not work; the page only offers the way out.
    return html(400, page);
  }
}
