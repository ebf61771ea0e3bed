import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { writeIf } from './write-if';
import { keys } from './table-design';

/**
 * Stops all marketing mail to a lead after a permanent bounce or a complaint. A complaint always
 * wins; a bounce never overwrites a complaint. The lead leaves the nurture due index and the campaign
 * subscribers index at once (a campaign already sending re-checks the profile before each send).
 */
export async function suppressLead(tableName: string, leadId: string, reason: 'bounce' | 'complaint', at: string): Promise<boolean> {
  return writeIf(
    new UpdateCommand({
      TableName: tableName,
      Key: keys.lead(leadId),
      UpdateExpression:
        `SET suppressed = ${reason === 'complaint' ? ':reason' : 'if_not_exists(suppressed, :reason)'}, ` +
        'suppressedAt = if_not_exists(suppressedAt, :at), updatedAt = :at REMOVE nurtureDueAt, dueShard, subscriberShard ADD #version :one',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: { ':reason': reason, ':at': at, ':one': 1 },
    }),
  );
}

/** One-click unsubscribe: marketing consent is withdrawn at once, nurture stops and the lead leaves the subscribers index. */
export async function withdrawConsent(tableName: string, leadId: string, at: string): Promise<boolean> {
  return writeIf(
    new UpdateCommand({
      TableName: tableName,
      Key: keys.lead(leadId),
      UpdateExpression: 'SET consentWithdrawnAt = :at, updatedAt = :at REMOVE nurtureDueAt, dueShard, subscriberShard ADD #version :one',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: { ':at': at, ':one': 1 },
    }),
  );
}
