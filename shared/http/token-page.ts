import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { InvalidTokenError } from './http-errors';

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
