/**
 * The read model's port: what the funnel projection keeps in the lead table, as the read use cases and the
 * projection rules see it (shared/storage/dynamo-funnel-projection-store.ts is the DynamoDB adapter).
 *
 * Four kinds of aggregate item, none of which grows with the number of leads:
 * - a funnel day (one per UTC day): leads created, MQLs, SQLs, stage transitions by field/from/to, and leads/MQLs/SQLs by
 *   utm_source;
 * - an attribution day: leads/MQLs/SQLs by utm_campaign, first asset and form;
 * - an email day: sent/opened/clicked/bounced/complained/unsubscribed per template;
 * - the totals: leads per lifecycle, qualification and funnel stage now, PQLs, and what leads ever reached.
 */
import type { FunnelStage, Lifecycle, Qualification } from '../domain/lead';
import type { FirstTouch, ProjectionChange } from './funnel-projection';

/** The counters a keyed (bounded) breakdown keeps per key. */
export interface AttributionCounts {
  leads: number;
  mql: number;
  sql: number;
}

export const EMAIL_COUNTERS = ['sent', 'opened', 'clicked', 'bounced', 'complained', 'unsubscribed'] as const;
export type EmailCounter = (typeof EMAIL_COUNTERS)[number];
export type EmailCounts = Record<EmailCounter, number>;

export interface FunnelDay {
  /** YYYY-MM-DD, UTC */
  date: string;
  created: number;
  /** leads that became an MQL this day (a lead that qualifies again after a recycle counts again) */
  mql: number;
  /** leads sales accepted this day */
  sql: number;
  /** `${field}:${from}>${to}` → count; a null stage reads as "none" */
  transitions: Record<string, number>;
  bySource: Record<string, AttributionCounts>;
}

export interface AttributionDay {
  date: string;
  byCampaign: Record<string, AttributionCounts>;
  byAsset: Record<string, AttributionCounts>;
  byForm: Record<string, AttributionCounts>;
}

export interface EmailDay {
  date: string;
  byTemplate: Record<string, EmailCounts>;
}

export interface FunnelTotals {
  /** leads counted (created minus erased) */
  total: number;
  lifecycle: Record<Lifecycle, number>;
  qualification: Record<Qualification, number>;
  funnelStage: Record<FunnelStage | 'none', number>;
  pql: number;
  /** leads that are or ever were an MQL (a recycled MQL stays counted) */
  everMql: number;
  /** leads that are or ever were warm or beyond (the lifecycle only leaves cold forwards) */
  reachedWarm: number;
}

/** What the read use cases need: a bounded number of items by key, never a Scan or a Query over leads. */
export interface FunnelProjectionReader {
  /** the funnel day items of these dates (absent days are left out); one BatchGetItem per 100 keys */
  readFunnelDays(dates: readonly string[]): Promise<FunnelDay[]>;
  readAttributionDays(dates: readonly string[]): Promise<AttributionDay[]>;
  readEmailDays(dates: readonly string[]): Promise<EmailDay[]>;
  readTotals(): Promise<FunnelTotals>;
  /** funnel days plus the totals in one BatchGetItem (the dashboard request) */
  readFunnelDaysAndTotals(dates: readonly string[]): Promise<{ days: FunnelDay[]; totals: FunnelTotals }>;
}

/** What the projecting function needs: apply a fact once, and look up what an event does not carry. */
export interface FunnelProjectionWriter {
  /**
   * Applies one fact's increments together with its claim, in one transaction: 'duplicate' (nothing written) when the
   * claim exists already. The claim expires `keepDays` after `at` (the fact's time), long after any redelivery.
   */
  apply(claim: { id: string; at: string; keepDays: number }, change: ProjectionChange): Promise<'applied' | 'duplicate'>;
  /** the lead's first touch as stored at its creation (UNKNOWN_FIRST_TOUCH for a lead that no longer exists) */
  firstTouch(leadId: string): Promise<FirstTouch>;
  /** the template and category a message was sent with, from the lookup item written at send time */
  sentMessage(messageId: string): Promise<{ templateId?: string; category?: string } | undefined>;
}

export type FunnelProjectionStore = FunnelProjectionReader & FunnelProjectionWriter;
