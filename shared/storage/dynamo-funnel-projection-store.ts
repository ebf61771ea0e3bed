import {
  BatchGetCommand,
  BatchWriteCommand,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { withRetry } from '../retry/with-retry';
import {
  type Dimension,
  firstTouchOf,
  IMPORT_FIRST_TOUCH,
  keptKey,
  leadErased,
  stagesOfProfile,
  OTHER_KEY,
  type ProjectionChange,
  type ProjectionItemRef,
  UNKNOWN_FIRST_TOUCH,
  storedFirstTouch,
  MAX_KEYS_PER_DAY,
} from '../reporting/funnel-projection';
import {
  type CounterItem,
  decodeAttributionDay,
  decodeEmailDay,
  decodeFunnelDay,
  decodeTotals,
  itemId,
  keyedAttribute,
  keyedItemRef,
  keySetAttribute,
  type ProjectionItems,
  storedAttributes,
} from '../reporting/funnel-projection-items';
import type { FunnelProjectionStore } from '../reporting/funnel-projection-store';
import { documentClient } from './dynamodb-client';
import { epochSeconds, keys } from './table-design';
import { cancellationCodes, isTransactionConflict } from './transaction-errors';
import { untilAllProcessed } from './until-all-processed';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
type Key = { pk: string; sk: string };

/**
 * How often one fact's transaction is tried: the totals item is written by every fact, so concurrent projections
 * collide on it (TransactionConflict) and try again after a jittered wait; a day's key bound reached costs one more.
 * Out of attempts, the event fails and EventBridge delivers it again.
 */
export const PROJECTION_ATTEMPTS = 8;

/** A day item refused a new key (its bound is reached): read its key sets and try again with OTHER_KEY where needed. */
class KeyBoundReached extends Error {
  override name = 'KeyBoundReached';
}

const PART: Record<Exclude<ProjectionItemRef['kind'], 'totals'>, 'FUNNEL' | 'ATTRIBUTION' | 'EMAIL'> = {
  'funnel-day': 'FUNNEL',
  'attribution-day': 'ATTRIBUTION',
  'email-day': 'EMAIL',
};

export function projectionKey(ref: ProjectionItemRef): Key {
  return ref.kind === 'totals' ? keys.funnelTotals() : keys.funnelDay(ref.date, PART[ref.kind]);
}

/** The funnel projection in the lead table (see shared/reporting/funnel-projection-store.ts for the items). */
export function dynamoFunnelProjectionStore(tableName: string): FunnelProjectionStore {
  const readDays = async <T>(
    dates: readonly string[],
    part: 'FUNNEL' | 'ATTRIBUTION' | 'EMAIL',
    decode: (date: string, a: Record<string, unknown>) => T,
  ) => {
    const found = await batchGet(
      tableName,
      dates.map((date) => keys.funnelDay(date, part)),
    );
    return dates.flatMap((date) => {
      const item = found.get(keyId(keys.funnelDay(date, part)));
      return item ? [decode(date, item)] : [];
    });
  };
  return {
    readFunnelDays: (dates) => readDays(dates, 'FUNNEL', decodeFunnelDay),
    readAttributionDays: (dates) => readDays(dates, 'ATTRIBUTION', decodeAttributionDay),
    readEmailDays: (dates) => readDays(dates, 'EMAIL', decodeEmailDay),
    async readTotals() {
      const { Item } = await documentClient.send(new GetCommand({ TableName: tableName, Key: keys.funnelTotals() }));
      return decodeTotals(Item);
    },
    async readFunnelDaysAndTotals(dates) {
      const dayKeys = dates.map((date) => keys.funnelDay(date, 'FUNNEL'));
      const found = await batchGet(tableName, [...dayKeys, keys.funnelTotals()]);
      const days = dates.flatMap((date, index) => {
        const item = found.get(keyId(dayKeys[index]!));
        return item ? [decodeFunnelDay(date, item)] : [];
      });
      return { days, totals: decodeTotals(found.get(keyId(keys.funnelTotals()))) };
    },

    async apply(claim, change) {
      // The key each keyed increment is counted under: itself, until a day item's bound says otherwise.
      const kept = new Map<string, string>();
      try {
        await withRetry(
          {
            what: `project ${claim.id}`,
            attempts: PROJECTION_ATTEMPTS,
            retryOn: (error) => error instanceof KeyBoundReached || isTransactionConflict(error),
            baseDelayMs: 20,
            maxDelayMs: 500,
          },
          async () => {
            const updates = projectionUpdates(tableName, change, kept);
            const claimPut: TransactItem = {
              Put: {
                TableName: tableName,
                Item: { ...keys.funnelClaim(claim.id), at: claim.at, expiresAt: epochSeconds(claim.at) + claim.keepDays * 86_400 },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            };
            try {
              await documentClient.send(new TransactWriteCommand({ TransactItems: [claimPut, ...updates.map((u) => u.item)] }));
            } catch (error) {
              const codes = cancellationCodes(error);
              if (codes?.[0] === 'ConditionalCheckFailed') throw new Duplicate();
              const bounded = updates.filter((_, index) => codes?.[index + 1] === 'ConditionalCheckFailed');
              if (bounded.length === 0) throw error;
              for (const update of bounded) await readKeptKeys(tableName, update, kept);
              throw new KeyBoundReached(`a day's key bound was reached for ${claim.id}`);
            }
          },
        );
        return 'applied';
      } catch (error) {
        if (error instanceof Duplicate) return 'duplicate';
        throw error;
      }
    },

    async firstTouch(leadId) {
      const { Item } = await documentClient.send(
        new GetCommand({
          TableName: tableName,
          Key: keys.lead(leadId),
          ProjectionExpression: 'firstTouch, #source',
          ExpressionAttributeNames: { '#source': 'source' },
        }),
      );
      if (!Item) return UNKNOWN_FIRST_TOUCH;
      const stored = storedFirstTouch(Item.firstTouch);
      if (stored) return stored;
      if (Item.source === 'import') return IMPORT_FIRST_TOUCH;
      // Leads created before the first touch was stored: their earliest interaction (the sort key starts with its time).
      const { Items } = await documentClient.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :interaction)',
          ExpressionAttributeValues: { ':pk': keys.leadPartition(leadId), ':interaction': keys.interactionPrefix },
          ProjectionExpression: '#type, assetId, attribution',
          ExpressionAttributeNames: { '#type': 'type' },
          Limit: 1,
        }),
      );
      const first = Items?.[0];
      return first ? firstTouchOf(first as Parameters<typeof firstTouchOf>[0]) : UNKNOWN_FIRST_TOUCH;
    },

    async sentMessage(messageId) {
      const { Item } = await documentClient.send(
        new GetCommand({ TableName: tableName, Key: keys.messageLookup(messageId), ProjectionExpression: 'templateId, category' }),
      );
      if (!Item) return undefined;
      return {
        ...(typeof Item.templateId === 'string' ? { templateId: Item.templateId } : {}),
        ...(typeof Item.category === 'string' ? { category: Item.category } : {}),
      };
    },
  };
}

