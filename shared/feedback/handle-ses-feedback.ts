import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createHash } from 'node:crypto';
import { documentClient } from '../adapters/dynamodb-client';
import type { DetailOf } from '../events/define-event';
import { SesEmailBounced, SesEmailClicked, SesEmailComplaint, SesEmailOpened } from '../events/ses-events';
import { recordInteraction } from '../storage/record-interaction';
import { suppressLead } from '../storage/suppress-lead';
import { keys } from '../storage/table-design';

export type SesFeedback =
  | { kind: 'bounce'; detail: DetailOf<typeof SesEmailBounced> }
  | { kind: 'complaint'; detail: DetailOf<typeof SesEmailComplaint> }
  | { kind: 'click'; detail: DetailOf<typeof SesEmailClicked> }
  | { kind: 'open'; detail: DetailOf<typeof SesEmailOpened> };

export type FeedbackOutcome = 'suppressed' | 'ignored' | 'recorded' | 'duplicate' | 'unknown-lead';

/**
 * Acts on SES feedback: a permanent bounce or a complaint suppresses the lead, a click or open
 * becomes an interaction that classification scores. The lead comes from the message's EmailTags,
 * or from the message-id lookup item written at send time.
 */
export async function handleSesFeedback(tableName: string, feedback: SesFeedback, eventTime: string): Promise<FeedbackOutcome> {
  const leadId = await leadIdOf(tableName, feedback.detail.mail);
  if (!leadId) return 'unknown-lead';
  const messageId = feedback.detail.mail.messageId;
  switch (feedback.kind) {
    case 'bounce':
      // A transient bounce is a full mailbox or a greylisting server: worth trying again later.
      if (feedback.detail.bounce.bounceType !== 'Permanent') return 'ignored';
      return (await suppressLead(tableName, leadId, 'bounce', eventTime)) ? 'suppressed' : 'unknown-lead';
    case 'complaint':
      return (await suppressLead(tableName, leadId, 'complaint', eventTime)) ? 'suppressed' : 'unknown-lead';
    case 'click':
    case 'open': {
      const at = isoOr(feedback.kind === 'click' ? feedback.detail.click.timestamp : feedback.detail.open.timestamp, eventTime);
      const type = feedback.kind === 'click' ? 'email_click' : 'email_open';
      // Derived from the SES record, so a redelivered event is the same interaction.
      const id = createHash('sha256').update(`${type}:${messageId}:${at}`).digest('hex').slice(0, 32);
      const result = await recordInteraction(tableName, leadId, { id, type, at, messageId });
      return result === 'no-lead' ? 'unknown-lead' : result;
    }
  }
}

async function leadIdOf(tableName: string, mail: { messageId: string; tags?: Record<string, string[]> }): Promise<string | undefined> {
  const tagged = mail.tags?.leadId?.[0];
  if (tagged) return tagged;
  const lookup = await documentClient.send(new GetCommand({ TableName: tableName, Key: keys.messageLookup(mail.messageId) }));
  return lookup.Item?.leadId as string | undefined;
}

function isoOr(value: string | undefined, fallback: string): string {
  const ms = value ? Date.parse(value) : Number.NaN;
  return Number.isNaN(ms) ? fallback : new Date(ms).toISOString();
}
