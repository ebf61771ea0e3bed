import type { SentEmailStore } from '../email/sent-email-store';
import type { LeadItem } from '../storage/lead-item';

/** What mailing a download link needs (port; the DynamoDB adapter is shared/storage/dynamo-download-link-store.ts). */
export interface DownloadLinkStore extends SentEmailStore {
  getLead(leadId: string): Promise<LeadItem | undefined>;
  /**
   * Claims the download interaction's mail for one event: false if another event claimed it, or the
   * interaction does not exist. A retry of the claiming event may claim again.
   */
  claimDownloadMail(interaction: { leadId: string; at: string; interactionId: string }, eventId: string): Promise<boolean>;
}
