import { createHash } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { en } from 'zod/locales';
import * as z from 'zod/mini';
import { notMailableReason } from '../campaigns/audience';
import {
  CAMPAIGN_COUNTERS,
  CAMPAIGN_STATUSES,
  subscriberShardFor,
  type AudienceRow,
  type Campaign,
  type CampaignCounter,
  type CampaignStatus,
} from '../campaigns/campaign';
import type { AudiencePage, CampaignListing, CampaignMailSent, CampaignStore, RecipientClaim } from '../campaigns/campaign-store';
import { FUNNEL_STAGES, LIFECYCLES, LOCALES } from '../domain/lead';
import { CampaignFinished, CampaignScheduled, CampaignSent } from '../events/campaign-events';
import { withRetry } from '../retry/with-retry';
import { documentClient } from './dynamodb-client';
import { scanLeadProfiles } from './scan-leads';
import { sentEmailWrites, type TransactItem } from './dynamo-sent-email-store';
import { cancellationCodes, isTransactionConflict } from './transaction-errors';
import { keys, leadTableDefinition } from './table-design';
import { outboxPut } from './outbox-event-item';
import { writeIf } from './write-if';

// A malformed item is reported with zod's messages; zod/mini has none of its own.
z.config(en());

const localeContent = z.object({ subject: z.string(), preheader: z.string(), html: z.string(), text: z.string() });
const countsSchema = z.object(
  Object.fromEntries(CAMPAIGN_COUNTERS.map((counter) => [counter, z.number()])) as Record<CampaignCounter, z.ZodMiniNumber>,
);

/** The campaign item as this adapter writes it. */
const storedCampaign = z.object({
  campaignId: z.string(),
  name: z.string(),
  audience: z.object({
    locales: z.optional(z.array(z.enum(LOCALES))),
    lifecycles: z.optional(z.array(z.enum(LIFECYCLES))),
    funnelStages: z.optional(z.array(z.enum(FUNNEL_STAGES))),
    minScore: z.optional(z.number()),
    createdSince: z.optional(z.string()),
  }),
  content: z.object({ de: localeContent, en: localeContent }),
  status: z.enum(CAMPAIGN_STATUSES),
  sendAt: z.string(),
  contentHash: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  startedAt: z.optional(z.string()),
  finishedAt: z.optional(z.string()),
  cancelledAt: z.optional(z.string()),
  counts: countsSchema,
});

const storedClaim = z.object({
  campaignId: z.string(),
  leadId: z.string(),
  claimedAt: z.string(),
  messageId: z.optional(z.string()),
  sentAt: z.optional(z.string()),
  counted: z.optional(z.array(z.enum(CAMPAIGN_COUNTERS))),
});

function parseCampaign(item: Record<string, unknown>): Campaign {
  const parsed = storedCampaign.safeParse(item);
  if (!parsed.success) throw new Error(`campaign item ${String(item.pk)} is malformed: ${z.prettifyError(parsed.error)}`);
  const { campaignId, ...rest } = parsed.data;
  return { id: campaignId, ...rest };
}

function campaignItem(campaign: Campaign): Record<string, unknown> {
  const { id, ...rest } = campaign;
  return { ...keys.campaign(id), type: 'campaign', campaignId: id, ...rest };
}

/**
 * One entry per campaign in one partition sorted by send time, so the console lists the newest with one Query (never a Scan).
 * Campaigns are few (dozens a year): one partition holds them all. A campaign's sendAt never changes after createCampaign.
 */
const LIST_PK = 'CAMPAIGN#LIST';
const listEntryKey = (sendAt: string, campaignId: string) => ({ pk: LIST_PK, sk: `${sendAt}#${campaignId}` });

/** The stamp each status sets when a campaign enters it. */
const STAMP: Partial<Record<CampaignStatus, 'startedAt' | 'finishedAt' | 'cancelledAt'>> = {
  sending: 'startedAt',
  finished: 'finishedAt',
  cancelled: 'cancelledAt',
};

function encodeCursor(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;
}

function decodeCursor(cursor: string | undefined): Record<string, unknown> | undefined {
  if (cursor === undefined) return undefined;
  const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (typeof parsed !== 'object' || parsed === null) throw new Error('invalid audience cursor');
  return parsed as Record<string, unknown>;
}

