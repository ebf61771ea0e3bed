import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { en } from 'zod/locales';
import * as z from 'zod/mini';
import { documentClient } from './dynamodb-client';
import type { MessageLookupItem } from '../email/message-lookup';
import type { FeedbackStore } from '../feedback/feedback-store';
import { recordInteractionOnce } from './dynamo-offer-store';
import { suppressLead } from './suppress-lead';
import { keys } from './table-design';

// A malformed item is reported with zod's messages; zod/mini has none of its own.
z.config(en());

/** The message-id lookup item as sendEmail writes it; items from before categories and tags lack them. */
const messageLookupSchema = z.object({
  leadId: z.string(),
  templateId: z.string(),
  sentAt: z.string(),
  category: z.optional(z.enum(['system', 'marketing', 'sales'])),
  configurationSet: z.optional(z.string()),
  tags: z.optional(z.record(z.string(), z.string())),
});

/** The SES feedback store in the lead table. */
export function dynamoFeedbackStore(tableName: string): FeedbackStore {
  return {
    async messageLookup(messageId) {
      const read = await documentClient.send(new GetCommand({ TableName: tableName, Key: keys.messageLookup(messageId) }));
      if (!read.Item) return undefined;
      const parsed = messageLookupSchema.safeParse(read.Item);
      if (!parsed.success) throw new Error(`message lookup item of ${messageId} is malformed: ${z.prettifyError(parsed.error)}`);
      return parsed.data satisfies MessageLookupItem;
    },
    suppressLead: (leadId, reason, at) => suppressLead(tableName, leadId, reason, at),
    recordInteraction: (leadId, interaction, onceKey) => recordInteractionOnce(tableName, leadId, interaction, onceKey),
  };
}
