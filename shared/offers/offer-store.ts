import type { Interaction } from '../domain/lead';

export type RecordOnceResult = 'recorded' | 'duplicate' | 'no-lead';

/**
 * What the offer page needs of storage, in its own terms (port; the DynamoDB adapter is
 * shared/storage/dynamo-offer-store.ts). Interactions are written with their outbox entry, so
 * classification scores them as any other.
 */
export interface OfferStore {
  /** Whether the lead has a profile: an erased or unknown lead is shown a neutral page, and nothing is stored. */
  leadExists(leadId: string): Promise<boolean>;
  /** The SES message id of the newest mail sent to the lead for a nurture step (e.g. "tofu-1") at or before `before`. */
  sentMessageId(leadId: string, step: string, before: string): Promise<string | undefined>;
  /**
   * Records an interaction of an existing lead. With `onceKey`, only the first interaction for that key is
   * stored (a conditional write on a claim item): any later one, whatever its time or id, is a 'duplicate'.
   */
  recordInteraction(leadId: string, interaction: Interaction, onceKey?: string): Promise<RecordOnceResult>;
}
