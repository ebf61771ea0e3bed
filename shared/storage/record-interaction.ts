import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../adapters/dynamodb-client';
import type { Interaction } from '../domain/lead';
import { interactionItem } from './interaction-item';
import { keys } from './table-design';

export type RecordInteractionResult = 'recorded' | 'duplicate' | 'no-lead';

/**
 * Records an interaction that did not come from a form (email clicks and opens, webinar and trial
 * signals). The interaction id must be derived from the source event, so a redelivered source event
 * is recognised as a duplicate by the conditional put. `createLead` upserts a warm lead without
 * marketing consent for an address we have not seen (signals from other systems).
 */
export async function recordInteraction(
  tableName: string,
  leadId: string,
  interaction: Interaction,
  options: { createLead?: { email: string } } = {},
): Promise<RecordInteractionResult> {
  const leadWrite = options.createLead
    ? {
        Update: {
          TableName: tableName,
          Key: keys.lead(leadId),
          UpdateExpression:
            'SET email = if_not_exists(email, :email), leadId = :leadId, createdAt = if_not_exists(createdAt, :at), updatedAt = :at, lifecycle = if_not_exists(lifecycle, :warm) ADD #version :one',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':email': options.createLead.email, ':leadId': leadId, ':at': interaction.at, ':warm': 'warm', ':one': 1 },
        },
      }
    : { ConditionCheck: { TableName: tableName, Key: keys.lead(leadId), ConditionExpression: 'attribute_exists(pk)' } };
  try {
    await documentClient.send(
      new TransactWriteCommand({
        TransactItems: [
          leadWrite,
          {
            Put: {
              TableName: tableName,
              Item: interactionItem(leadId, interaction, { consentRequested: false }),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      }),
    );
    return 'recorded';
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const [leadReason, interactionReason] = error.CancellationReasons ?? [];
    if (leadReason?.Code === 'ConditionalCheckFailed') return 'no-lead';
    if (interactionReason?.Code === 'ConditionalCheckFailed') return 'duplicate';
    throw error;
  }
}