function audienceRow(item: Record<string, unknown>): AudienceRow {
  const locale = item.locale;
  return {
    leadId: String(item.leadId),
    ...(locale === 'de' || locale === 'en' ? { locale } : {}),
    ...(typeof item.lifecycle === 'string' ? { lifecycle: item.lifecycle as AudienceRow['lifecycle'] } : {}),
    ...(item.funnelStage !== undefined ? { funnelStage: item.funnelStage as AudienceRow['funnelStage'] } : {}),
    ...(typeof item.score === 'number' ? { score: item.score } : {}),
    ...(typeof item.createdAt === 'string' ? { createdAt: item.createdAt } : {}),
  };
}

/**
 * A campaign's figures live in COUNTER_SHARDS small items (a recipient's shard from its lead id), not on the campaign item:
 * every send adds to one, and the campaign item holds both locales' copy (tens of KB), so adding there would cost tens
 * of write units per recipient and make one item every concurrent sender writes to (transactions on it would conflict).
 */
const COUNTER_SHARDS = 16;
/** Transactions that lose a race with another writer of the same counter shard try again. */
const CONFLICT_ATTEMPTS = 6;

function counterShardOf(leadId: string): number {
  return createHash('sha256').update(leadId).digest()[0]! % COUNTER_SHARDS;
}

function addToCounts(tableName: string, campaignId: string, leadId: string, counter: CampaignCounter): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: keys.campaignCounts(campaignId, counterShardOf(leadId)),
      UpdateExpression: 'ADD #counter :one',
      ExpressionAttributeNames: { '#counter': counter },
      ExpressionAttributeValues: { ':one': 1 },
    },
  };
}

/** One TransactWriteItems, tried again when it lost a race (TransactionConflict) with a concurrent sender. */
function transactWrite(items: TransactItem[], what: string): Promise<unknown> {
  return withRetry({ what, attempts: CONFLICT_ATTEMPTS, retryOn: isTransactionConflict }, () =>
    documentClient.send(new TransactWriteCommand({ TransactItems: items })),
  );
}

/** Index of the lead's pause update in the recordSent transaction (the last item; see below). */
const PAUSE_ITEM = 5;

