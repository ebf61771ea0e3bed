import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { resolveRedirect } from '../capture/redirect-allowlist';
import { SITE_START } from './html-pages';
import { header } from './request-info';

/**
 * Where an error page's link back leads: the page the request came from (a form's own `page` field, else the
 * Referer, which our own pages never send) when that page is on this site or on an allowed origin; otherwise the
 * site start. The same open-redirect guard as the post-submit redirect decides, so a posted `page` can never make
 * our page link to a foreign site.
 */
export function backLinkUrl(event: APIGatewayProxyEventV2, page: unknown, allowedOrigins: readonly string[] = []): string {
  const origins = [...allowedOrigins, ...ownOrigins(event)];
  for (const candidate of [typeof page === 'string' ? page : undefined, header(event, 'referer')]) {
    const url = resolveRedirect(candidate, origins, '');
    if (url !== '') return url;
  }
  return SITE_START;
}

/**
 * This site's own origin, from the Host the request was sent to. Behind API Gateway the scheme is https; the local
 * stack speaks http, so both schemes of the one host count (the host is what makes it this site).
 */
function ownOrigins(event: APIGatewayProxyEventV2): string[] {
  const host = header(event, 'host') ?? event.requestContext?.domainName;
  return host ? [`https://${host}`, `http://${host}`] : [];
}
