import type { Interaction } from '../domain/lead';
import type { MessageLookupItem } from '../email/message-lookup';

/** What acting on SES feedback needs (port; the DynamoDB adapter is shared/storage/dynamo-feedback-store.ts). */
export interface FeedbackStore {
  /** what was recorded about a message at send time, if anything */
  messageLookup(messageId: string): Promise<MessageLookupItem | undefined>;
  /** Stops marketing mail to the lead (a complaint wins over a bounce); false if there is no such lead. */
  suppressLead(leadId: string, reason: 'bounce' | 'complaint', at: string): Promise<boolean>;
  /**
   * An interaction of an existing lead; its id must come from the source event, so a redelivery is a 'duplicate'.
   * With `onceKey`, any later interaction claiming the same key is a 'duplicate' too (a click the offer page counted).
   */
  recordInteraction(leadId: string, interaction: Interaction, onceKey?: string): Promise<'recorded' | 'duplicate' | 'no-lead'>;
}
