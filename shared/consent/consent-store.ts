import type { SentEmailStore } from '../email/sent-email-store';
import type { LeadItem } from '../storage/lead-item';

/**
 * What the consent use cases (opt-in mail, confirmation, unsubscribe) need to read and write (port; the
 * DynamoDB adapter is shared/storage/dynamo-consent-store.ts). Recording the opt-in mail is the SentEmailStore part.
 */
export interface ConsentStore extends SentEmailStore {
  getLead(leadId: string): Promise<LeadItem | undefined>;
  /**
   * Claims the opt-in mail for one event: false if the lead is gone, or another event claimed it within the last
   * `notWithinSeconds`. A retry of the claiming event may claim again (its first attempt may have died before sending).
   */
  claimOptInMail(leadId: string, claim: { eventId: string; at: string; notWithinSeconds: number }): Promise<boolean>;
  /**
   * Confirms the pending consent and records a `consent_confirmed` interaction, in one write: false (nothing written)
   * if the lead was written since `expectedVersion` was read.
   */
  recordConfirmation(leadId: string, confirmation: { at: string; expectedVersion: number }): Promise<boolean>;
  /** Withdraws marketing consent and stops nurture: false if there is no such lead. */
  withdrawConsent(leadId: string, at: string): Promise<boolean>;
}
