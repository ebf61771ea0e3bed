import { randomUUID } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { subscriberShardFor } from '../campaigns/campaign';
import { documentClient } from './dynamodb-client';
import type { ConsentStore } from '../consent/consent-store';
import { dynamoSentEmailStore } from './dynamo-sent-email-store';
import { interactionItem } from './interaction-item';
import { claimSend, getLead } from './lead-store';
import { withdrawConsent } from './suppress-lead';
import { keys } from './table-design';

/** The consent store in the lead table: the opt-in claim, the confirmation and the withdrawal sit on the lead item. */
export function dynamoConsentStore(tableName: string): ConsentStore {
  return {
    ...dynamoSentEmailStore(tableName),
    getLead: (leadId) => getLead(tableName, leadId),
    claimOptInMail: (leadId, { eventId, at, notWithinSeconds }) =>
      claimSend(tableName, leadId, { attribute: 'optInSentAt', claimId: eventId, at, notWithinSeconds }),
    async recordConfirmation(leadId, { at, expectedVersion }) {
      // The confirmed subscriber joins the campaign audience (subscribers index) in the same write, unless the
      // address bounced or complained: the version condition below makes this read of `suppressed` still true then.
      const current = await getLead(tableName, leadId);
      if (!current || current.version !== expectedVersion) return false;
      const subscribe = current.suppressed ? '' : ', subscriberShard = :shard';
      try {
        await documentClient.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: tableName,
                  Key: keys.lead(leadId),
                  UpdateExpression: `SET consentConfirmedAt = :at, updatedAt = :at${subscribe} ADD #version :one`,
                  ConditionExpression: '#version = :version',
                  ExpressionAttributeNames: { '#version': 'version' },
                  ExpressionAttributeValues: {
                    ':at': at,
                    ':one': 1,
                    ':version': expectedVersion,
                    ...(subscribe ? { ':shard': subscriberShardFor(leadId) } : {}),
                  },
                },
              },
              {
                Put: {
                  TableName: tableName,
                  Item: interactionItem(leadId, { id: randomUUID(), type: 'consent_confirmed', at }, { consentRequested: false }),
                },
              },
            ],
          }),
        );
        return true;
      } catch (error) {
        // As before the port existed: any cancelled confirmation is read again and decided again (bounded by the use case).
        if (error instanceof TransactionCanceledException) return false;
        throw error;
      }
    },
    withdrawConsent: (leadId, at) => withdrawConsent(tableName, leadId, at),
  };
}
