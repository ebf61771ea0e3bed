import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { logger } from '../observability/logger';
import { observedHandler } from '../observability/observed-handler';
import { PAGE_STYLE, renderFieldErrorsPage, renderMessagePage } from './html-pages';
import { errorBody, HttpError } from './http-errors';
import { prefersHtml, requestLocale } from './request-info';
import { securityHeaders as securityHeadersFor } from './security-headers';

export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResult = APIGatewayProxyStructuredResultV2;

// Every page a handler returns comes from html-pages, whose one inline style is the only one allowed.
const securityHeaders = securityHeadersFor({ inlineStyles: [PAGE_STYLE] });

/**
 * Wraps a handler in the one place where named errors become HTTP responses: JSON for API
 * clients, an HTML page for plain form posts and token links. Anything unnamed is a 500 and logged.
 */
export function httpHandler(handle: (event: HttpEvent, context: Context) => Promise<HttpResult>) {
  return observedHandler<HttpEvent, HttpResult>()
    .use({
      after: (request) => {
        if (request.response) request.response.headers = { ...securityHeaders, ...request.response.headers };
      },
      onError: (request) => {
        const response = errorResponse(request.event, request.error);
        request.response = { ...response, headers: { ...securityHeaders, ...response.headers } };
      },
    })
    .handler(handle);
}

function errorResponse(event: HttpEvent, error: unknown): HttpResult {
  const known = error instanceof HttpError ? error : undefined;
  if (!known)
    logger.error('unhandled error', {
      error: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error),
      routeKey: event.routeKey,
    });
  const statusCode = known?.statusCode ?? 500;
  if (prefersHtml(event)) {
    const locale = requestLocale(event);
    const text = known?.pageText?.[locale];
    const body = known?.fields
      ? renderFieldErrorsPage({ locale, fields: known.fields })
      : renderMessagePage({
          locale,
          title: text?.title ?? (known ? known.message : 'Error'),
          message: text?.message ?? (known ? known.message : 'Something went wrong on our side. Please try again later.'),
          status: statusCode,
        });
    return { statusCode, headers: { 'content-type': 'text/html; charset=utf-8', ...known?.headers }, body };
  }
  const body = known ? errorBody(known) : { error: { code: 'internal_error', message: 'Something went wrong on our side.' } };
  return json(statusCode, body, known?.headers);
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
