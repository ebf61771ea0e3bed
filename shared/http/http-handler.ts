import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { logger } from '../observability/logger';
import { observedHandler } from '../observability/observed-handler';
import { parseFormBody } from '../capture/parse-form-body';
import { backLinkUrl } from './back-link';
import { PAGE_STYLE, renderFieldErrorsPage, renderMessagePage } from './html-pages';
import { errorBody, HttpError, type PageText } from './http-errors';
import { isMediaType } from './media-type';
import { header, localeOf, prefersHtml, requestLocale } from './request-info';
import { securityHeaders as securityHeadersFor } from './security-headers';

export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResult = APIGatewayProxyStructuredResultV2;

// Every page a handler returns comes from html-pages, whose one inline style is the only one allowed.
const securityHeaders = securityHeadersFor({ inlineStyles: [PAGE_STYLE] });

export interface HttpHandlerOptions {
  /**
   * Origins besides this site's own whose pages may be linked back to from an error page (a form embedded on the
   * company website posts here from there): the function's REDIRECT_ALLOWED_ORIGINS, where it has them.
   */
  backLinkOrigins?: readonly string[];
}

/**
 * Wraps a handler in the one place where named errors become HTTP responses: JSON for API
 * clients, an HTML page for plain form posts and token links. Anything unnamed is a 500 and logged.
 */
export function httpHandler(handle: (event: HttpEvent, context: Context) => Promise<HttpResult>, options: HttpHandlerOptions = {}) {
  return observedHandler<HttpEvent, HttpResult>()
    .use({
      after: (request) => {
        if (request.response) request.response.headers = { ...securityHeaders, ...request.response.headers };
      },
      onError: (request) => {
        const response = errorResponse(request.event, request.error, options);
        request.response = { ...response, headers: { ...securityHeaders, ...response.headers } };
      },
    })
    .handler(handle);
}

const INTERNAL_ERROR_PAGE: PageText = {
  de: { title: 'Fehler', message: 'Bei uns ist etwas schiefgegangen. Bitte versuchen Sie es später noch einmal.' },
  en: { title: 'Error', message: 'Something went wrong on our side. Please try again later.' },
};

function errorResponse(event: HttpEvent, error: unknown, options: HttpHandlerOptions): HttpResult {
  const known = error instanceof HttpError ? error : undefined;
  if (!known)
    logger.error('unhandled error', {
      error: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error),
      routeKey: event.routeKey,
    });
  const statusCode = known?.statusCode ?? 500;
  if (prefersHtml(event)) {
    // A person sees the page: in the language of the page the form was on, with a link back to that page.
    const posted = postedFields(event);
    const locale = localeOf(posted.locale) ?? requestLocale(event);
    const backUrl = backLinkUrl(event, posted.page, options.backLinkOrigins);
    // An error without page text of its own gets the generic page: its message is English and meant for developers.
    const text = (known?.pageText ?? INTERNAL_ERROR_PAGE)[locale];
    const body = known?.fields
      ? renderFieldErrorsPage({ locale, fields: known.fields, backUrl })
      : renderMessagePage({ locale, title: text.title, message: text.message, status: statusCode, backUrl });
    return { statusCode, headers: { 'content-type': 'text/html; charset=utf-8', ...known?.headers }, body };
  }
  const body = known ? errorBody(known) : { error: { code: 'internal_error', message: 'Something went wrong on our side.' } };
  return json(statusCode, body, known?.headers);
}

/**
 * The fields of a plain form post, read again for the error page only (the handler's own parse is gone with its
 * throw); a body that cannot be read, which may be the error itself, has none.
 */
function postedFields(event: HttpEvent): Record<string, unknown> {
  if (!isMediaType(header(event, 'content-type'), 'application/x-www-form-urlencoded')) return {};
  try {
    return parseFormBody({ contentType: header(event, 'content-type'), body: event.body, isBase64Encoded: event.isBase64Encoded }).fields;
  } catch {
    return {};
  }
}

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  return { statusCode, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(body) };
}

export function html(statusCode: number, body: string): HttpResult {
  return { statusCode, headers: { 'content-type': 'text/html; charset=utf-8' }, body };
}

export function seeOther(location: string): HttpResult {
  return { statusCode: 303, headers: { location: asciiLocation(location) }, body: '' };
}

const HEADER_SAFE = /^[\x21-\x7E]*$/;
const ABSOLUTE = /^[a-z][a-z0-9+.-]*:/i;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A header value is ASCII: a `€` or `日本` in a redirect target would make the response fail (a 500) or
 * reach the browser as mojibake. ASCII URLs pass unchanged; others become what a browser would send
 * itself: the WHATWG serialisation (punycode host, percent-encoded UTF-8), or, for a path, its
 * non-ASCII and blank characters percent-encoded.
 */
export function asciiLocation(location: string): string {
  if (HEADER_SAFE.test(location)) return location;
  const text = location.replace(LONE_SURROGATE, '\uFFFD');
  if (ABSOLUTE.test(text) && URL.canParse(text)) return new URL(text).href;
  return text.replace(/[^\x21-\x7E]/gu, (char) => encodeURIComponent(char));
}
