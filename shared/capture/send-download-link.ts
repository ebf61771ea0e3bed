import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { documentClient } from '../adapters/dynamodb-client';
import { sendEmail } from '../email/send-email';
import { getLead } from '../storage/lead-store';
import { keys } from '../storage/table-design';
import { findAsset } from './content-catalogue';
import { signedDownloadUrl } from './capture-submission';

export type DownloadMailOutcome = 'sent' | 'no-lead' | 'suppressed' | 'unknown-asset' | 'already-sent';

/**
 * Emails the same signed link the form answered with (signed from the interaction's own time), so a
 * typo in the address is noticed. Claimed on the interaction item, so a redelivered event sends once.
 */
export async function sendDownloadLink(
  input: { leadId: string; interactionId: string; interactionAt: string; assetId: string; eventId: string },
  deps: { tableName: string; signingKey: string; publicBaseUrl: string },
): Promise<DownloadMailOutcome> {
  const asset = findAsset(input.assetId);
  if (!asset) return 'unknown-asset';
  const lead = await getLead(deps.tableName, input.leadId);
  if (!lead) return 'no-lead';
  if (lead.suppressed) return 'suppressed';
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: deps.tableName,
        Key: keys.interaction(input.leadId, input.interactionAt, input.interactionId),
        UpdateExpression: 'SET downloadMailClaim = :eventId',
        ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(downloadMailClaim) OR downloadMailClaim = :eventId)',
        ExpressionAttributeValues: { ':eventId': input.eventId },
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return 'already-sent';
    throw error;
  }
  const locale = lead.locale ?? 'de';
  await sendEmail({
    tableName: deps.tableName,
    leadId: input.leadId,
    to: [lead.email],
    templateId: 'download-link',
    locale,
    vars: { firstName: lead.firstName ?? '', assetTitle: asset.title[locale], downloadUrl: signedDownloadUrl(input.leadId, asset.id, input.interactionAt, deps) },
    category: 'system',
    at: input.interactionAt,
  });
  return 'sent';
}
