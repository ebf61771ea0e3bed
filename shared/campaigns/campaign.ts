import { createHash } from 'node:crypto';
import type { FunnelStage, Lifecycle, Locale } from '../domain/lead';
import type { CampaignCounts, CampaignStatus } from './campaign-figures';

/**
 * The campaign model: what a campaign folder defines (campaign-folder.ts), what the store keeps
 * (campaign-store.ts) and what the engine and the CLI read. Pure types and helpers, no I/O.
 */

export { CAMPAIGN_COUNTERS, CAMPAIGN_STATUSES } from './campaign-figures';
export type { CampaignCounter, CampaignCounts, CampaignStatus } from './campaign-figures';

export function emptyCounts(): CampaignCounts {
  return { sent: 0, delivered: 0, opened: 0, clicked: 0, bounced: 0, complained: 0, unsubscribed: 0 };
}

/**
 * Who gets the campaign beyond the fixed rule (marketing consent confirmed, not suppressed, not erased).
 * Every given filter narrows; an absent or empty list does not filter.
 */
export interface CampaignAudience {
  locales?: Locale[];
  lifecycles?: Lifecycle[];
  funnelStages?: FunnelStage[];
  /** the lead's score is at least this */
  minScore?: number;
  /** ISO time: the lead was created at or after it */
  createdSince?: string;
}

/** One locale's copy, as Handlebars sources (rendered per recipient: the unsubscribe link is personal). */
export interface CampaignLocaleContent {
  subject: string;
  preheader: string;
  html: string;
  text: string;
}

/** What a campaign folder defines, validated (campaign-folder.ts). */
export interface CampaignDefinition {
  /** a slug: lowercase letters, digits and dashes, e.g. "2027-01-newsletter" */
  id: string;
  name: string;
  audience: CampaignAudience;
  /** ISO time to send at; absent: now */
  sendAt?: string;
  content: Record<Locale, CampaignLocaleContent>;
}

/** The campaign as stored: the definition, when it sends, where it stands and its figures. */
export interface Campaign extends Omit<CampaignDefinition, 'sendAt'> {
  status: CampaignStatus;
  /** when sending starts (the definition's sendAt, the CLI's --at, or the time it was scheduled) */
  sendAt: string;
  /** sha-256 of the definition: a second `campaign send` of the same id with other content is refused */
  contentHash: string;
  createdAt: string;
  updatedAt: string;
  startedAt?: string;
  finishedAt?: string;
  cancelledAt?: string;
  counts: CampaignCounts;
}

/** One row of the subscribers index: what the audience filter reads (table-design.ts subscriberIndex projection). */
export interface AudienceRow {
  leadId: string;
  locale?: Locale;
  lifecycle?: Lifecycle;
  funnelStage?: FunnelStage | null;
  score?: number;
  createdAt?: string;
}

/** The EmailTags name that carries the campaign id on every campaign mail (and so on every SES event of it). */
export const CAMPAIGN_TAG = 'campaign';

/** The template id a campaign mail is recorded under on the lead's timeline. */
export function campaignTemplateId(campaignId: string): string {
  return `campaign:${campaignId}`;
}

/** The campaign id of a recorded template id, or undefined when it is not a campaign mail. */
export function campaignIdOfTemplate(templateId: string): string | undefined {
  return templateId.startsWith('campaign:') ? templateId.slice('campaign:'.length) : undefined;
}

/**
 * How many partitions the subscribers index spreads over. A code constant, not a deploy setting: the
 * audience is read shard by shard from 0 to N-1, so changing N would hide every subscriber stored under
 * a shard no longer read until each of them is written again.
 */
export const SUBSCRIBER_INDEX_SHARDS = 8;

/** All shard ids of the subscribers index, in reading order. */
export function subscriberShards(shards: number = SUBSCRIBER_INDEX_SHARDS): string[] {
  return Array.from({ length: shards }, (_, index) => `SUB#${index}`);
}

/** The subscribers-index partition of a lead: a stable hash of the lead id, like the due index (dueShardFor). */
export function subscriberShardFor(leadId: string, shards: number = SUBSCRIBER_INDEX_SHARDS): string {
  const bucket = createHash('sha256').update(leadId).digest().readUInt32BE(0) % shards;
  return `SUB#${bucket}`;
}

export const CAMPAIGN_ID_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
