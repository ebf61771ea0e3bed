import { BatchGetCommand, BatchWriteCommand, DeleteCommand, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { profileErasureWrites } from './dynamo-funnel-projection-store';
import { cancellationCodes, isTransactionConflict } from './transaction-errors';
import { bookingKeys } from './booking-keys';
import { writeIf } from './write-if';
import { documentClient } from './dynamodb-client';
import { queryLeadPartition } from './lead-partition';
import { untilAllProcessed } from './until-all-processed';
import { keys } from './table-design';

/**
 * GDPR erasure (Art. 17) of one lead, the suppression list that remembers it, and the raw read of
 * everything stored for a lead that both erasure and the access request (Art. 15, `lead export`) need.
 *
 * The suppression list is keyed by the lead id. The lead id is already a salted hash of the address
 * (a keyed HMAC-SHA256 of the normalised address under the app's secret lead-id key, which never changes,
 * see shared/security/lead-id.ts and app-secrets.ts), so the list holds no address and cannot be reversed by hashing
 * guessed addresses without the key, yet an import (or capture) of the same address finds the
 * entry again with a single GetItem.
 */

const BOOKING_PREFIX = bookingKeys.booking('', '').sk;

export const ERASED_ITEM_KINDS = ['profile', 'interactions', 'emails', 'events', 'submissions', 'other', 'messageLookups'] as const;
export type ErasedItemKind = (typeof ERASED_ITEM_KINDS)[number];

export interface EraseResult {
  /** items deleted, per kind; `messageLookups` are the MESSAGE#<messageId> items of the lead's emails */
  deleted: Record<ErasedItemKind, number>;
  /** false when nothing was stored for the lead (the suppression entry is written anyway) */
  found: boolean;
  erasedAt: string;
}

export interface SuppressionItem {
  pk: string;
  sk: string;
  erasedAt: string;
}

const BATCH_WRITE_MAX = 25;
/** Concurrent writers (an event in flight) may add items while we delete: query again until empty. */
const MAX_ROUNDS = 5;

/**
 * Deletes every item of the lead's partition (profile, interactions, emails, outbox events, dedupe
 * items and anything else stored under LEAD#<leadId>) and the MESSAGE# lookup items of its emails,
 * and records the erasure in the suppression list.
 *
 * The suppression entry is written FIRST, so that an import racing the erasure cannot re-create the
 * lead; if the deletion then fails half-way, running the erasure again finishes it. An unknown lead
 * id still gets its suppression entry: the request to be forgotten is honoured for the address even
 * if nothing is stored (yet).
 */
export async function eraseLead(
  tableName: string,
  leadId: string,
  at: string,
  options: {
    onProgress?: (deleted: number, found: number) => void;
    /** false for data minimisation (an unconfirmed opt-in expiring), where the person asked for nothing */
    suppress?: boolean;
  } = {},
): Promise<EraseResult> {
  if (options.suppress ?? true) {
    const suppression: SuppressionItem = { ...keys.suppression(leadId), erasedAt: at };
    await documentClient.send(new PutCommand({ TableName: tableName, Item: suppression }));
  }

  const deleted = Object.fromEntries(ERASED_ITEM_KINDS.map((kind) => [kind, 0])) as Record<ErasedItemKind, number>;
  let deletedTotal = 0;
  let foundTotal = 0;
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const items = await partitionKeys(tableName, leadId);
    if (items.length === 0) break;
    const targets: Array<{ key: { pk: string; sk: string }; kind: ErasedItemKind }> = [];
    for (const item of items) {
      const kind = kindOf(item.sk);
      targets.push({ key: { pk: item.pk, sk: item.sk }, kind });
      if (kind === 'emails') {
        const messageId = item.messageId ?? item.sk.split('#').slice(2).join('#');
        if (messageId) targets.push({ key: keys.messageLookup(messageId), kind: 'messageLookups' });
      }
    }
    foundTotal += targets.length;
    // A booked expert call holds its slot in the shared slot partition: given up first, so the slot is free
    // again and nothing there points at the erased lead (only while this booking is still the holder).
    for (const item of items) {
      if (item.sk.startsWith(BOOKING_PREFIX) && item.slot && item.bookingId) {
        await writeIf(
          new DeleteCommand({
            TableName: tableName,
            Key: bookingKeys.slot(item.slot),
            ConditionExpression: 'bookingId = :bookingId',
            ExpressionAttributeValues: { ':bookingId': item.bookingId },
          }),
        );
      }
    }
    // Lookups and children first, the profile last: a crash half-way leaves a lead that is still visible to erase again.
    const children = targets.filter((target) => target.kind !== 'profile');
    for (let start = 0; start < children.length; start += BATCH_WRITE_MAX) {
      const chunk = children.slice(start, start + BATCH_WRITE_MAX);
      await batchDelete(
        tableName,
        chunk.map((target) => target.key),
      );
      for (const target of chunk) deleted[target.kind] += 1;
      deletedTotal += chunk.length;
      options.onProgress?.(deletedTotal, foundTotal);
    }
    if (targets.some((target) => target.kind === 'profile') && (await deleteProfileFromTotals(tableName, leadId))) {
      deleted.profile += 1;
      deletedTotal += 1;
      options.onProgress?.(deletedTotal, foundTotal);
    }
    if (round === MAX_ROUNDS - 1) {
      const left = await partitionKeys(tableName, leadId);
      if (left.length > 0)
        throw new Error(
          `Lead ${leadId}: items keep appearing while erasing (${left.length} left); stop the writers and run the erasure again`,
        );
    }
  }
  return { deleted, found: deletedTotal > 0, erasedAt: at };
}

