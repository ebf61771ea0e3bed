/**
 * How the projection's counters sit in an aggregate item, pure: attribute names, decoding an item into the read model's
 * shapes, and applying changes to items held in memory (the rebuild builds the whole projection this way, with the
 * same key bound as the live writes).
 *
 * An item is a flat map of counters, so one UpdateItem can ADD to any of them without the map having to exist first:
 * - a plain counter under its own name (`created`, `t:lifecycle:cold>warm`, `lifecycle:warm`);
 * - a keyed counter under `${dimension}|${counter}|${key}` (the key last: it may contain any character);
 * - the keys a day item keeps per dimension in the string set `keys|${dimension}` (the bound's condition reads its size).
 */
import { FUNNEL_STAGES, LIFECYCLES, QUALIFICATIONS } from '../domain/lead';
import {
  type DayItemKind,
  type Dimension,
  keptKey,
  type KeyedIncrement,
  type ProjectionChange,
  type ProjectionItemRef,
} from './funnel-projection';
import {
  type AttributionCounts,
  type AttributionDay,
  EMAIL_COUNTERS,
  type EmailCounts,
  type EmailDay,
  type FunnelDay,
  type FunnelTotals,
} from './funnel-projection-store';

export const TRANSITION_PREFIX = 't:';

export function keyedAttribute(dimension: Dimension, counter: string, key: string): string {
  return `${dimension}|${counter}|${key}`;
}

export function keySetAttribute(dimension: Dimension): string {
  return `keys|${dimension}`;
}

/** A stable id of an item reference: its kind and date. */
export function itemId(ref: ProjectionItemRef): string {
  return ref.kind === 'totals' ? 'totals' : `${ref.kind}|${ref.date}`;
}

/** The counters of one item as stored: numbers by attribute name, key sets by dimension. */
export interface CounterItem {
  ref: ProjectionItemRef;
  counters: Map<string, number>;
  keySets: Map<Dimension, Set<string>>;
}

/** The whole projection in memory (the rebuild, and tests): items by itemId. */
export type ProjectionItems = Map<string, CounterItem>;

/**
 * Applies a change to items in memory with the live bound: a keyed increment whose key the day item does not keep yet,
 * while it already keeps MAX_KEYS_PER_DAY keys of that dimension, counts under OTHER_KEY.
 */
export function applyInMemory(items: ProjectionItems, change: ProjectionChange): void {
  for (const inc of change.increments) add(itemOf(items, inc.item), inc.counter, inc.by);
  for (const inc of change.keyed) {
    const item = itemOf(items, keyedItemRef(inc));
    const kept = item.keySets.get(inc.dimension) ?? new Set<string>();
    item.keySets.set(inc.dimension, kept);
    const key = keptKey(inc.key, kept);
    kept.add(key);
    add(item, keyedAttribute(inc.dimension, inc.counter, key), inc.by);
  }
}

export function keyedItemRef(inc: Pick<KeyedIncrement, 'date' | 'dimension'>): ProjectionItemRef {
  return { kind: dayItemKindOf(inc.dimension), date: inc.date };
}

function dayItemKindOf(dimension: Dimension): DayItemKind {
  return dimension === 'source' ? 'funnel-day' : dimension === 'template' ? 'email-day' : 'attribution-day';
}

function itemOf(items: ProjectionItems, ref: ProjectionItemRef): CounterItem {
  const id = itemId(ref);
  let item = items.get(id);
  if (!item) {
    item = { ref, counters: new Map(), keySets: new Map() };
    items.set(id, item);
  }
  return item;
}

function add(item: CounterItem, name: string, by: number): void {
  item.counters.set(name, (item.counters.get(name) ?? 0) + by);
}

/** A stored item's attributes as a counter map (numbers only; key sets and other attributes are skipped). */
function countersOf(attributes: Record<string, unknown>): Map<string, number> {
  const counters = new Map<string, number>();
  for (const [name, value] of Object.entries(attributes)) if (typeof value === 'number') counters.set(name, value);
  return counters;
}

