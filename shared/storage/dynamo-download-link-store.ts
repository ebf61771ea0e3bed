import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { writeIf } from './write-if';
import type { DownloadLinkStore } from '../capture/download-link-store';
import { dynamoSentEmailStore } from './dynamo-sent-email-store';
import { getLead } from './lead-store';
import { keys } from './table-design';

/** The download-link store in the lead table: the claim sits on the download's interaction item. */
export function dynamoDownloadLinkStore(tableName: string): DownloadLinkStore {
  return {
    ...dynamoSentEmailStore(tableName),
    getLead: (leadId) => getLead(tableName, leadId),
    async claimDownloadMail(interaction, eventId) {
      return writeIf(
        new UpdateCommand({
          TableName: tableName,
          Key: keys.interaction(interaction.leadId, interaction.at, interaction.interactionId),
          UpdateExpression: 'SET downloadMailClaim = :eventId',
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(downloadMailClaim) OR downloadMailClaim = :eventId)',
          ExpressionAttributeValues: { ':eventId': eventId },
        }),
      );
    },
  };
}
