import { randomUUID } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../adapters/dynamodb-client';
import { confirmTokenFit } from '../consent/confirm-token-binding';
import { marketingConsentState } from '../domain/consent-state';
import type { MarketingConsent } from '../domain/lead';
import { withRetry } from '../retry/with-retry';
import { getLead } from './lead-store';
import { interactionItem } from './interaction-item';
import { keys } from './table-design';

/** Concurrent writers of one lead are few (a double click, a form post): five reads and writes are plenty. */
const CONFIRM_ATTEMPTS = 5;

export type ConfirmOutcome = { confirmed: true } | { confirmed: false; state: MarketingConsent | 'no-lead' | 'outdated' };

/**
 * Confirms a pending marketing consent and records a `consent_confirmed` interaction in the same
 * transaction. Guarded by the lead's version, so a double-submitted confirmation counts once, and so the
 * decision below (is the link's request still the lead's pending one?) holds at the moment of the write.
 * `tokenRequestedAt` is the consent request the link was mailed for (see confirm-token-binding.ts): a link
 * from before a withdrawal or an erasure is 'outdated' and confirms nothing.
 */
export async function recordConsentConfirmation(
  tableName: string,
  leadId: string,
  at: string,
  tokenRequestedAt: string | undefined,
): Promise<ConfirmOutcome> {
  // Someone else wrote the lead between our read and our write: read again and decide again, a bounded number of times.
  return withRetry<ConfirmOutcome>(
    {
      what: `confirm consent of lead ${leadId}`,
      attempts: CONFIRM_ATTEMPTS,
      retryOn: (error) => error instanceof TransactionCanceledException,
    },
    async () => {
      const lead = await getLead(tableName, leadId);
      if (!lead) return { confirmed: false, state: 'no-lead' };
      const state = marketingConsentState(lead);
      if (state !== 'pending') return { confirmed: false, state };
      if (confirmTokenFit(lead, tokenRequestedAt) !== 'fits') return { confirmed: false, state: 'outdated' };
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
                Item: interactionItem(leadId, { id: randomUUID(), type: 'consent_confirmed', at }, { consentRequested: false }),
              },
            },
          ],
        }),
      );
      return { confirmed: true };
    },
  );
}
