import type { SentEmailStore } from '../email/sent-email-store';
import type { LeadItem } from '../storage/lead-item';

/** One contact interaction's acknowledgement, claimed by one event. */
export interface AcknowledgementClaim {
  leadId: string;
  /** the contact interaction's time and id: its key */
  interactionAt: string;
  interactionId: string;
  eventId: string;
}

/** What acknowledging a contact request needs (port; the DynamoDB adapter is shared/storage/dynamo-contact-acknowledgement-store.ts). */
export interface ContactAcknowledgementStore {
  getLead(leadId: string): Promise<LeadItem | undefined>;
  /**
   * Claims the interaction's acknowledgement for one event: false if another event claimed it, the mail already went
   * out, or the interaction does not exist. A retry of the claiming event before the send (it failed) may claim again.
   */
  claimAcknowledgement(claim: AcknowledgementClaim): Promise<boolean>;
  /** Records the sent mail and marks the claim mailed in the same write, so a redelivery after the send mails nothing. */
  recordingFor(claim: AcknowledgementClaim): SentEmailStore;
}
