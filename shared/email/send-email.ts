import { SendEmailCommand, type MessageTag } from '@aws-sdk/client-sesv2';
import { ses } from '../adapters/ses-client';
import type { Locale } from '../domain/lead';
import { logger } from '../observability/logger';
import { countMetric } from '../observability/metrics';
import { isMailToLead, type EmailCategory } from './configuration-sets';
import { sanitizeHeaderValue, type CommonVariables, type TemplateId, type TemplateVariables } from './email-templates';
import { classifySendError } from './send-errors';
import { SentButNotRecordedError } from './sent-but-not-recorded-error';
import type { SentEmailStore } from './sent-email-store';

/**
 * Who sends, and through which configuration sets: part of the sending function's configuration (EMAIL_SENDING_ENV in
 * shared/wiring/function-config.ts), read by its handler and passed down.
 */
export interface EmailSending {
  senderAddress: string;
  leadConfigurationSet: string;
  salesConfigurationSet: string;
}

/** The sending part of a handler's configuration (its readEnv result). */
export function emailSendingOf(config: {
  SENDER_ADDRESS: string;
  SES_CONFIGURATION_SET: string;
  SES_SALES_CONFIGURATION_SET: string;
}): EmailSending {
  return {
    senderAddress: config.SENDER_ADDRESS,
    leadConfigurationSet: config.SES_CONFIGURATION_SET,
    salesConfigurationSet: config.SES_SALES_CONFIGURATION_SET,
  };
}

/** One rendered mail as SES v2 gets it: every sender (templates, campaigns, console test sends) builds it here. */
export interface SesMessage {
  senderAddress: string;
  to: string[];
  replyTo?: string[];
  configurationSet: string;
  tags: MessageTag[];
  rendered: { subject: string; html: string; text: string };
  /** RFC 8058 one-click unsubscribe target: List-Unsubscribe and List-Unsubscribe-Post */
  unsubscribeUrl?: string;
}

export function sesSendCommand(message: SesMessage): SendEmailCommand {
  return new SendEmailCommand({
    FromEmailAddress: message.senderAddress,
    Destination: { ToAddresses: message.to },
    ReplyToAddresses: message.replyTo?.map(sanitizeHeaderValue),
    ConfigurationSetName: message.configurationSet,
    EmailTags: message.tags,
    Content: {
      Simple: {
        Subject: { Data: sanitizeHeaderValue(message.rendered.subject), Charset: 'UTF-8' },
        Body: { Html: { Data: message.rendered.html, Charset: 'UTF-8' }, Text: { Data: message.rendered.text, Charset: 'UTF-8' } },
        Headers: message.unsubscribeUrl
          ? [
              { Name: 'List-Unsubscribe', Value: `<${message.unsubscribeUrl}>` },
              { Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' },
            ]
          : undefined,
      },
    },
  });
}

export interface OutgoingEmail<T extends TemplateId> {
  /** sender and configuration sets, from the calling function's configuration */
  sending: EmailSending;
  /** records the message on the lead's timeline (and whatever the caller records with it, in the same write) */
  store: SentEmailStore;
  leadId: string;
  to: string[];
  templateId: T;
  locale: Locale;
  vars: TemplateVariables[T] & CommonVariables;
  /** system and marketing mail goes to the lead; sales mail goes to sales and is neither tracked nor credited to the lead */
  category: EmailCategory;
  /** the time of the event that caused the send; recorded on the lead's timeline */
  at: string;
  /** nurture step (e.g. "tofu-1") for EmailTags and the timeline */
  step?: string;
  replyTo?: string[];
  /** RFC 8058 one-click unsubscribe target, required on marketing mail */
  unsubscribeUrl?: string;
}

/**
 * Renders, sends through SES v2 and records the message on the lead's timeline (plus a message-id
 * lookup, so SES feedback events can find the lead). Mail to the lead goes through the tracked
 * configuration set with the lead id in its EmailTags; mail to sales goes through the untracked one
 * and names no lead, so nothing a salesperson's mailbox does is credited to the lead.
 *
 * A setup error (see send-errors.ts) is counted as EmailSetupError, which alarms, and rethrown:
 * the caller keeps the mail due.
 */
export async function sendEmail<T extends TemplateId>(email: OutgoingEmail<T>): Promise<{ messageId: string }> {
  // Loaded on the first send, not at import: see render-email.ts.
  const { renderEmail } = await import('./render-email');
  const rendered = renderEmail(email.templateId, email.locale, email.vars);
  const toLead = isMailToLead(email.category);
  const configurationSet = toLead ? email.sending.leadConfigurationSet : email.sending.salesConfigurationSet;
  const tags: MessageTag[] = [
    ...(toLead ? [{ Name: 'leadId', Value: email.leadId }] : []),
    { Name: 'template', Value: email.templateId },
    { Name: 'category', Value: email.category },
    ...(email.step ? [{ Name: 'step', Value: email.step.replace(/[^A-Za-z0-9_-]/g, '_') }] : []),
  ];
  let messageId: string;
  try {
    const response = await ses.send(
      sesSendCommand({
        senderAddress: email.sending.senderAddress,
        to: email.to,
        ...(email.replyTo ? { replyTo: email.replyTo } : {}),
        configurationSet,
        tags,
        rendered,
        ...(email.unsubscribeUrl ? { unsubscribeUrl: email.unsubscribeUrl } : {}),
      }),
    );
    messageId = response.MessageId ?? '';
  } catch (error) {
    if (classifySendError(error) === 'setup') {
      countMetric('EmailSetupError');
      logger.warn('SES refused the send for a reason of the account or its configuration', {
        leadId: email.leadId,
        category: email.category,
        templateId: email.templateId,
        // the name only: SES's message may quote the recipient's address, and logs hold no personal data
        errorName: (error as Error).name,
      });
    }
    throw error;
  }
  try {
    await email.store.recordSentEmail({
      leadId: email.leadId,
      messageId,
      templateId: email.templateId,
      category: email.category,
      sentAt: email.at,
      ...(email.step ? { step: email.step } : {}),
      configurationSet,
      tags: Object.fromEntries(tags.map((tag) => [tag.Name!, tag.Value!])),
    });
  } catch (error) {
    throw new SentButNotRecordedError(messageId, error);
  }
  return { messageId };
}

export { SentButNotRecordedError };
