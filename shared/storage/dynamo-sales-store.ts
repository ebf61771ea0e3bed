import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from './dynamodb-client';
import { writeIf } from './write-if';
import type { DecisionChange, SalesNotice, SalesStore } from '../sales/sales-store';
import { dynamoSentEmailStore, type TransactItem } from './dynamo-sent-email-store';
import { loadLeadPartition } from './lead-partition';
import { getLead } from './lead-store';
import { outboxEventItem } from './outbox-event-item';
import { epochSeconds, keys } from './table-design';

/** The sales store in the lead table: the claims of notify-sales and the decision write of record-sales-decision. */
export function dynamoSalesStore(tableName: string): SalesStore {
  const noticeKey = (notice: SalesNotice) => keys.salesNotice(notice.leadId, notice.kind, notice.seq, notice.recipient.toLowerCase());
  const markMailed = (notice: SalesNotice, eventId: string, messageId?: string): TransactItem => ({
    Update: {
      TableName: tableName,
      Key: noticeKey(notice),
      UpdateExpression: messageId ? 'SET #state = :mailed, messageId = :messageId' : 'SET #state = :mailed',
      ConditionExpression: 'claimedBy = :eventId',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':mailed': 'mailed', ':eventId': eventId, ...(messageId ? { ':messageId': messageId } : {}) },
    },
  });

  return {
    getLead: (leadId) => getLead(tableName, leadId),

    async getLeadWithInteractions(leadId) {
      const { lead, interactions } = await loadLeadPartition(tableName, leadId);
      return { lead, interactions };
    },

    async claimNotification(claim) {
      const seqAttribute = claim.kind === 'MQL' ? 'salesNotifiedMqlSeq' : 'salesNotifiedPqlSeq';
      try {
        await documentClient.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.lead(claim.leadId),
            UpdateExpression: 'SET #seq = :seq, salesNotifiedAt = :at, salesNotifyClaim = :eventId',
            // A retry of the same event may pass: its first attempt may have died before sending.
            ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(#seq) OR #seq < :seq OR salesNotifyClaim = :eventId)',
            ExpressionAttributeNames: { '#seq': seqAttribute },
            ExpressionAttributeValues: { ':seq': claim.seq, ':at': claim.at, ':eventId': claim.eventId },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        return 'claimed';
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return error.Item ? 'already-notified' : 'no-lead';
        throw error;
      }
    },

    claimRecipient: (notice, claim) =>
      writeIf(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...noticeKey(notice),
            claimedBy: claim.eventId,
            claimedAt: claim.at,
            state: 'sending',
            expiresAt: epochSeconds(claim.linksExpireAt),
          },
          ConditionExpression: 'attribute_not_exists(pk) OR (#state = :sending AND claimedBy = :eventId)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':sending': 'sending', ':eventId': claim.eventId },
        }),
      ),

    async releaseRecipient(notice, eventId) {
      // Released only while still ours and unsent; otherwise there is nothing to release.
      await writeIf(
        new DeleteCommand({
          TableName: tableName,
          Key: noticeKey(notice),
          ConditionExpression: '#state = :sending AND claimedBy = :eventId',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':sending': 'sending', ':eventId': eventId },
        }),
      );
    },

    async markRecipientMailed(notice, eventId, messageId) {
      await documentClient.send(new UpdateCommand(markMailed(notice, eventId, messageId).Update!));
    },

    recordingMailTo: (notice, eventId) => dynamoSentEmailStore(tableName, () => [markMailed(notice, eventId)]),

    async recordDecision(change) {
      try {
        await documentClient.send(new TransactWriteCommand({ TransactItems: decisionWrites(tableName, change) }));
        return true;
      } catch (error) {
        // A version moved, or an event of this transition exists: the caller reads again and decides anew.
        if (error instanceof TransactionCanceledException) return false;
        throw error;
      }
    },
  };
}

/** Either decision takes the lead out of the console's sales queue (salesQueue, the sparse sales-queue index). */
function decisionWrites(tableName: string, change: DecisionChange): TransactItem[] {
  const { decision, recycle } = change;
  const nurture = recycle?.nurture;
  const lead: TransactItem = recycle
    ? {
        Update: {
          TableName: tableName,
          Key: keys.lead(change.leadId),
          UpdateExpression:
            'SET lifecycle = :lifecycle, salesDecision = :decision, engagementResetAt = :at, nurtureResumeAt = :resume, updatedAt = :at' +
            `${nurture ? ', nurture = :nurture' : ''} REMOVE salesQueue ADD #version :one`,
          ConditionExpression: '#version = :version',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: {
            ':lifecycle': change.lifecycle,
            ':decision': decision,
            ':at': decision.at,
            ':resume': recycle.nurtureResumeAt,
            ':version': change.expectedVersion,
            ':one': 1,
            ...(nurture ? { ':nurture': nurture } : {}),
          },
        },
      }
    : {
        Update: {
          TableName: tableName,
          Key: keys.lead(change.leadId),
          UpdateExpression:
            'SET lifecycle = :lifecycle, salesDecision = :decision, updatedAt = :at ' +
            'REMOVE nurtureDueAt, dueShard, salesQueue ADD #version :one',
          ConditionExpression: '#version = :version',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: {
            ':lifecycle': change.lifecycle,
            ':decision': decision,
            ':at': decision.at,
            ':version': change.expectedVersion,
            ':one': 1,
          },
        },
      };
  const events = change.events.map((event) =>
    outboxEventItem(tableName, change.leadId, event.key, event.declaration, event.detail, event.at),
  );
  return [lead, ...events];
}
