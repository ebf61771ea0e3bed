import { DeleteCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CampaignEngineStore, CampaignProgress } from '../campaigns/campaign-engine';
import { withRetry } from '../retry/with-retry';
import { documentClient } from './dynamodb-client';
import { keys } from './table-design';
import { cancellationCodes, isTransactionConflict } from './transaction-errors';

/**
 * The campaign engine's own items (shared/campaigns/campaign-engine.ts), in the lead table:
 * - one start per scheduled campaign, in one partition sorted by send time: the schedule reads the due ones with one
 *   Query (campaigns are few: dozens a year), never a Scan;
 * - the progress item beside the campaign item: small, so the many counter updates of a big campaign cost one write
 *   unit each instead of the campaign item's size (its content can be tens of KB);
 * - one marker per planned page and per processed send message, written with the counter in one transaction, so a
 *   redelivered message never counts twice. Markers expire after SQS's longest retention (no redelivery after it).
 */
const SCHEDULE_PK = 'CAMPAIGN#SCHEDULE';
const MARKER_RETENTION_SECONDS = 15 * 86_400;

const engineKeys = {
  start: (sendAt: string, campaignId: string) => ({ pk: SCHEDULE_PK, sk: `${sendAt}#${campaignId}` }),
  progress: (campaignId: string) => ({ pk: keys.campaign(campaignId).pk, sk: 'PROGRESS' }),
  marker: (campaignId: string, kind: 'PAGE' | 'BATCH', id: string) => ({ pk: keys.campaign(campaignId).pk, sk: `${kind}#${id}` }),
};

export function dynamoCampaignEngineStore(tableName: string): CampaignEngineStore {
  async function getProgress(campaignId: string): Promise<CampaignProgress | undefined> {
    const read = await documentClient.send(
      new GetCommand({ TableName: tableName, Key: engineKeys.progress(campaignId), ConsistentRead: true }),
    );
    if (!read.Item) return undefined;
    const { shards, shardsPlanned, enqueued, processed } = read.Item as Record<string, number>;
    return { shards: shards ?? 0, shardsPlanned: shardsPlanned ?? 0, enqueued: enqueued ?? 0, processed: processed ?? 0 };
  }

  /** Adds to the progress counters once per marker; a marker written before means counted before. */
  async function countOnce(
    campaignId: string,
    marker: { pk: string; sk: string },
    add: Partial<Record<'shardsPlanned' | 'enqueued' | 'processed', number>>,
    at: string,
  ): Promise<CampaignProgress> {
    const entries = Object.entries(add).filter(([, value]) => value !== undefined);
    const names = Object.fromEntries(entries.map(([name], i) => [`#c${i}`, name]));
    const values = Object.fromEntries(entries.map(([, value], i) => [`:c${i}`, value]));
    const expiresAt = Math.floor(Date.parse(at) / 1000) + MARKER_RETENTION_SECONDS;
    try {
      await withRetry(
        // Two sender runs finishing batches at the same moment touch the same progress item: DynamoDB cancels one.
        { what: `count ${marker.sk} of campaign ${campaignId}`, attempts: 5, retryOn: isTransactionConflict, baseDelayMs: 20 },
        () =>
          documentClient.send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  Put: {
                    TableName: tableName,
                    Item: { ...marker, type: 'campaign-marker', at, expiresAt },
                    ConditionExpression: 'attribute_not_exists(pk)',
                  },
                },
                {
                  Update: {
                    TableName: tableName,
                    Key: engineKeys.progress(campaignId),
                    // No condition: a page may be counted before initProgress has stored the shard count (the plan
                    // messages go out first); until it has, isComplete() is false (shards 0).
                    UpdateExpression: `SET updatedAt = :at ADD ${entries.map((_, i) => `#c${i} :c${i}`).join(', ')}`,
                    ExpressionAttributeNames: names,
                    ExpressionAttributeValues: { ...values, ':at': at },
                  },
                },
              ],
            }),
          ),
      );
    } catch (error) {
      const codes = cancellationCodes(error);
      // Only the marker's condition failed: counted before (a redelivered message). Anything else is an error.
      if (!(codes?.[0] === 'ConditionalCheckFailed' && codes[1] === 'None')) throw error;
    }
    const progress = await getProgress(campaignId);
    if (!progress) throw new Error(`campaign ${campaignId} has no progress item`);
    return progress;
  }

  return {
    async scheduleStart(campaignId, sendAt) {
      await documentClient.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...engineKeys.start(sendAt, campaignId), type: 'campaign-start', campaignId, sendAt },
        }),
      );
    },

    async dueStarts(now, limit) {
      const page = await documentClient.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND sk <= :upTo',
          // `~` sorts after every campaign id character: every start at or before `now`.
          ExpressionAttributeValues: { ':pk': SCHEDULE_PK, ':upTo': `${now}#~` },
          ConsistentRead: true,
          Limit: limit,
        }),
      );
      return (page.Items ?? []).map((item) => ({ campaignId: String(item.campaignId), sendAt: String(item.sendAt) }));
    },

    async removeStart(campaignId, sendAt) {
      await documentClient.send(new DeleteCommand({ TableName: tableName, Key: engineKeys.start(sendAt, campaignId) }));
    },

    getProgress,

    async initProgress(campaignId, shards, at) {
      await documentClient.send(
        new UpdateCommand({
          TableName: tableName,
          Key: engineKeys.progress(campaignId),
          UpdateExpression: 'SET #type = :type, shards = if_not_exists(shards, :shards), startedAt = if_not_exists(startedAt, :at)',
          ExpressionAttributeNames: { '#type': 'type' },
          ExpressionAttributeValues: { ':type': 'campaign-progress', ':shards': shards, ':at': at },
        }),
      );
    },

    recordPagePlanned: (campaignId, pageKey, recipients, lastOfShard, at) =>
      countOnce(
        campaignId,
        engineKeys.marker(campaignId, 'PAGE', pageKey),
        { enqueued: recipients, shardsPlanned: lastOfShard ? 1 : 0 },
        at,
      ),

    recordBatchDone: (campaignId, batchId, recipients, at) =>
      countOnce(campaignId, engineKeys.marker(campaignId, 'BATCH', batchId), { processed: recipients }, at),
  };
}