class Duplicate extends Error {
  override name = 'Duplicate';
}

interface ProjectionUpdate {
  ref: ProjectionItemRef;
  /** the dimensions whose keys this update adds, and the wanted (unbounded) keys */
  dimensions: Array<{ dimension: Dimension; date: string; wanted: string }>;
  item: TransactItem;
}

/**
 * One UpdateItem per touched item: ADD to every counter, SET its kind and date, and for each keyed dimension ADD the key
 * to the day's key set under the bound's condition (the key is kept already, or fewer than MAX_KEYS_PER_DAY are kept).
 * The condition is what makes the bound hold when projections run concurrently: two new keys racing for the last place
 * cannot both pass, the loser is cancelled and counted under OTHER_KEY on its next attempt.
 */
export function projectionUpdates(tableName: string, change: ProjectionChange, kept: ReadonlyMap<string, string>): ProjectionUpdate[] {
  const byItem = new Map<
    string,
    { ref: ProjectionItemRef; adds: Map<string, number>; keys: Map<Dimension, string>; update: ProjectionUpdate }
  >();
  const entry = (ref: ProjectionItemRef) => {
    const id = itemId(ref);
    let found = byItem.get(id);
    if (!found) {
      found = { ref, adds: new Map(), keys: new Map(), update: { ref, dimensions: [], item: {} as TransactItem } };
      byItem.set(id, found);
    }
    return found;
  };
  for (const inc of change.increments) {
    const e = entry(inc.item);
    e.adds.set(inc.counter, (e.adds.get(inc.counter) ?? 0) + inc.by);
  }
  for (const inc of change.keyed) {
    const e = entry(keyedItemRef(inc));
    const key = kept.get(keptKeyId(inc.date, inc.dimension, inc.key)) ?? inc.key;
    const already = e.keys.get(inc.dimension);
    // One fact names one key per dimension; the condition below relies on it.
    if (already !== undefined && already !== key) throw new Error(`projection: two keys of ${inc.dimension} in one fact`);
    e.keys.set(inc.dimension, key);
    if (!e.update.dimensions.some((d) => d.dimension === inc.dimension)) {
      e.update.dimensions.push({ dimension: inc.dimension, date: inc.date, wanted: inc.key });
    }
    const name = keyedAttribute(inc.dimension, inc.counter, key);
    e.adds.set(name, (e.adds.get(name) ?? 0) + inc.by);
  }
  return [...byItem.values()].map(({ ref, adds, keys: dimensionKeys, update }) => {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const addParts: string[] = [];
    let n = 0;
    for (const [name, by] of adds) {
      names[`#a${n}`] = name;
      values[`:a${n}`] = by;
      addParts.push(`#a${n} :a${n}`);
      n += 1;
    }
    const conditions: string[] = [];
    let d = 0;
    for (const [dimension, key] of dimensionKeys) {
      names[`#k${d}`] = keySetAttribute(dimension);
      values[`:k${d}`] = new Set([key]);
      addParts.push(`#k${d} :k${d}`);
      if (key !== OTHER_KEY) {
        values[`:c${d}`] = key;
        conditions.push(`(attribute_not_exists(#k${d}) OR contains(#k${d}, :c${d}) OR size(#k${d}) < :cap)`);
      }
      d += 1;
    }
    if (conditions.length > 0) values[':cap'] = MAX_KEYS_PER_DAY;
    names['#kind'] = 'kind';
    values[':kind'] = ref.kind;
    const sets = ['#kind = :kind'];
    if (ref.kind !== 'totals') {
      names['#date'] = 'date';
      values[':date'] = ref.date;
      sets.push('#date = :date');
    }
    update.item = {
      Update: {
        TableName: tableName,
        Key: projectionKey(ref),
        UpdateExpression: `SET ${sets.join(', ')}${addParts.length > 0 ? ` ADD ${addParts.join(', ')}` : ''}`,
        ...(conditions.length > 0 ? { ConditionExpression: conditions.join(' AND ') } : {}),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    };
    return update;
  });
}

function keptKeyId(date: string, dimension: Dimension, key: string): string {
  return `${date}|${dimension}|${key}`;
}

/** After a bound refused a key: read the day item's key sets and decide, per dimension, which key to count under. */
async function readKeptKeys(tableName: string, update: ProjectionUpdate, kept: Map<string, string>): Promise<void> {
  const names = Object.fromEntries(update.dimensions.map((d, index) => [`#k${index}`, keySetAttribute(d.dimension)]));
  const { Item } = await documentClient.send(
    new GetCommand({
      TableName: tableName,
      Key: projectionKey(update.ref),
      ConsistentRead: true,
      ProjectionExpression: Object.keys(names).join(', '),
      ExpressionAttributeNames: names,
    }),
  );
  for (const { dimension, date, wanted } of update.dimensions) {
    const stored = Item?.[keySetAttribute(dimension)];
    const set = stored instanceof Set ? (stored as Set<string>) : new Set<string>();
    kept.set(keptKeyId(date, dimension, wanted), keptKey(wanted, set));
  }
}

async function batchGet(tableName: string, requestKeys: readonly Key[]): Promise<Map<string, Record<string, unknown>>> {
  const found = new Map<string, Record<string, unknown>>();
  // BatchGetItem takes 100 keys per request.
  for (let start = 0; start < requestKeys.length; start += 100) {
    await untilAllProcessed('BatchGetItem of funnel projection items', requestKeys.slice(start, start + 100), async (pending) => {
      const result = await documentClient.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending } } }));
      for (const item of result.Responses?.[tableName] ?? []) found.set(keyId(item as Key), item);
      return (result.UnprocessedKeys?.[tableName]?.Keys ?? []) as Key[];
    });
  }
  return found;
}

