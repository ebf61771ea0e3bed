import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Locale } from '../domain/lead';
import { mediaTypeOf } from './media-type';

export function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
  return event.headers?.[name.toLowerCase()];
}

/** Plain HTML form posts and browser link clicks get HTML pages; API clients get JSON. */
export function prefersHtml(event: APIGatewayProxyEventV2): boolean {
  const mediaType = mediaTypeOf(header(event, 'content-type'));
  if (mediaType === 'application/x-www-form-urlencoded') return true;
  if (mediaType === 'application/json') return false;
  return (header(event, 'accept') ?? '').includes('text/html');
}

/** A locale a request names itself (a form's `locale` field, `?lang=`): `de`, `en`, `de-DE`, …; undefined for anything else. */
export function localeOf(value: unknown): Locale | undefined {
  if (typeof value !== 'string') return undefined;
  const primary = value.trim().toLowerCase().split('-', 1)[0];
  return primary === 'de' || primary === 'en' ? primary : undefined;
}

export function requestLocale(event: APIGatewayProxyEventV2): Locale {
  const fromQuery = localeOf(event.queryStringParameters?.lang);
  if (fromQuery) return fromQuery;
  const accept = (header(event, 'accept-language') ?? '').toLowerCase();
  const first = accept.split(',')[0]?.trim() ?? '';
  return first.startsWith('en') ? 'en' : 'de';
}

/** The request's own time: handlers never read the wall clock, so they are pure in time. */
export function requestTime(event: APIGatewayProxyEventV2): string {
  return new Date(event.requestContext.timeEpoch).toISOString();
}

export function sourceIp(event: APIGatewayProxyEventV2): string {
  return event.requestContext.http.sourceIp;
}

export function userAgent(event: APIGatewayProxyEventV2): string {
  return event.requestContext.http.userAgent ?? '';
}
