import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { writeIf } from './write-if';
import type { DownloadLinkStore } from '../capture/download-link-store';
import { dynamoSentEmailStore } from './dynamo-sent-email-store';
import { claimSend, getLead } from './lead-store';
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
    // One attribute per asset on the lead item: a renewal of one document does not hold back another's.
    claimDownloadRenewal: (leadId, { assetId, claimId, at, notWithinSeconds }) =>
      claimSend(tableName, leadId, { attribute: renewalAttribute(assetId), claimId, at, notWithinSeconds }),
    async lastDownloadRenewalAt(leadId, assetId) {
      // The per-asset attribute is this adapter's own, outside LeadItem's declared fields.
      const lead = (await getLead(tableName, leadId)) as Record<string, unknown> | undefined;
      const at = lead?.[renewalAttribute(assetId)];
      return typeof at === 'string' ? at : undefined;
    },
  };
}

function renewalAttribute(assetId: string): string {
  return `downloadRenewedAt:${assetId}`;
}