/** The keyed counters of one dimension: key → counter → count. */
function keyed(counters: Map<string, number>, dimension: Dimension): Map<string, Map<string, number>> {
  const prefix = `${dimension}|`;
  const byKey = new Map<string, Map<string, number>>();
  for (const [name, count] of counters) {
    if (!name.startsWith(prefix)) continue;
    const rest = name.slice(prefix.length);
    const bar = rest.indexOf('|');
    if (bar < 0) continue;
    const counter = rest.slice(0, bar);
    const key = rest.slice(bar + 1);
    const entry = byKey.get(key) ?? new Map<string, number>();
    entry.set(counter, (entry.get(counter) ?? 0) + count);
    byKey.set(key, entry);
  }
  return byKey;
}

function attributionCounts(counters: Map<string, number>, dimension: Dimension): Record<string, AttributionCounts> {
  const result: Record<string, AttributionCounts> = {};
  for (const [key, counts] of keyed(counters, dimension)) {
    result[key] = { leads: counts.get('leads') ?? 0, mql: counts.get('mql') ?? 0, sql: counts.get('sql') ?? 0 };
  }
  return result;
}

export function decodeFunnelDay(date: string, attributes: Record<string, unknown>): FunnelDay {
  const counters = countersOf(attributes);
  const transitions: Record<string, number> = {};
  for (const [name, count] of counters) if (name.startsWith(TRANSITION_PREFIX)) transitions[name.slice(TRANSITION_PREFIX.length)] = count;
  return {
    date,
    created: counters.get('created') ?? 0,
    mql: counters.get('mql') ?? 0,
    sql: counters.get('sql') ?? 0,
    transitions,
    bySource: attributionCounts(counters, 'source'),
  };
}

export function decodeAttributionDay(date: string, attributes: Record<string, unknown>): AttributionDay {
  const counters = countersOf(attributes);
  return {
    date,
    byCampaign: attributionCounts(counters, 'campaign'),
    byAsset: attributionCounts(counters, 'asset'),
    byForm: attributionCounts(counters, 'form'),
  };
}

export function decodeEmailDay(date: string, attributes: Record<string, unknown>): EmailDay {
  const byTemplate: Record<string, EmailCounts> = {};
  for (const [key, counts] of keyed(countersOf(attributes), 'template')) {
    byTemplate[key] = Object.fromEntries(EMAIL_COUNTERS.map((counter) => [counter, counts.get(counter) ?? 0])) as EmailCounts;
  }
  return { date, byTemplate };
}

/** The totals item; absent (a new installation) reads as all zeros. */
export function decodeTotals(attributes: Record<string, unknown> | undefined): FunnelTotals {
  const counters = countersOf(attributes ?? {});
  const group = <K extends string>(field: string, names: readonly K[]) =>
    Object.fromEntries(names.map((name) => [name, counters.get(`${field}:${name}`) ?? 0])) as Record<K, number>;
  return {
    total: counters.get('total') ?? 0,
    lifecycle: group('lifecycle', LIFECYCLES),
    qualification: group('qualification', QUALIFICATIONS),
    funnelStage: group('funnelStage', [...FUNNEL_STAGES, 'none'] as const),
    pql: counters.get('pql') ?? 0,
    everMql: counters.get('everMql') ?? 0,
    reachedWarm: counters.get('reachedWarm') ?? 0,
  };
}

/** An in-memory item's attributes as stored (counters, plus the key sets), for a Put. */
export function storedAttributes(item: CounterItem): Record<string, number | Set<string>> {
  const attributes: Record<string, number | Set<string>> = Object.fromEntries(item.counters);
  for (const [dimension, kept] of item.keySets) if (kept.size > 0) attributes[keySetAttribute(dimension)] = new Set(kept);
  return attributes;
}
