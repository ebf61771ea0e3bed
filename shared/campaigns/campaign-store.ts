import type { SentEmail } from '../email/sent-email-store';
import type { AudienceRow, Campaign, CampaignCounter, CampaignStatus } from './campaign';

/**
 * What campaigns need of storage, in their own terms. The DynamoDB adapter is
 * shared/storage/dynamo-campaign-store.ts (`dynamoCampaignStore(tableName)`).
 *
 * Exactly once per recipient rests on the claim: one item per (campaign, lead), written with a condition
 * BEFORE the send. Whoever wins the conditional put sends; everyone else (a second `campaign send`, a
 * redelivered queue message, a retried batch) sees `false` and sends nothing. After the send the claim is
 * marked sent with the SES message id. A send that definitely did not happen (SES refused or throttled)
 * releases the claim, so a retry can send. A crash between SES accepting the mail and the claim being
 * marked leaves it claimed and unmarked: that recipient is never mailed again (at most once in that
 * window, never twice).
 */
export interface CampaignStore {
  /**
   * Stores a new campaign unless one with its id exists. `created: false` returns the stored one untouched,
   * so a second `campaign send` of the same id neither creates a second campaign nor resets its figures.
   */
  createCampaign(campaign: Campaign): Promise<{ created: boolean; campaign: Campaign }>;
  /** The campaign as last written (a consistent read), or undefined. */
  getCampaign(campaignId: string): Promise<Campaign | undefined>;
  /**
   * Moves the campaign to `to` if its status is one of `from`; stamps startedAt / finishedAt / cancelledAt.
   * False: the campaign is missing or in another status (e.g. cancelled meanwhile), nothing written.
   */
  transition(campaignId: string, from: readonly CampaignStatus[], to: CampaignStatus, at: string): Promise<boolean>;
  /**
   * One page of one shard of the subscribers index (never a Scan), in lead-id order. `cursor` is the
   * previous page's; undefined for the first. No `cursor` in the answer: the shard is done.
   */
  listAudiencePage(shard: string, cursor: string | undefined, limit: number): Promise<AudiencePage>;
  /** Claims the recipient before the send: true only for the first caller per (campaign, lead). */
  claimRecipient(campaignId: string, leadId: string, at: string): Promise<boolean>;
  /**
   * After SES accepted the mail, in one write: marks the claim sent with the message id, counts one `sent`,
   * records the mail on the lead's timeline with its message-id lookup (so SES feedback finds lead and campaign),
   * pauses nurture until `nurtureResumeAt` (never earlier than already paused) and puts the `Campaign Sent` event
   * in the outbox. All or nothing; a claim already marked makes it fail (nothing counted twice).
   */
  recordSent(sent: CampaignMailSent): Promise<void>;
  /** Drops a claim whose send definitely did not happen, unless it was marked sent meanwhile. */
  releaseClaim(campaignId: string, leadId: string): Promise<void>;
  /** The claim as stored, or undefined: for tests, status and the CLI. */
  getClaim(campaignId: string, leadId: string): Promise<RecipientClaim | undefined>;
  /**
   * Counts one feedback event of a campaign mail (SES delivery, open, click, bounce, complaint; an unsubscribe
   * through its link) once per (message, counter): the claim holds the one message this lead got of this campaign,
   * so a redelivered or repeated event (a second open of the same mail) counts nothing. False: counted before, or
   * no marked claim (never sent, or erased with the lead).
   */
  countFeedback(campaignId: string, leadId: string, counter: FeedbackCounter): Promise<boolean>;
}

/** The campaign overview (console, `GET /console/api/campaigns`): apart from CampaignStore, which the engine's fakes implement. */
export interface CampaignListing {
  /** The newest `limit` campaigns by send time (latest first), each as getCampaign returns it. One Query, never a Scan. */
  listCampaigns(limit: number): Promise<Campaign[]>;
}

export type FeedbackCounter = Exclude<CampaignCounter, 'sent'>;

export interface AudiencePage {
  rows: AudienceRow[];
  cursor?: string;
}

export interface RecipientClaim {
  campaignId: string;
  leadId: string;
  claimedAt: string;
  /** set once SES accepted the mail and the claim was marked */
  messageId?: string;
  sentAt?: string;
  /** the feedback counters already counted for this message */
  counted: CampaignCounter[];
}

/** One campaign mail SES accepted (see CampaignStore.recordSent). */
export interface CampaignMailSent {
  campaignId: string;
  /** the lead, message, template (`campaign:<id>`), configuration set and tags, as the timeline keeps every mail */
  email: SentEmail;
  /** store this nurture pause unless the lead's is later already (sentAt + 24 h) */
  nurtureResumeAt: string;
  /** the lead's nurtureResumeAt as read before the send: the write is skipped when it is already as late */
  previousResumeAt?: string;
}
