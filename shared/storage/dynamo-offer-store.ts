import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Interaction } from '../domain/lead';
import type { OfferStore, RecordOnceResult } from '../offers/offer-store';
import { documentClient } from './dynamodb-client';
import { interactionItem } from './interaction-item';
import { keys } from './table-design';

/** The offer page's store in the lead table. */
export function dynamoOfferStore(tableName: string): OfferStore {
  return {
    async leadExists(leadId) {
      const read = await documentClient.send(
        new GetCommand({ TableName: tableName, Key: keys.lead(leadId), ProjectionExpression: 'pk', ConsistentRead: true }),
      );
      return read.Item !== undefined;
    },

    async sentMessageId(leadId, step, before) {
      // Sent mails sort by time (EMAIL#<sentAt>#<messageId>): newest first, up to `before`, filtered to the step.
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await documentClient.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
            FilterExpression: 'step = :step',
            ExpressionAttributeValues: {
              ':pk': keys.leadPartition(leadId),
              ':from': keys.emailPrefix,
              ':to': `${keys.emailPrefix}${before}#\uffff`,
              ':step': step,
            },
            ProjectionExpression: 'messageId',
            ScanIndexForward: false,
            ExclusiveStartKey: startKey,
            ConsistentRead: true,
          }),
        );
        const found = page.Items?.find((item) => typeof item.messageId === 'string');
        if (found) return found.messageId as string;
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return undefined;
    },

    recordInteraction: (leadId, interaction, onceKey) => recordInteractionOnce(tableName, leadId, interaction, onceKey),
  };
}

/**
 * One TransactWriteItems: the lead must exist (an erased lead gets nothing), the interaction must be new, and,
 * with `onceKey`, the claim item for it must not exist yet. The claim is a SIGNAL# item (one per lead and
 * key, never derived from a time), so an email click recorded by the offer page and the same message's SES
 * click event share one claim, and whichever comes first is the one that counts. SES feedback uses this too.
 */
export async function recordInteractionOnce(
  tableName: string,
  leadId: string,
  interaction: Interaction,
  onceKey?: string,
): Promise<RecordOnceResult> {
  const claim = onceKey
    ? [
        {
          Put: {
            TableName: tableName,
            Item: { ...keys.signal(leadId, onceKey), interactionId: interaction.id, at: interaction.at },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ]
    : [];
  try {
    await documentClient.send(
      new TransactWriteCommand({
        TransactItems: [
          { ConditionCheck: { TableName: tableName, Key: keys.lead(leadId), ConditionExpression: 'attribute_exists(pk)' } },
          {
            Put: {
              TableName: tableName,
              Item: interactionItem(leadId, interaction, { consentRequested: false }),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          ...claim,
        ],
      }),
    );
    return 'recorded';
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const reasons = error.CancellationReasons ?? [];
    const failed = reasons.map((reason) => reason.Code === 'ConditionalCheckFailed');
    if (failed[0]) return 'no-lead';
    if (failed.some(Boolean)) return 'duplicate';
    // A conflict or throttling: thrown for the caller's retry.
    throw error;
  }
}
