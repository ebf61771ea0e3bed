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
  /**
   * Claims a re-sent download link ("send me a new link" on an expired one) for one lead and asset: false if the lead
   * is gone, or a link for this asset was re-sent within the last `notWithinSeconds`. A retry of the same claim may claim again.
   */
  claimDownloadRenewal(leadId: string, claim: { assetId: string; claimId: string; at: string; notWithinSeconds: number }): Promise<boolean>;
  /** When the last renewal of this asset's link was claimed (for Retry-After), if ever. */
  lastDownloadRenewalAt(leadId: string, assetId: string): Promise<string | undefined>;
}
