import { FUNNEL_STAGES, LIFECYCLES, type FunnelStage, type Lifecycle } from '../domain/lead';
import { ValidationError } from '../http/http-errors';
import { leadIdFor, normalizeEmail } from '../security/lead-id';
import { SIGNAL_MAX_AGE_DAYS, SIGNAL_MAX_FUTURE_SECONDS } from '../signals/ingest-signal';
import { SALES_QUEUE_UNDECIDED, type ConsoleStore, type LeadListIndex, type LeadListRow, type ListFilter } from './console-store';
import { badCursor, decodeCursor, encodeCursor } from './list-cursor';

/**
 * GET /console/api/leads: the lead list, from indexes only (never a Scan), so a page costs the same at 1k and 1M leads.
 * - no filter: newest first, from `leads-by-day`, walking back one creation day at a time;
 * - lifecycle=mql: the MQLs sales has not decided yet, newest MQL first, from the sparse `sales-queue` index;
 * - lifecycle (other) and funnelStage: the same walks with a filter; each page reads a bounded number of items;
 * - q: one lead by its exact address (one GetItem of its lead id).
 */

export const DEFAULT_LIST_LIMIT = 25;
export const MAX_LIST_LIMIT = 100;
/** How far back the day-by-day walk goes (a year, leap day included); an older lead is found by its address (q). */
export const LIST_HORIZON_DAYS = 366;
/** One page reads at most this many items (before filters, wasted parallel reads included) ... */
export const MAX_ITEMS_READ_PER_PAGE = 1000;
/** ... in at most this many Queries (more than the horizon's days: a page of a short list always reaches its end). */
export const MAX_QUERIES_PER_PAGE = 400;
/** Items one Query reads at most. */
const QUERY_LIMIT = 100;
/**
 * Days read at once at most while the walk crosses empty days: it starts with one and doubles while the days come back
 * empty, so a quiet stretch (or the end of the list) costs a few round trips, and a busy one wastes no reads.
 */
const MAX_PARALLEL_DAYS = 32;
/**
 * A lead's creation day is the day it was created, or for a signal at most SIGNAL_MAX_AGE_DAYS before: a day older than
 * that never gains a lead again (erasure only takes leads away). Such a day found empty is remembered per store (per
 * container), and later walks step over it without a Query: the end of a short list costs a month of Queries, not a year.
 */
const SETTLED_AFTER_DAYS = SIGNAL_MAX_AGE_DAYS + 1;
const settledEmptyDays = new WeakMap<ConsoleStore, Set<string>>();

export interface LeadListRequest {
  lifecycle?: Lifecycle;
  funnelStage?: FunnelStage;
  q?: string;
  limit: number;
  cursor?: string;
}

export interface LeadListPage {
  items: LeadListRow[];
  cursor: string | null;
}

export interface LeadListDeps {
  store: ConsoleStore;
  leadIdKey: string;
  /** the keys cursors are signed with (the first) and checked against (all: the previous one during a rotation) */
  cursorKeys: readonly string[];
  /** the request's time: the walk starts on its day (UTC), or the next one in the last minutes before midnight */
  at: string;
}

