import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ContactAcknowledgementStore } from '../contact/contact-acknowledgement-store';
import { dynamoSentEmailStore } from './dynamo-sent-email-store';
import { getLead } from './lead-store';
import { keys } from './table-design';
import { writeIf } from './write-if';

/** The contact-acknowledgement store in the lead table: the claim and its "mailed" mark sit on the contact's interaction item. */
export function dynamoContactAcknowledgementStore(tableName: string): ContactAcknowledgementStore {
  return {
    getLead: (leadId) => getLead(tableName, leadId),
    claimAcknowledgement(claim) {
      return writeIf(
        new UpdateCommand({
          TableName: tableName,
          Key: keys.interaction(claim.leadId, claim.interactionAt, claim.interactionId),
          UpdateExpression: 'SET ackMailClaim = :eventId',
          // The claiming event may retry only while nothing went out; any event after the send mails nothing.
          ConditionExpression:
            'attribute_exists(pk) AND ' +
            '(attribute_not_exists(ackMailClaim) OR (ackMailClaim = :eventId AND attribute_not_exists(ackMailedAt)))',
          ExpressionAttributeValues: { ':eventId': claim.eventId },
        }),
      );
    },
    recordingFor(claim) {
      return dynamoSentEmailStore(tableName, (sent) => [
        {
          Update: {
            TableName: tableName,
            Key: keys.interaction(claim.leadId, claim.interactionAt, claim.interactionId),
            UpdateExpression: 'SET ackMailedAt = :at, ackMessageId = :messageId',
            ConditionExpression: 'ackMailClaim = :eventId',
            ExpressionAttributeValues: { ':at': sent.sentAt, ':messageId': sent.messageId, ':eventId': claim.eventId },
          },
        },
      ]);
    },
  };
}
