import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { logger } from '../observability/logger';
import { renderFieldErrorsPage, renderMessagePage } from './html-pages';
import { errorBody, HttpError } from './http-errors';
import { prefersHtml, requestLocale } from './request-info';

export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResult = APIGatewayProxyStructuredResultV2;

const securityHeaders = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

/**
 * Wraps a handler in the one place where named errors become HTTP responses: JSON for API
 * clients, an HTML page for plain form posts and token links. Anything unnamed is a 500 and logged.
 */
export function httpHandler(handle: (event: HttpEvent, context: Context) => Promise<HttpResult>) {
  return middy<HttpEvent, HttpResult>()
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
  if (!known) logger.error('unhandled error', { error: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error), routeKey: event.routeKey });
  const statusCode = known?.statusCode ?? 500;
  if (prefersHtml(event)) {
    const locale = requestLocale(event);
    const body = known?.fields
      ? renderFieldErrorsPage({ locale, fields: known.fields })
      : renderMessagePage({ locale, title: known ? known.message : 'Error', message: known ? known.message : 'Something went wrong on our side. Please try again later.', status: statusCode });
    return { statusCode, headers: { 'content-type': 'text/html; charset=utf-8' }, body };
  }
  const body = known ? errorBody(known) : { error: { code: 'internal_error', message: 'Something went wrong on our side.' } };
  return json(statusCode, body);
}

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  return { statusCode, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(body) };
}

export function html(statusCode: number, body: string): HttpResult {
  return { statusCode, headers: { 'content-type': 'text/html; charset=utf-8' }, body };
}

export function seeOther(location: string): HttpResult {
  return { statusCode: 303, headers: { location }, body: '' };
}