/** The campaign store in the lead table (keys in table-design.ts: campaign, campaignEvent, campaignClaim). */
export function dynamoCampaignStore(tableName: string): CampaignStore & CampaignListing {
  const index = leadTableDefinition.subscriberIndex;

  async function getCampaign(campaignId: string): Promise<Campaign | undefined> {
    const read = await documentClient.send(new GetCommand({ TableName: tableName, Key: keys.campaign(campaignId), ConsistentRead: true }));
    if (!read.Item) return undefined;
    const campaign = parseCampaign(read.Item);
    // The figures: the sum of the counter shards (at most COUNTER_SHARDS small items, one Query).
    const shards = await documentClient.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.campaign(campaignId).pk, ':prefix': keys.campaignCountsPrefix },
        ConsistentRead: true,
      }),
    );
    const counts = { ...campaign.counts };
    for (const shard of shards.Items ?? []) {
      for (const counter of CAMPAIGN_COUNTERS) if (typeof shard[counter] === 'number') counts[counter] += shard[counter];
    }
    return { ...campaign, counts };
  }

  return {
    getCampaign,

    async createCampaign(campaign) {
      try {
        await documentClient.send(
          new TransactWriteCommand({
            TransactItems: [
              { Put: { TableName: tableName, Item: campaignItem(campaign), ConditionExpression: 'attribute_not_exists(pk)' } },
              // In the same transaction: a campaign is listed exactly when it exists (the engine's start item is removed
              // once the campaign starts, so it cannot list sent campaigns).
              {
                Put: {
                  TableName: tableName,
                  Item: { ...listEntryKey(campaign.sendAt, campaign.id), type: 'campaign-entry', campaignId: campaign.id },
                },
              },
              outboxPut(
                tableName,
                keys.campaignEvent(campaign.id, 'scheduled'),
                CampaignScheduled,
                { campaignId: campaign.id, sendAt: campaign.sendAt, at: campaign.createdAt },
                campaign.createdAt,
              ),
            ],
          }),
        );
        return { created: true, campaign };
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const existing = await getCampaign(campaign.id);
        if (!existing) throw error;
        return { created: false, campaign: existing };
      }
    },

    async listCampaigns(limit) {
      const page = await documentClient.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': LIST_PK },
          ScanIndexForward: false,
          Limit: limit,
        }),
      );
      const campaigns = await Promise.all((page.Items ?? []).map((item) => getCampaign(String(item.campaignId))));
      return campaigns.filter((campaign): campaign is Campaign => campaign !== undefined);
    },

    async transition(campaignId, from, to, at) {
      const stamp = STAMP[to];
      const values: Record<string, unknown> = { ':to': to, ':at': at };
      from.forEach((status, i) => {
        values[`:from${i}`] = status;
      });
      const update: TransactItem = {
        Update: {
          TableName: tableName,
          Key: keys.campaign(campaignId),
          UpdateExpression: `SET #status = :to, updatedAt = :at${stamp ? `, ${stamp} = :at` : ''}`,
          ConditionExpression: `attribute_exists(pk) AND #status IN (${from.map((_, i) => `:from${i}`).join(', ')})`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: values,
        },
      };
      const items: TransactItem[] = [update];
      if (to === 'finished') {
        // `sent` as the event reports it: read now, the figure at the moment of the transition up to sends still landing.
        const sent = (await getCampaign(campaignId))?.counts.sent ?? 0;
        items.push(outboxPut(tableName, keys.campaignEvent(campaignId, 'finished'), CampaignFinished, { campaignId, sent, at }, at));
      }
      try {
        await documentClient.send(new TransactWriteCommand({ TransactItems: items }));
        return true;
      } catch (error) {
        if (error instanceof TransactionCanceledException) return false;
        throw error;
      }
    },

    async listAudiencePage(shard, cursor, limit): Promise<AudiencePage> {
      const page = await documentClient.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: index.name,
          KeyConditionExpression: '#shard = :shard',
          ExpressionAttributeNames: { '#shard': index.partitionKey },
          ExpressionAttributeValues: { ':shard': shard },
          ExclusiveStartKey: decodeCursor(cursor),
          Limit: limit,
        }),
      );
      const next = encodeCursor(page.LastEvaluatedKey);
      return { rows: (page.Items ?? []).map(audienceRow), ...(next ? { cursor: next } : {}) };
    },

    claimRecipient: (campaignId, leadId, at) =>
      writeIf(
        new PutCommand({
          TableName: tableName,
          Item: { ...keys.campaignClaim(leadId, campaignId), type: 'campaign-claim', campaignId, leadId, claimedAt: at },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),

    async recordSent(sent: CampaignMailSent) {
      const { campaignId, email } = sent;
      const { leadId, messageId, sentAt } = email;
      const items: TransactItem[] = [
        {
          Update: {
            TableName: tableName,
            Key: keys.campaignClaim(leadId, campaignId),
            UpdateExpression: 'SET messageId = :messageId, sentAt = :at',
            // A claim marked before is never counted again; a released or erased claim is not resurrected.
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(messageId)',
            ExpressionAttributeValues: { ':messageId': messageId, ':at': sentAt },
          },
        },
        addToCounts(tableName, campaignId, leadId, 'sent'),
        ...sentEmailWrites(tableName, email),
        outboxPut(
          tableName,
          keys.outboxEvent(leadId, `campaign-sent#${campaignId}`),
          CampaignSent,
          { campaignId, leadId, messageId, at: sentAt },
          sentAt,
        ),
      ];
      const pause: TransactItem | undefined =
        sent.previousResumeAt !== undefined && sent.previousResumeAt >= sent.nurtureResumeAt
          ? undefined
          : {
              Update: {
                TableName: tableName,
                Key: keys.lead(leadId),
                // The version bump makes a nurture run that read the lead before this write read it again (and wait).
                UpdateExpression: 'SET nurtureResumeAt = :resume ADD #version :one',
                ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(nurtureResumeAt) OR nurtureResumeAt < :resume)',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':resume': sent.nurtureResumeAt, ':one': 1 },
              },
            };
      try {
        await transactWrite(pause ? [...items, pause] : items, `recording campaign mail ${campaignId}/${leadId}`);
      } catch (error) {
        const codes = cancellationCodes(error);
        const onlyPauseFailed =
          pause !== undefined &&
          codes?.[PAUSE_ITEM] === 'ConditionalCheckFailed' &&
          codes.every((code, i) => i === PAUSE_ITEM || code === 'None');
        // Another writer paused nurture longer since the read: that pause stands, the rest is written without ours.
        if (!onlyPauseFailed) throw error;
        await transactWrite(items, `recording campaign mail ${campaignId}/${leadId}`);
      }
    },

    async releaseClaim(campaignId, leadId) {
      await writeIf(
        new DeleteCommand({
          TableName: tableName,
          Key: keys.campaignClaim(leadId, campaignId),
          // A claim marked sent stays: releasing it would let a retry mail the person twice.
          ConditionExpression: 'attribute_not_exists(messageId)',
        }),
      );
    },

    async getClaim(campaignId, leadId): Promise<RecipientClaim | undefined> {
      const read = await documentClient.send(
        new GetCommand({ TableName: tableName, Key: keys.campaignClaim(leadId, campaignId), ConsistentRead: true }),
      );
      if (!read.Item) return undefined;
      const item = { ...read.Item, counted: read.Item.counted instanceof Set ? [...read.Item.counted] : undefined };
      const parsed = storedClaim.safeParse(item);
      if (!parsed.success) throw new Error(`campaign claim ${campaignId}/${leadId} is malformed: ${z.prettifyError(parsed.error)}`);
      return { ...parsed.data, counted: parsed.data.counted ?? [] };
    },

    async countFeedback(campaignId, leadId, counter) {
      try {
        await transactWrite(
          [
            {
              Update: {
                TableName: tableName,
                Key: keys.campaignClaim(leadId, campaignId),
                UpdateExpression: 'ADD counted :counter',
                // Once per message: the claim holds the one message this lead got of this campaign.
                ConditionExpression: 'attribute_exists(messageId) AND NOT contains(counted, :name)',
                ExpressionAttributeValues: { ':counter': new Set([counter]), ':name': counter },
              },
            },
            addToCounts(tableName, campaignId, leadId, counter),
          ],
          `counting ${counter} of campaign mail ${campaignId}/${leadId}`,
        );
        return true;
      } catch (error) {
        // Counted before, or no campaign mail of this lead: nothing to add. A lost race is retried above, never dropped.
        if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') return false;
        throw error;
      }
    },
  };
}