/** The query string of GET /console/api/leads; a 400 naming each bad parameter. */
export function parseLeadListQuery(query: Record<string, string | undefined> = {}): LeadListRequest {
  const fields: Record<string, string> = {};
  const request: LeadListRequest = { limit: DEFAULT_LIST_LIMIT };
  const { lifecycle, funnelStage, q, limit, cursor } = query;
  if (lifecycle !== undefined && lifecycle !== '') {
    if ((LIFECYCLES as readonly string[]).includes(lifecycle)) request.lifecycle = lifecycle as Lifecycle;
    else fields.lifecycle = `must be one of ${LIFECYCLES.join(', ')}`;
  }
  if (funnelStage !== undefined && funnelStage !== '') {
    if ((FUNNEL_STAGES as readonly string[]).includes(funnelStage)) request.funnelStage = funnelStage as FunnelStage;
    else fields.funnelStage = `must be one of ${FUNNEL_STAGES.join(', ')}`;
  }
  if (q !== undefined && q !== '') {
    const email = normalizeEmail(q);
    if (/^[^@\s]+@[^@\s]+$/.test(email)) request.q = email;
    else fields.q = 'must be an email address (the list finds a lead by its exact address)';
  }
  if (limit !== undefined) {
    const value = /^\d{1,3}$/.test(limit) ? Number(limit) : Number.NaN;
    if (value >= 1 && value <= MAX_LIST_LIMIT) request.limit = value;
    else fields.limit = `must be a whole number from 1 to ${MAX_LIST_LIMIT}`;
  }
  if (cursor !== undefined && cursor !== '') request.cursor = cursor;
  if (Object.keys(fields).length > 0) throw new ValidationError(fields);
  return request;
}

export async function listLeads(request: LeadListRequest, deps: LeadListDeps): Promise<LeadListPage> {
  const filter: ListFilter = {
    ...(request.lifecycle ? { lifecycle: request.lifecycle } : {}),
    ...(request.funnelStage ? { funnelStage: request.funnelStage } : {}),
  };
  const filterText = JSON.stringify([request.lifecycle ?? '', request.funnelStage ?? '', request.q ?? '']);
  if (request.q !== undefined) {
    // One lead or none: there is never a next page, so no cursor can belong to this list.
    if (request.cursor !== undefined) throw badCursor();
    const row = await deps.store.getLeadRow(leadIdFor(request.q, deps.leadIdKey));
    const matches =
      row && (!filter.lifecycle || row.lifecycle === filter.lifecycle) && (!filter.funnelStage || row.funnelStage === filter.funnelStage);
    return { items: matches ? [row] : [], cursor: null };
  }

  // Every MQL is undecided (a decision makes it sql or warm), so the queue is exactly the mql list.
  const index: LeadListIndex = request.lifecycle === 'mql' ? 'queue' : 'recent';
  const indexFilter = index === 'queue' ? { ...(filter.funnelStage ? { funnelStage: filter.funnelStage } : {}) } : filter;
  // A signal may be a few minutes ahead of the request's clock: around midnight its lead's creation day is tomorrow.
  const newestDay = dayOf(new Date(Date.parse(deps.at) + SIGNAL_MAX_FUTURE_SECONDS * 1000).toISOString());
  let start: Position = { partition: index === 'queue' ? SALES_QUEUE_UNDECIDED : newestDay };
  if (request.cursor !== undefined) {
    const cursor = decodeCursor(request.cursor, filterText, deps.cursorKeys);
    if (cursor.key !== undefined && !deps.store.isListKey(index, cursor.partition, cursor.key)) throw badCursor();
    if (index === 'queue' ? cursor.partition !== SALES_QUEUE_UNDECIDED : !/^\d{4}-\d{2}-\d{2}$/.test(cursor.partition)) throw badCursor();
    start = { partition: cursor.partition, ...(cursor.key ? { key: cursor.key as Record<string, string> } : {}) };
  }
  const horizon = listHorizon(deps.at);
  const { rows, next } = await walkList({
    store: deps.store,
    index,
    filter: indexFilter,
    start,
    limit: request.limit,
    horizon,
    at: deps.at,
  });
  return { items: rows.map((entry) => entry.row), cursor: next ? encodeCursor({ filter: filterText, ...next }, deps.cursorKeys) : null };
}

export interface Position {
  partition: string;
  key?: Record<string, string>;
}

/**
 * Reads one page of a list index from `start` on: at most `limit` rows, `maxRead` items (MAX_ITEMS_READ_PER_PAGE) and
 * MAX_QUERIES_PER_PAGE Queries. `next` is where the following page starts (undefined: the list is at its end).
 * Each page goes on exactly after the last row it returned (or the last item it read), so pages neither repeat nor skip.
 */
