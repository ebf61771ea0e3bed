import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from './dynamodb-client';
import { writeIf } from './write-if';
import type { LeadItem } from './lead-item';
import { parseLeadItem } from './stored-items';
import { keys } from './table-design';

export async function getLead(tableName: string, leadId: string): Promise<LeadItem | undefined> {
  const result = await documentClient.send(new GetCommand({ TableName: tableName, Key: keys.lead(leadId), ConsistentRead: true }));
  return result.Item ? parseLeadItem(result.Item) : undefined;
}

/**
 * Claims the right to send something for a lead with one conditional write: `claimAttribute` holds
 * the time of the last send and `claimId` the event that claimed it. A concurrent or later duplicate
 * fails the condition; a retry of the same event (same claimId) may proceed, because its first
 * attempt may have failed before the send.
 */
export async function claimSend(
  tableName: string,
  leadId: string,
  claim: { attribute: string; claimId: string; at: string; notWithinSeconds: number },
): Promise<boolean> {
  const windowStart = new Date(Date.parse(claim.at) - claim.notWithinSeconds * 1000).toISOString();
  return writeIf(
    new UpdateCommand({
      TableName: tableName,
      Key: keys.lead(leadId),
      UpdateExpression: 'SET #at = :at, #claim = :claimId',
      ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(#at) OR #at <= :windowStart OR #claim = :claimId)',
      ExpressionAttributeNames: { '#at': claim.attribute, '#claim': `${claim.attribute}Claim` },
      ExpressionAttributeValues: { ':at': claim.at, ':claimId': claim.claimId, ':windowStart': windowStart },
    }),
  );
}