export interface ReindexReport {
  scanned: number;
  added: number;
  removed: number;
  /** leads written by someone else between the scan and the fix: that write kept the index right itself */
  changedMeanwhile: number;
}

/**
 * Brings the subscribers index in line with every profile: `subscriberShard` for each lead that may get
 * marketing mail, none for the rest. For an installation whose subscribers confirmed before the index existed;
 * afterwards the consent, unsubscribe and suppression writes keep it right. A full Scan, like the other operator
 * commands; each fix is guarded by the version scanned, so a lead changed meanwhile is left to that change.
 */
export async function reindexSubscribers(
  tableName: string,
  options: { onProgress?: (scanned: number) => void } = {},
): Promise<ReindexReport> {
  const leads = await scanLeadProfiles(tableName, {
    fields: ['leadId', 'version', 'consentRequestedAt', 'consentConfirmedAt', 'consentWithdrawnAt', 'suppressed', 'subscriberShard'],
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const report: ReindexReport = { scanned: leads.length, added: 0, removed: 0, changedMeanwhile: 0 };
  for (const lead of leads) {
    const shard = notMailableReason(lead) === null ? subscriberShardFor(lead.leadId) : undefined;
    if (shard === lead.subscriberShard) continue;
    const written = await writeIf(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.lead(lead.leadId),
        UpdateExpression: shard ? 'SET subscriberShard = :shard' : 'REMOVE subscriberShard',
        ConditionExpression: '#version = :version',
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: { ':version': lead.version, ...(shard ? { ':shard': shard } : {}) },
      }),
    );
    if (!written) report.changedMeanwhile += 1;
    else if (shard) report.added += 1;
    else report.removed += 1;
  }
  return report;
}
