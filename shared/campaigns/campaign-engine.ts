import * as z from 'zod/mini';
import { inAudience } from './audience';
import type { AudienceRow, Campaign } from './campaign';
import { subscriberShards } from './campaign';
import type { CampaignStore } from './campaign-store';

/**
 * The sending engine of newsletter campaigns: SQS plus two Lambda consumers (README "Campaigns: the sending engine").
 *
 *   Campaign Scheduled / the 5-minute schedule
 *     └─ start: scheduled → sending, one plan message per subscriber shard        (campaign-plan queue)
 *          └─ plan: ONE page of that shard → recipient messages of ≤ 50 lead ids  (campaign-sends queue)
 *                   + the next page's plan message (with the cursor)              (campaign-plan queue)
 *               └─ send: each lead id → sendToRecipient (claim, send, record)     (paced to the SES rate)
 *
 * No invocation carries the campaign: a plan run reads one page, a send run at most batchSize × 50 recipients.
 * Finished is decided by counters on a progress item (CampaignEngineStore): every shard's last page planned and
 * every enqueued recipient processed. Page and batch markers make both counters exact under redelivery.
 *
 * This module is the use-case logic, free of I/O: the handlers (functions/campaign-*.ts) pass the ports in.
 */

/** Rows read from the subscribers index per plan run (one Query page; the projection is ~150 bytes a row). */
export const AUDIENCE_PAGE_SIZE = 500;
/** Lead ids per send message: ~1.5 KB of body, and a send run of batchSize messages stays well inside its timeout. */
export const RECIPIENTS_PER_MESSAGE = 50;
/** SendMessageBatch takes at most 10 entries. */
export const MAX_BATCH_ENTRIES = 10;

export const planMessageSchema = z.object({
  campaignId: z.string().check(z.minLength(1)),
  shard: z.string().check(z.minLength(1)),
  /** the page of this shard, from 0; with the shard, the key of the page's marker */
  page: z.number().check(z.int(), z.nonnegative()),
  /** the subscribers-index cursor of this page; absent for the first */
  cursor: z.optional(z.string()),
});
export type PlanMessage = z.infer<typeof planMessageSchema>;

export const sendMessageSchema = z.object({
  campaignId: z.string().check(z.minLength(1)),
  /** `<shard>:<page>:<n>`: the same recipients get the same id however often the page is planned */
  batchId: z.string().check(z.minLength(1)),
  leadIds: z.array(z.string().check(z.minLength(1))).check(z.minLength(1), z.maxLength(RECIPIENTS_PER_MESSAGE)),
});
export type SendMessage = z.infer<typeof sendMessageSchema>;

/** Where a campaign stands in the engine: a small item of its own, so counting never rewrites the campaign's content. */
export interface CampaignProgress {
  shards: number;
  /** shards whose last page has been planned */
  shardsPlanned: number;
  /** recipients put on the sends queue (each page counted once) */
  enqueued: number;
  /** recipients whose send message was processed (each batch counted once): sent, skipped or claimed before */
  processed: number;
}

export function isComplete(progress: CampaignProgress): boolean {
  // shards is 0 until the start has stored it (a page can be counted first): never complete before that.
  return progress.shards > 0 && progress.shardsPlanned >= progress.shards && progress.processed >= progress.enqueued;
}

/** What the engine keeps besides the campaign itself (shared/storage/dynamo-campaign-engine-store.ts). */
export interface CampaignEngineStore {
  /** Remembers that the campaign starts at sendAt, until removeStart: the schedule finds it again after a crash. */
  scheduleStart(campaignId: string, sendAt: string): Promise<void>;
  /** Scheduled starts due at `now`, oldest first. */
  dueStarts(now: string, limit: number): Promise<Array<{ campaignId: string; sendAt: string }>>;
  removeStart(campaignId: string, sendAt: string): Promise<void>;
  getProgress(campaignId: string): Promise<CampaignProgress | undefined>;
  /** Stores the shard count unless stored before (the item may exist already, from a page counted first). */
  initProgress(campaignId: string, shards: number, at: string): Promise<void>;
  /** Counts one planned page once (by its key); returns the progress after it either way. */
  recordPagePlanned(campaignId: string, pageKey: string, recipients: number, lastOfShard: boolean, at: string): Promise<CampaignProgress>;
  /** Counts one processed send message once (by its batch id); returns the progress after it either way. */
  recordBatchDone(campaignId: string, batchId: string, recipients: number, at: string): Promise<CampaignProgress>;
}

/** The queues as the engine sees them: sending message bodies, ≤ 10 per call (the adapter speaks SendMessageBatch). */
export interface CampaignQueues {
  enqueuePlans(messages: readonly PlanMessage[]): Promise<void>;
  enqueueSends(messages: readonly SendMessage[]): Promise<void>;
}

export interface PlannerDeps {
  campaigns: Pick<CampaignStore, 'getCampaign' | 'transition' | 'listAudiencePage'>;
  engine: CampaignEngineStore;
  queues: CampaignQueues;
  /** defaults to the subscribers index's shards */
  shards?: readonly string[];
  pageSize?: number;
}

/** A start that has not created its progress item this long after it moved to sending crashed half-way: redo it. */
const STALE_START_MS = 5 * 60_000;

export type StartOutcome = 'started' | 'not-due' | 'already-started' | 'not-sendable' | 'missing';

/**
 * `Campaign Scheduled`: remember the start first (so the schedule finds it after any crash), then start it if due.
 * A repeated event changes nothing: the start is keyed by campaign and time, and only one start wins the transition.
 */