function keyId(key: Key): string {
  return `${key.pk}\u0000${key.sk}`;
}

/**
 * Replaces the whole projection with `items` (the rebuild): every item is written whole (a Put, so running it twice
 * writes the same), and the day items in `stale` that the new projection does not have are deleted. Claims are kept:
 * an event already projected stays recognised.
 */
export async function replaceProjection(tableName: string, items: ProjectionItems, stale: readonly Key[]): Promise<void> {
  const puts = [...items.values()].map((item: CounterItem) => ({
    PutRequest: {
      Item: {
        ...projectionKey(item.ref),
        kind: item.ref.kind,
        ...(item.ref.kind === 'totals' ? {} : { date: item.ref.date }),
        ...storedAttributes(item),
      },
    },
  }));
  const wanted = new Set([...items.values()].map((item) => keyId(projectionKey(item.ref))));
  const deletes = stale.filter((key) => !wanted.has(keyId(key))).map((key) => ({ DeleteRequest: { Key: { pk: key.pk, sk: key.sk } } }));
  const requests = [...puts, ...deletes];
  for (let start = 0; start < requests.length; start += 25) {
    await untilAllProcessed('BatchWriteItem of the rebuilt funnel projection', requests.slice(start, start + 25), async (pending) => {
      const result = await documentClient.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      return (result.UnprocessedItems?.[tableName] ?? []) as typeof pending;
    });
  }
}

/**
 * For erasure (shared/storage/erase-lead.ts): the profile's Delete together with the totals' decrement, as the items of
 * one TransactWriteItems. The Delete's condition is the guard: a profile deleted already (an erasure run again) fails
 * the transaction with ConditionalCheckFailed and the totals are not decremented twice. The days keep what happened.
 */
export function profileErasureWrites(tableName: string, profile: Record<string, unknown>): TransactItem[] {
  const leadId = String(profile.leadId ?? String(profile.pk ?? '').slice('LEAD#'.length));
  const stages = stagesOfProfile(profile);
  return [
    { Delete: { TableName: tableName, Key: keys.lead(leadId), ConditionExpression: 'attribute_exists(pk)' } },
    ...projectionUpdates(tableName, leadErased(stages), new Map()).map((update) => update.item),
  ];
}
