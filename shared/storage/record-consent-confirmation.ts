import { randomUUID } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../adapters/dynamodb-client';
import { marketingConsentState } from '../domain/consent-state';
import type { MarketingConsent } from '../domain/lead';
import { getLead } from './lead-store';
import { interactionItem } from './interaction-item';
import { keys } from './table-design';

export type ConfirmOutcome = { confirmed: true } | { confirmed: false; state: MarketingConsent | 'no-lead' };

/**
 * Confirms a pending marketing consent and records a `consent_confirmed` interaction in the same
 * transaction. Guarded by the lead's version, so a double-submitted confirmation counts once.
 */
export async function recordConsentConfirmation(tableName: string, leadId: string, at: string): Promise<ConfirmOutcome> {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const lead = await getLead(tableName, leadId);
    if (!lead) return { confirmed: false, state: 'no-lead' };
    const state = marketingConsentState(lead);
    if (state !== 'pending') return { confirmed: false, state };
    const interactionId = randomUUID();
    try {
      await documentClient.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: tableName,
                Key: keys.lead(leadId),
                UpdateExpression: 'SET consentConfirmedAt = :at, updatedAt = :at ADD #version :one',
                ConditionExpression: '#version = :version',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':at': at, ':one': 1, ':version': lead.version },
              },
            },
            {
              Put: {
                TableName: tableName,
                Item: interactionItem(leadId, { id: interactionId, type: 'consent_confirmed', at }, { consentRequested: false }),
              },
            },
          ],
        }),
      );
      return { confirmed: true };
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      // Someone else wrote the lead in between: read again and decide again.
    }
  }
  throw new Error('Consent confirmation kept conflicting with concurrent writes');
}
