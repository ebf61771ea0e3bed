import type { EmailCategory } from './configuration-sets';

/** One message SES accepted, as the lead's timeline and the message-id lookup keep it. */
export interface SentEmail {
  leadId: string;
  messageId: string;
  templateId: string;
  category: EmailCategory;
  /** the time of the event that caused the send */
  sentAt: string;
  /** nurture step (e.g. "tofu-1") */
  step?: string;
  configurationSet: string;
  /** the EmailTags the message was sent with, by name */
  tags: Record<string, string>;
}

/**
 * Where sendEmail records what it sent (port; the DynamoDB adapter is shared/storage/dynamo-sent-email-store.ts).
 * A caller that must record something of its own in the same write (a sales notice marked mailed)
 * passes a store that does both.
 */
export interface SentEmailStore {
  /** The message on the lead's timeline and its message-id lookup (so SES feedback finds the lead): both or neither. */
  recordSentEmail(sent: SentEmail): Promise<void>;
}