export async function walkList(input: {
  store: ConsoleStore;
  index: LeadListIndex;
  filter: ListFilter;
  start: Position;
  limit: number;
  /** the oldest creation day the recent walk reads */
  horizon: string;
  maxRead?: number;
  /** the request's time: days long enough before it that no lead can be created on them any more are remembered when empty */
  at?: string;
}): Promise<{ rows: Array<{ row: LeadListRow; leadId: string }>; next?: Position }> {
  const maxRead = input.maxRead ?? MAX_ITEMS_READ_PER_PAGE;
  const filtered = Object.keys(input.filter).length > 0;
  const settled = settledEmptyDays.get(input.store) ?? new Set<string>();
  settledEmptyDays.set(input.store, settled);
  const settledBefore = input.at ? dayOf(new Date(Date.parse(input.at) - SETTLED_AFTER_DAYS * 86_400_000).toISOString()) : '';
  const following = (partition: string): string | undefined => {
    if (input.index === 'queue') return undefined;
    let day = previousDay(partition);
    while (settled.has(day)) day = previousDay(day);
    return day >= input.horizon ? day : undefined;
  };
  const rows: Array<{ row: LeadListRow; leadId: string }> = [];
  let position: Position | undefined = input.start.partition >= input.horizon || input.index === 'queue' ? input.start : undefined;
  let queries = 0;
  let read = 0;
  let parallel = 1;
  while (position && rows.length < input.limit && queries < MAX_QUERIES_PER_PAGE && read < maxRead) {
    const perQuery = Math.min(filtered ? QUERY_LIMIT : Math.min(QUERY_LIMIT, input.limit - rows.length), maxRead - read);
    const batch: Position[] = [position];
    // A day read from its start may be empty: while days come back empty, the next ones are read along with it.
    for (let last = position; !position.key && batch.length < parallel; ) {
      const day = following(last.partition);
      if (!day || queries + batch.length >= MAX_QUERIES_PER_PAGE || read + (batch.length + 1) * perQuery > maxRead) break;
      last = { partition: day };
      batch.push(last);
    }
    const results = await Promise.all(
      batch.map((at) =>
        input.store.queryList({
          index: input.index,
          partition: at.partition,
          ...(at.key ? { startKey: at.key } : {}),
          limit: perQuery,
          filter: input.filter,
        }),
      ),
    );
    queries += batch.length;
    // Every item read counts, those of days read along but not reached included.
    for (const [i, result] of results.entries()) {
      read += result.read;
      const day = batch[i]!;
      if (input.index === 'recent' && result.read === 0 && !result.lastKey && !day.key && day.partition < settledBefore)
        settled.add(day.partition);
    }
    parallel = results.every((result) => result.read === 0) ? Math.min(parallel * 2, MAX_PARALLEL_DAYS) : 1;
    for (const [i, result] of results.entries()) {
      const partition = batch[i]!.partition;
      const taken = result.rows.slice(0, input.limit - rows.length);
      rows.push(...taken.map(({ row, leadId }) => ({ row, leadId })));
      if (taken.length < result.rows.length) {
        position = { partition, key: taken.at(-1)!.key };
        break;
      }
      if (result.lastKey) {
        position = { partition, key: result.lastKey };
        break;
      }
      const day = following(partition);
      position = day ? { partition: day } : undefined;
      if (rows.length >= input.limit) break;
    }
  }
  return { rows, ...(position ? { next: position } : {}) };
}

/** The oldest creation day a list walk reads, for a request at `at`. */
export function listHorizon(at: string): string {
  return dayOf(new Date(Date.parse(at) - LIST_HORIZON_DAYS * 86_400_000).toISOString());
}

export function dayOf(iso: string): string {
  return iso.slice(0, 10);
}

function previousDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) - 86_400_000).toISOString().slice(0, 10);
}