export async function onCampaignScheduled(
  deps: PlannerDeps,
  event: { campaignId: string; sendAt: string },
  now: string,
): Promise<StartOutcome> {
  await deps.engine.scheduleStart(event.campaignId, event.sendAt);
  if (Date.parse(event.sendAt) > Date.parse(now)) return 'not-due';
  return startCampaign(deps, event.campaignId, event.sendAt, now);
}

/** The schedule: every campaign whose send time has come (and any whose start crashed) is started. */
export async function startDueCampaigns(deps: PlannerDeps, now: string): Promise<Record<string, StartOutcome>> {
  const outcomes: Record<string, StartOutcome> = {};
  for (const due of await deps.engine.dueStarts(now, 25)) {
    outcomes[due.campaignId] = await startCampaign(deps, due.campaignId, due.sendAt, now);
  }
  return outcomes;
}

/**
 * scheduled → sending, then one plan message per shard, then the progress item, then the start is forgotten.
 * Only the winner of the transition enqueues; a campaign left in `sending` without progress (a crash between the
 * transition and the enqueue) is re-planned by the schedule once it is stale. Cancelled or finished: nothing.
 */
export async function startCampaign(deps: PlannerDeps, campaignId: string, sendAt: string, now: string): Promise<StartOutcome> {
  const campaign = await deps.campaigns.getCampaign(campaignId);
  if (!campaign) {
    await deps.engine.removeStart(campaignId, sendAt);
    return 'missing';
  }
  let won = false;
  if (campaign.status === 'scheduled') won = await deps.campaigns.transition(campaignId, ['scheduled'], 'sending', now);
  const current = won ? { ...campaign, status: 'sending' as const, startedAt: now } : await deps.campaigns.getCampaign(campaignId);
  if (current?.status !== 'sending') {
    await deps.engine.removeStart(campaignId, sendAt);
    return 'not-sendable';
  }
  if (!won) {
    const started = ((await deps.engine.getProgress(campaignId))?.shards ?? 0) > 0;
    const stale = Date.parse(now) - Date.parse(current.startedAt ?? now) >= STALE_START_MS;
    if (started || !stale) {
      if (started) await deps.engine.removeStart(campaignId, sendAt);
      return 'already-started';
    }
  }
  const shards = deps.shards ?? subscriberShards();
  await deps.queues.enqueuePlans(shards.map((shard) => ({ campaignId, shard, page: 0 })));
  await deps.engine.initProgress(campaignId, shards.length, now);
  await deps.engine.removeStart(campaignId, sendAt);
  return 'started';
}

export interface PlanOutcome {
  recipients: number;
  messages: number;
  nextPage: boolean;
  finished: boolean;
  stopped?: 'cancelled' | 'not-sending';
}

/**
 * One page of one shard: read it, keep who matches the audience, enqueue them in messages of ≤ 50, count the page,
 * then hand the next page to the next run. A redelivered plan message enqueues the same batches (same ids) again:
 * the claims keep the mail exactly-once, the batch markers keep the counts exact.
 */
export async function planPage(deps: PlannerDeps, message: PlanMessage, now: string): Promise<PlanOutcome> {
  const campaign = await deps.campaigns.getCampaign(message.campaignId);
  if (campaign?.status !== 'sending') {
    return {
      recipients: 0,
      messages: 0,
      nextPage: false,
      finished: false,
      stopped: campaign?.status === 'cancelled' ? 'cancelled' : 'not-sending',
    };
  }
  const page = await deps.campaigns.listAudiencePage(message.shard, message.cursor, deps.pageSize ?? AUDIENCE_PAGE_SIZE);
  const sends = recipientMessages(campaign, message, page.rows);
  if (sends.length > 0) await deps.queues.enqueueSends(sends);
  const recipients = sends.reduce((sum, send) => sum + send.leadIds.length, 0);
  const progress = await deps.engine.recordPagePlanned(campaign.id, `${message.shard}#${message.page}`, recipients, !page.cursor, now);
  if (page.cursor) {
    await deps.queues.enqueuePlans([{ campaignId: campaign.id, shard: message.shard, page: message.page + 1, cursor: page.cursor }]);
  }
  const finished = isComplete(progress) && (await deps.campaigns.transition(campaign.id, ['sending'], 'finished', now));
  return { recipients, messages: sends.length, nextPage: Boolean(page.cursor), finished };
}

/** The page's audience in send messages of at most RECIPIENTS_PER_MESSAGE, with stable batch ids. Pure. */
export function recipientMessages(
  campaign: Pick<Campaign, 'id' | 'audience'>,
  message: PlanMessage,
  rows: readonly AudienceRow[],
): SendMessage[] {
  const leadIds = rows.filter((row) => inAudience(row, campaign.audience)).map((row) => row.leadId);
  return chunk(leadIds, RECIPIENTS_PER_MESSAGE).map((ids, n) => ({
    campaignId: campaign.id,
    batchId: `${message.shard}:${message.page}:${n}`,
    leadIds: ids,
  }));
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/**
 * A queue message's "now": the moment SQS first handed it to a consumer (epoch milliseconds as text). On AWS that is
 * within a second of the first try; the local queue stamps it with the virtual clock, so `/_dev/tick` moves it too.
 */
export function firstReceivedAt(attributes: { ApproximateFirstReceiveTimestamp?: string; SentTimestamp?: string }): string {
  return new Date(Number(attributes.ApproximateFirstReceiveTimestamp ?? attributes.SentTimestamp)).toISOString();
}
