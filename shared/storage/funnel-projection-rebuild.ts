import { ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { itemId } from '../reporting/funnel-projection-items';
import { FunnelRebuild } from '../reporting/rebuild-funnel';
import { queueUndecidedMql } from './dynamo-console-store';
import { documentClient } from './dynamodb-client';
import { replaceProjection } from './dynamo-funnel-projection-store';
import { keys } from './table-design';

/** The attributes the rebuild reads, of every item kind it looks at (profiles, interactions, mails, projection days). */
const FIELDS = [
  'pk',
  'sk',
  'lifecycle',
  'qualification',
  'funnelStage',
  'pql',
  'createdAt',
  'createdDay',
  'mqlAt',
  'qualificationSeq',
  'salesDecision',
  'salesQueue',
  'firstTouch',
  'source',
  'type',
  'assetId',
  'attribution',
  'messageId',
  'at',
  'templateId',
  'sentAt',
  'category',
] as const;

export interface RebuildSummary {
  leads: number;
  /** projection items written (days and the totals) */
  items: number;
  /** projection day items deleted because the leads no longer give them any count */
  deleted: number;
  /** profiles that got the createdDay they lacked (leads created before it was written) */
  createdDaySet: number;
  /** undecided MQLs put into the sales queue they lacked (MQLs from before the queue existed) */
  queued: number;
}

/**
 * Rebuilds the funnel projection from the leads, for an installation that had leads before the projection existed:
 * one parallel Scan of the whole table (an operator command, run once; see scan-leads.ts on why a Scan is allowed
 * there), then every projection item is written whole, so running it twice gives the same items. Profiles without
 * `createdDay` get it on the way (the recent-leads index), on the condition that they still exist and still lack it.
 *
 * Run it while nothing else writes leads: an event projected while the Scan runs may be counted in both.
 */
export async function rebuildFunnelProjection(
  tableName: string,
  options: { segments?: number; onProgress?: (scanned: number) => void } = {},
): Promise<RebuildSummary> {
  const segments = options.segments ?? 4;
  const rebuild = new FunnelRebuild();
  const names = Object.fromEntries(FIELDS.map((field, index) => [`#f${index}`, field]));
  let scanned = 0;
  const unqueuedMqls: string[] = [];
  await Promise.all(
    Array.from({ length: segments }, async (_, segment) => {
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await documentClient.send(
          new ScanCommand({
            TableName: tableName,
            Segment: segment,
            TotalSegments: segments,
            ProjectionExpression: Object.keys(names).join(', '),
            ExpressionAttributeNames: names,
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of page.Items ?? []) {
          rebuild.add(item);
          if (item.sk === keys.lead('').sk && item.lifecycle === 'mql' && item.salesQueue === undefined) {
            unqueuedMqls.push(String(item.pk).slice(keys.leadPartition('').length));
          }
        }
        scanned += page.Items?.length ?? 0;
        options.onProgress?.(scanned);
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    }),
  );
  const result = rebuild.result();
  await replaceProjection(tableName, result.items, result.existingDayKeys);
  let createdDaySet = 0;
  for (const { leadId, createdDay } of result.missingCreatedDay) {
    try {
      await documentClient.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keys.lead(leadId),
          UpdateExpression: 'SET createdDay = :day',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(createdDay)',
          ExpressionAttributeValues: { ':day': createdDay },
        }),
      );
      createdDaySet += 1;
    } catch (error) {
      // Erased since the Scan, or given its day by another writer: nothing to do.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
  // The console's "MQLs to decide" list reads the sales-queue index: MQLs from before it existed join it here.
  let queued = 0;
  for (const leadId of unqueuedMqls) if (await queueUndecidedMql(tableName, leadId)) queued += 1;
  const wanted = new Set([...result.items.values()].map((item) => itemId(item.ref)));
  const deleted = result.existingDayKeys.filter((key) => !wanted.has(dayItemId(key))).length;
  return { leads: result.leads, items: result.items.size, deleted, createdDaySet, queued };
}

const PART_KIND: Record<string, string> = { FUNNEL: 'funnel-day', ATTRIBUTION: 'attribution-day', EMAIL: 'email-day' };

function dayItemId(key: { pk: string; sk: string }): string {
  return `${PART_KIND[key.sk] ?? key.sk}|${key.pk.slice(keys.funnelDayPrefix.length)}`;
}
