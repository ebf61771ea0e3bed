import { SendEmailCommand, type MessageTag } from '@aws-sdk/client-sesv2';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../adapters/dynamodb-client';
import { ses } from '../adapters/ses-client';
import { nonEmpty, readEnv } from '../config/read-env';
import { z } from 'zod';
import type { Locale } from '../domain/lead';
import { keys } from '../storage/table-design';
import { renderEmail, sanitizeHeaderValue, type CommonVariables, type TemplateId, type TemplateVariables } from './email-templates';

const config = readEnv({
  SENDER_ADDRESS: nonEmpty(),
  SES_CONFIGURATION_SET: z.string().optional(),
});

export interface OutgoingEmail<T extends TemplateId> {
  /** the table whose lead timeline records the message */
  tableName: string;
  leadId: string;
  to: string[];
  templateId: T;
  locale: Locale;
  vars: TemplateVariables[T] & CommonVariables;
  category: 'system' | 'marketing' | 'sales';
  /** the time of the event that caused the send; recorded on the lead's timeline */
  at: string;
  /** nurture step (e.g. "tofu#1") for EmailTags and the timeline */
  step?: string;
  replyTo?: string[];
  /** RFC 8058 one-click unsubscribe target, required on marketing mail */
  unsubscribeUrl?: string;
}

/**
 * Renders, sends through SES v2 and records the message on the lead's timeline (plus a message-id
 * lookup, so SES feedback events can find the lead). Tags carry the lead id and step to SES events.
 */
export async function sendEmail<T extends TemplateId>(email: OutgoingEmail<T>): Promise<{ messageId: string }> {
  const rendered = renderEmail(email.templateId, email.locale, email.vars);
  const headers = email.unsubscribeUrl
    ? [
        { Name: 'List-Unsubscribe', Value: `<${email.unsubscribeUrl}>` },
        { Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' },
      ]
    : undefined;
  const tags: MessageTag[] = [
    { Name: 'leadId', Value: email.leadId },
    { Name: 'template', Value: email.templateId },
    { Name: 'category', Value: email.category },
    ...(email.step ? [{ Name: 'step', Value: email.step.replace(/[^A-Za-z0-9_-]/g, '_') }] : []),
  ];
  const response = await ses.send(
    new SendEmailCommand({
      FromEmailAddress: config.SENDER_ADDRESS,
      Destination: { ToAddresses: email.to },
      ReplyToAddresses: email.replyTo?.map(sanitizeHeaderValue),
      ConfigurationSetName: config.SES_CONFIGURATION_SET || undefined,
      EmailTags: tags,
      Content: {
        Simple: {
          Subject: { Data: rendered.subject, Charset: 'UTF-8' },
          Body: { Html: { Data: rendered.html, Charset: 'UTF-8' }, Text: { Data: rendered.text, Charset: 'UTF-8' } },
          Headers: headers,
        },
      },
    }),
  );
  const messageId = response.MessageId ?? '';
  try {
    await recordSentEmail(email, messageId);
  } catch (error) {
    throw new SentButNotRecordedError(messageId, error);
  }
  return { messageId };
}

/**
 * SES accepted the message but the timeline write failed. Callers must treat the email as sent:
 * retrying the send would mail the person twice.
 */
export class SentButNotRecordedError extends Error {
  override name = 'SentButNotRecordedError';
  constructor(
    readonly messageId: string,
    cause: unknown,
  ) {
    super(`Email ${messageId} was sent but not recorded: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

async function recordSentEmail<T extends TemplateId>(email: OutgoingEmail<T>, messageId: string): Promise<void> {
  await documentClient.send(
    new TransactWriteCommand({
      TransactItems: [
          {
            Put: {
              TableName: email.tableName,
              Item: {
                ...keys.email(email.leadId, email.at, messageId),
                messageId,
                templateId: email.templateId,
                category: email.category,
                sentAt: email.at,
                ...(email.step ? { step: email.step } : {}),
              },
            },
          },
          { Put: { TableName: email.tableName, Item: { ...keys.messageLookup(messageId), leadId: email.leadId, templateId: email.templateId, sentAt: email.at } } },
      ],
    }),
  );
}
