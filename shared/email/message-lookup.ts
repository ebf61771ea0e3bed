import { SES_CONFIGURATION_SET_TAG, type EmailCategory } from './configuration-sets';

/** What the message-id lookup keeps: enough to find the lead and to know whether the mail went to it. */
export interface MessageLookupItem {
  leadId: string;
  templateId: string;
  sentAt: string;
  category?: EmailCategory;
  configurationSet?: string;
  /** the EmailTags the message was sent with, by name */
  tags?: Record<string, string>;
}

/**
 * The tags SES reports in `mail.tags` of the message's sending events: its EmailTags plus the
 * configuration set it went through (SES adds that one itself). Lookup items written before the
 * tags were kept report the lead id and template only.
 */
export function reportedSesTags(sent: MessageLookupItem): Record<string, string[]> {
  const tags: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(sent.tags ?? { leadId: sent.leadId, template: sent.templateId })) tags[name] = [value];
  if (sent.configurationSet) tags[SES_CONFIGURATION_SET_TAG] = [sent.configurationSet];
  return tags;
}
