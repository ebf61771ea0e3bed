import { inject } from 'vitest';

/** This worker's DynamoDB Local: files running side by side never share one (see global-setup.ts). */
export function suiteDynamoDbEndpoint(): string {
  const endpoints = inject('dynamoDbEndpoints');
  const slot = Number(process.env.VITEST_POOL_ID ?? '1') - 1;
  return endpoints[slot % endpoints.length]!;
}
