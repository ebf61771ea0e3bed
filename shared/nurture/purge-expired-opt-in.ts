import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../adapters/dynamodb-client';
import { expiredOptInAction } from '../domain/opt-in-retention';
import { eraseLead } from '../storage/erase-lead';
import type { LeadPartition } from '../storage/lead-partition';
import { keys } from '../storage/table-design';

export type PurgeOutcome = 'kept' | 'deleted-lead' | 'dropped-request';

/** Applies the unconfirmed opt-in retention to one due lead (see expiredOptInAction). */
export async function purgeExpiredOptIn(tableName: string, partition: LeadPartition, now: string, retentionDays: number): Promise<PurgeOutcome> {
  const { lead, interactions } = partition;
  if (!lead) return 'kept';
  const { leadId } = lead;
  const action = expiredOptInAction(lead, interactions, retentionDays, now);
  if (action === 'keep') return 'kept';
  if (action === 'delete-lead') {
    await eraseLead(tableName, leadId, now, { suppress: false });
    return 'deleted-lead';
  }
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.lead(leadId),
        UpdateExpression: 'REMOVE consentRequestedAt, consentEvidence, optInSentAt, optInSentAtClaim ADD #version :one',
        // Only if still the same unconfirmed request: a confirmation or a new request in between wins.
        ConditionExpression: '#version = :version',
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: { ':version': lead.version, ':one': 1 },
      }),
    );
    return 'dropped-request';
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return 'kept';
    throw error;
  }
}