/** A busy funnel-totals item (every stage change writes it) can make the erasure's transaction lose a race: try again. */
const PROFILE_DELETE_ATTEMPTS = 5;

/**
 * The profile goes in one transaction with the funnel totals it counts in (dynamo-funnel-projection-store.ts), so the
 * dashboard stops counting the lead exactly when it is gone. The delete's own condition makes a second erasure (or a
 * concurrent one) decrement nothing: false when the profile was gone already.
 */
async function deleteProfileFromTotals(tableName: string, leadId: string): Promise<boolean> {
  for (let attempt = 1; ; attempt += 1) {
    const { Item: profile } = await documentClient.send(
      new GetCommand({ TableName: tableName, Key: keys.lead(leadId), ConsistentRead: true }),
    );
    if (!profile) return false;
    try {
      await documentClient.send(new TransactWriteCommand({ TransactItems: profileErasureWrites(tableName, profile) }));
      return true;
    } catch (error) {
      if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') return false;
      if (!isTransactionConflict(error) || attempt >= PROFILE_DELETE_ATTEMPTS) throw error;
    }
  }
}

/** Whether the lead id (the keyed hash of an address) is on the suppression list, and since when. */
export async function isSuppressed(tableName: string, leadId: string): Promise<boolean> {
  return (await getSuppression(tableName, leadId)) !== undefined;
}

export async function getSuppression(tableName: string, leadId: string): Promise<SuppressionItem | undefined> {
  const result = await documentClient.send(new GetCommand({ TableName: tableName, Key: keys.suppression(leadId), ConsistentRead: true }));
  return result.Item as SuppressionItem | undefined;
}

export interface StoredLeadData {
  /** every item of the LEAD#<leadId> partition, as stored (keys included), in sort-key order */
  items: Array<Record<string, unknown>>;
  /** the MESSAGE#<messageId> lookup items of the lead's emails, as stored */
  messageLookups: Array<Record<string, unknown>>;
}

/** Everything stored for a lead: its whole partition (consistent, paginated) plus its message lookups. */
export async function readStoredLeadData(tableName: string, leadId: string): Promise<StoredLeadData> {
  const items = await queryLeadPartition(tableName, leadId);

  const messageIds = items
    .filter((item) => kindOf(String(item.sk)) === 'emails' && typeof item.messageId === 'string')
    .map((item) => String(item.messageId));
  const messageLookups: Array<Record<string, unknown>> = [];
  for (let start = 0; start < messageIds.length; start += 100) {
    const requestKeys: Array<Record<string, unknown>> = [...new Set(messageIds.slice(start, start + 100))].map((id) =>
      keys.messageLookup(id),
    );
    await untilAllProcessed('BatchGetItem of message lookups', requestKeys, async (pending) => {
      const result = await documentClient.send(
        new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }),
      );
      messageLookups.push(...(result.Responses?.[tableName] ?? []));
      return result.UnprocessedKeys?.[tableName]?.Keys ?? [];
    });
  }
  return { items, messageLookups };
}

export function kindOf(sk: string): ErasedItemKind {
  if (sk === keys.lead('').sk) return 'profile';
  if (sk.startsWith(keys.interactionPrefix)) return 'interactions';
  if (sk.startsWith(keys.emailPrefix)) return 'emails';
  if (sk.startsWith('EVENT#')) return 'events';
  if (sk.startsWith('SUBMISSION#')) return 'submissions';
  return 'other';
}

interface PartitionKey {
  pk: string;
  sk: string;
  messageId?: string;
  /** booking items: the slot they hold, and their id (the slot item's holder) */
  slot?: string;
  bookingId?: string;
}

async function partitionKeys(tableName: string, leadId: string): Promise<PartitionKey[]> {
  return (await queryLeadPartition(tableName, leadId, 'pk, sk, messageId, slot, bookingId')) as unknown as PartitionKey[];
}

/** BatchWriteItem with retries of the unprocessed deletes (throttling), with jittered backoff. */
async function batchDelete(tableName: string, itemKeys: Array<{ pk: string; sk: string }>): Promise<void> {
  const requests = itemKeys.map((key) => ({ DeleteRequest: { Key: key } }));
  await untilAllProcessed('BatchWriteItem of deletes', requests, async (pending) => {
    const result = await documentClient.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
    return (result.UnprocessedItems?.[tableName] ?? []) as typeof requests;
  });
}
