import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../adapters/dynamodb-client';
import type { Locale } from '../domain/lead';
import { sendEmail } from '../email/send-email';
import { signToken } from '../security/signed-token';
import { loadLeadPartition } from '../storage/lead-partition';
import { keys } from '../storage/table-design';
import { salesNotificationContent } from './sales-notification-content';

export const DECISION_LINK_TTL_DAYS = 30;

export type NotifyOutcome = 'sent' | 'no-lead' | 'already-notified';

export interface NotifyDeps {
  tableName: string;
  signingKey: string;
  publicBaseUrl: string;
  salesRecipients: string[];
  salesLocale: Locale;
}

/**
 * One notification per qualification: a conditional write on the lead claims the qualification's
 * sequence number before anything is sent, so duplicated, retried or concurrent events send once.
 * Each recipient gets their own signed links, so the lead records who decided.
 */
export async function notifySales(
  input: { leadId: string; kind: 'MQL' | 'PQL'; qualificationSeq: number; eventId: string; at: string },
  deps: NotifyDeps,
): Promise<NotifyOutcome> {
  const claimed = await claimNotification(deps.tableName, input);
  if (claimed === 'no-lead') return 'no-lead';
  if (!claimed) return 'already-notified';
  const { lead, interactions } = await loadLeadPartition(deps.tableName, input.leadId);
  if (!lead) return 'no-lead';
  const expiresAt = new Date(Date.parse(input.at) + DECISION_LINK_TTL_DAYS * 86_400_000).toISOString();
  for (const recipient of deps.salesRecipients) {
    const link = (purpose: 'sales-accept' | 'sales-recycle', path: string) =>
      `${deps.publicBaseUrl}${path}?token=${encodeURIComponent(
        signToken({ purpose, leadId: input.leadId, expiresAt, data: { seq: String(input.qualificationSeq), by: recipient, kind: input.kind } }, deps.signingKey),
      )}`;
    await sendEmail({
      tableName: deps.tableName,
      leadId: input.leadId,
      to: [recipient],
      replyTo: [lead.email],
      templateId: 'sales-notification',
      locale: deps.salesLocale,
      vars: { firstName: '', ...salesNotificationContent(lead, interactions, input.kind, { acceptUrl: link('sales-accept', '/sales/accept'), recycleUrl: link('sales-recycle', '/sales/recycle') }) },
      category: 'sales',
      at: input.at,
    });
  }
  return 'sent';
}

async function claimNotification(tableName: string, input: { leadId: string; kind: 'MQL' | 'PQL'; qualificationSeq: number; eventId: string; at: string }): Promise<boolean | 'no-lead'> {
  const seqAttribute = input.kind === 'MQL' ? 'salesNotifiedMqlSeq' : 'salesNotifiedPqlSeq';
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.lead(input.leadId),
        UpdateExpression: 'SET #seq = :seq, salesNotifiedAt = :at, salesNotifyClaim = :eventId',
        // A retry of the same event may pass: its first attempt may have died before sending.
        ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(#seq) OR #seq < :seq OR salesNotifyClaim = :eventId)',
        ExpressionAttributeNames: { '#seq': seqAttribute },
        ExpressionAttributeValues: { ':seq': input.qualificationSeq, ':at': input.at, ':eventId': input.eventId },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return error.Item ? false : 'no-lead';
    throw error;
  }
}
