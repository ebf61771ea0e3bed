import type { RateLimit, RateLimitName } from '../capture/rate-limits';
import type { SubmissionClaim } from './record-submission';
import { epochSeconds, keys } from './table-design';

/** One conditional counter update for the submission's transaction; retryAfterSeconds is the time left in the window. */
export interface RateLimitClaim extends SubmissionClaim {
  name: RateLimitName;
}

interface ConditionalUpdate {
  UpdateExpression: string;
  ConditionExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues: Record<string, unknown>;
}

/** The conditional updates that enforce the limits inside the submission's TransactWriteItems. */
export function rateLimitClaims(tableName: string, limits: readonly RateLimit[]): RateLimitClaim[] {
  return limits.map((limit) => {
    const Key = keys.rateLimit(limit.scope, limit.subject, limit.window.start);
    const expiresAt = epochSeconds(limit.expiresAt);
    const update: ConditionalUpdate =
      limit.kind === 'count'
        ? {
            UpdateExpression: 'ADD #count :one SET expiresAt = if_not_exists(expiresAt, :expiresAt)',
            ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
            ExpressionAttributeNames: { '#count': 'requests' },
            ExpressionAttributeValues: { ':one': 1, ':limit': limit.limit, ':expiresAt': expiresAt },
          }
        : {
            // A string set of the admitted members: its size is the number of distinct ones, bounded by the limit.
            UpdateExpression: 'ADD #members :member SET expiresAt = if_not_exists(expiresAt, :expiresAt)',
            ConditionExpression: 'attribute_not_exists(#members) OR contains(#members, :memberId) OR size(#members) < :limit',
            ExpressionAttributeNames: { '#members': 'leads' },
            ExpressionAttributeValues: {
              ':member': new Set([limit.member ?? '']),
              ':memberId': limit.member ?? '',
              ':limit': limit.limit,
              ':expiresAt': expiresAt,
            },
          };
    return {
      name: limit.name,
      retryAfterSeconds: limit.window.retryAfterSeconds,
      item: { Update: { TableName: tableName, Key, ...update } },
    };
  });
}
