import type { FunnelStage, Lifecycle, Qualification } from '../domain/lead';

/** One row of the console's lead list: what the list indexes project (table-design.ts LEAD_LIST_ATTRIBUTES). */
export interface LeadListRow {
  email: string;
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  lifecycle: Lifecycle;
  qualification: Qualification;
  funnelStage: FunnelStage | null;
  pql: boolean;
  score: number;
  createdAt: string;
  updatedAt: string;
}

/**
 * The value of `salesQueue` (table-design.ts salesQueueIndex) while an MQL awaits the sales decision: one partition,
 * since undecided MQLs are few (sales decides them); the classification write sets it, the decision write removes it.
 */
export const SALES_QUEUE_UNDECIDED = 'UNDECIDED';

/** Which index a list walks: recent leads by creation day (`leads-by-day`), or the undecided MQLs (`sales-queue`). */
export type LeadListIndex = 'recent' | 'queue';

/** An index position to go on from: the index and table keys of the last item handled (DynamoDB's ExclusiveStartKey). */
export type ListKey = Record<string, string>;

export interface ListFilter {
  lifecycle?: Lifecycle;
  funnelStage?: FunnelStage;
}

export interface ListQuery {
  index: LeadListIndex;
  /** the index partition: a creation day (YYYY-MM-DD) for 'recent', the queue's constant for 'queue' */
  partition: string;
  startKey?: ListKey;
  /** items read at most (DynamoDB's Limit: counted before the filter) */
  limit: number;
  filter: ListFilter;
}

export interface ListQueryResult {
  /** newest first, each with its lead id and its key to go on from */
  rows: Array<{ row: LeadListRow; leadId: string; key: ListKey }>;
  /** set when the partition has more items after the ones read */
  lastKey?: ListKey;
  /** items read (before the filter) */
  read: number;
}

/** What the console's lists need of storage (port; the DynamoDB adapter is shared/storage/dynamo-console-store.ts). */
export interface ConsoleStore {
  /** One index partition, newest first, from `startKey` on: one Query. */
  queryList(query: ListQuery): Promise<ListQueryResult>;
  /** The list row of one lead, by its id (one GetItem); undefined if there is none. */
  getLeadRow(leadId: string): Promise<LeadListRow | undefined>;
  /** Whether a key came from this index partition: a cursor names only keys the list itself handed out. */
  isListKey(index: LeadListIndex, partition: string, key: Record<string, unknown>): key is ListKey;
}
