/**
 * The funnel projection's rules, pure: a fact (a lead created, a stage changed, a mail opened...) in, the counter
 * increments it makes out. The DynamoDB adapter (shared/storage/dynamo-funnel-projection-store.ts) applies one fact's
 * increments in one TransactWriteItems together with the fact's claim, so a redelivered event counts once.
 *
 * Bounds (a stranger controls utm values, so nothing here may grow with what is posted):
 * - a key (utm_source, utm_campaign, asset, form, template) is cleaned and cut to MAX_KEY_BYTES bytes;
 * - each day item keeps at most MAX_KEYS_PER_DAY distinct keys per dimension; further keys count under OTHER_KEY.
 *   So a funnel day item holds at most 51 sources × 3 counters, their key set and the fixed stage transitions
 *   (under 20 KB at worst, a few hundred bytes on a usual day), and a dashboard request for 30 days reads 31 bounded
 *   items whatever the number of leads or the traffic.
 */
import { FUNNEL_STAGES, LIFECYCLES, QUALIFICATIONS, type FunnelStage, type Lifecycle, type Qualification } from '../domain/lead';
import type { EmailCounter } from './funnel-projection-store';

/** Longest key kept, in UTF-8 bytes (what DynamoDB's item size counts); utm values are short in practice, longer ones are cut. */
export const MAX_KEY_BYTES = 64;
/** Distinct keys a day item keeps per dimension; the 51st and later distinct keys of that day count under OTHER_KEY. */
export const MAX_KEYS_PER_DAY = 50;
export const OTHER_KEY = '(other)';
export const NONE_KEY = '(none)';

export type DayItemKind = 'funnel-day' | 'attribution-day' | 'email-day';
export type ProjectionItemRef = { kind: DayItemKind; date: string } | { kind: 'totals' };

export type Dimension = 'source' | 'campaign' | 'asset' | 'form' | 'template';
/** Which day item keeps each keyed breakdown: the dashboard reads the funnel days only. */
export const DIMENSION_ITEM: Record<Dimension, DayItemKind> = {
  source: 'funnel-day',
  campaign: 'attribution-day',
  asset: 'attribution-day',
  form: 'attribution-day',
  template: 'email-day',
};

export type AttributionCounter = 'leads' | 'mql' | 'sql';

/** A plain counter of one item: `created`, `t:lifecycle:cold>warm`, `lifecycle:warm`... */
export interface Increment {
  item: ProjectionItemRef;
  counter: string;
  by: number;
}

/** A counter of one key of a bounded breakdown (the key may be replaced by OTHER_KEY when applied). */
export interface KeyedIncrement {
  date: string;
  dimension: Dimension;
  key: string;
  counter: AttributionCounter | EmailCounter;
  by: number;
}

export interface ProjectionChange {
  increments: Increment[];
  keyed: KeyedIncrement[];
}

/** Where a lead came from: the interaction (or import) that created it, keys already bounded by boundedKey. */
export interface FirstTouch {
  utm_source: string;
  utm_campaign: string;
  asset: string;
  form: string;
}

export const UNKNOWN_FIRST_TOUCH: FirstTouch = { utm_source: NONE_KEY, utm_campaign: NONE_KEY, asset: NONE_KEY, form: NONE_KEY };

/** What the totals need of a lead's stages; absent fields read as the lead view shows them. */
export interface LeadStages {
  lifecycle: Lifecycle;
  qualification?: Qualification | undefined;
  funnelStage?: FunnelStage | null | undefined;
  pql?: boolean | undefined;
}

/**
 * A key as the projection keeps it: control characters removed, whitespace collapsed and trimmed, at most
 * MAX_KEY_BYTES bytes of UTF-8 (cut between characters, never inside one); empty or absent → NONE_KEY.
 */
export function boundedKey(value: string | undefined | null): string {
  if (value === undefined || value === null) return NONE_KEY;
  const cleaned = value
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (cleaned.length === 0) return NONE_KEY;
  let key = '';
  let bytes = 0;
  for (const character of cleaned) {
    bytes += Buffer.byteLength(character, 'utf8');
    if (bytes > MAX_KEY_BYTES) break;
    key += character;
  }
  return key;
}

/** The first touch of a lead created by an interaction with this attribution (a form post, a signal, a booking). */
export function firstTouchOf(interaction: {
  type: string;
  assetId?: string | undefined;
  attribution?: { utm_source?: string | undefined; utm_campaign?: string | undefined } | undefined;
}): FirstTouch {
  return {
    utm_source: boundedKey(interaction.attribution?.utm_source),
    utm_campaign: boundedKey(interaction.attribution?.utm_campaign),
    asset: boundedKey(interaction.assetId),
    form: boundedKey(interaction.type),
  };
}

/** A first touch as stored on a profile at its creation; undefined when absent or not an object. */
export function storedFirstTouch(value: unknown): FirstTouch | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const touch = value as Record<string, unknown>;
  const text = (name: string) => boundedKey(typeof touch[name] === 'string' ? touch[name] : undefined);
  return { utm_source: text('utm_source'), utm_campaign: text('utm_campaign'), asset: text('asset'), form: text('form') };
}

/** An imported lead came from a file: no utm, no asset, form "import". */
export const IMPORT_FIRST_TOUCH: FirstTouch = { utm_source: NONE_KEY, utm_campaign: NONE_KEY, asset: NONE_KEY, form: 'import' };

/** YYYY-MM-DD (UTC) of an ISO time. */
export function dayOf(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO time: ${JSON.stringify(iso)}`);
  return new Date(ms).toISOString().slice(0, 10);
}

const TOTALS: ProjectionItemRef = { kind: 'totals' };

/** A lead was created (counted on the day of its creation) in these stages, from this first touch. */
export function leadCreated(input: { at: string; stages: LeadStages; firstTouch: FirstTouch }): ProjectionChange {
  const day = createdOn(input.at, input.firstTouch);
  return { increments: [...day.increments, ...stageTotals(input.stages, 1)], keyed: day.keyed };
}

/**
 * A lead was erased: it leaves the totals (the days keep what happened). `stages` are the lead's at erasure;
 * everMql and reachedWarm follow what the profile says it reached.
 */
export function leadErased(stages: LeadStages & { everMql: boolean }): ProjectionChange {
  return { increments: stageTotals(stages, -1).concat(stages.everMql ? [{ item: TOTALS, counter: 'everMql', by: -1 }] : []), keyed: [] };
}

/**
 * One stage of a lead changed (Lead Stage Changed). The totals move the lead from `from` to `to`; the day counts the
 * transition; a lifecycle change to mql or sql counts an MQL or SQL of the day, credited to the lead's first touch.
 * Leaving cold is "reached warm": the lifecycle never returns to cold, so it happens once per lead.
 */
export function stageChanged(
  change: { field: 'lifecycle' | 'qualification' | 'funnelStage'; from: string | null; to: string | null; at: string },
  firstTouch: FirstTouch,
): ProjectionChange {
  const date = dayOf(change.at);
  const from = change.from ?? 'none';
  const to = change.to ?? 'none';
  const increments: Increment[] = [{ item: { kind: 'funnel-day', date }, counter: `t:${change.field}:${from}>${to}`, by: 1 }];
  if (isKnownStage(change.field, from)) increments.push({ item: TOTALS, counter: `${change.field}:${from}`, by: -1 });
  if (isKnownStage(change.field, to)) increments.push({ item: TOTALS, counter: `${change.field}:${to}`, by: 1 });
  const keyed: KeyedIncrement[] = [];
  if (change.field === 'lifecycle') {
    if (from === 'cold' && to !== 'cold') increments.push({ item: TOTALS, counter: 'reachedWarm', by: 1 });
    if (to === 'mql' || to === 'sql') {
      const reached = reachedOn(change.at, to, firstTouch);
      increments.push(...reached.increments);
      keyed.push(...reached.keyed);
    }
  }
  return { increments, keyed };
}

/** A lead became an MQL or an SQL at `at`: the day's count, and its first touch's. */
export function reachedOn(at: string, stage: 'mql' | 'sql', firstTouch: FirstTouch): ProjectionChange {
  const date = dayOf(at);
  return { increments: [{ item: { kind: 'funnel-day', date }, counter: stage, by: 1 }], keyed: attributed(date, firstTouch, stage) };
}

/** A lead's current stages in the totals (the rebuild: what a lead's transitions add up to). */
export function leadInTotals(stages: LeadStages & { everMql: boolean }): ProjectionChange {
  const increments = stageTotals(stages, 1);
  if (stages.everMql) increments.push({ item: TOTALS, counter: 'everMql', by: 1 });
  return { increments, keyed: [] };
}

/** A lead created at `at` from this first touch, on its day only (the rebuild: its totals come from leadInTotals). */
export function createdOn(at: string, firstTouch: FirstTouch): ProjectionChange {
  const date = dayOf(at);
  return { increments: [{ item: { kind: 'funnel-day', date }, counter: 'created', by: 1 }], keyed: attributed(date, firstTouch, 'leads') };
}

/** Whether a stage change needs the lead's first touch (a lifecycle change to mql or sql), so the caller reads it only then. */
export function needsFirstTouch(change: { field: string; to: string | null }): boolean {
  return change.field === 'lifecycle' && (change.to === 'mql' || change.to === 'sql');
}

/** Lead Qualified: the first qualification (qualificationSeq 1) makes the lead one that ever reached mql. */
export function leadQualified(input: { qualificationSeq: number }): ProjectionChange {
  return { increments: input.qualificationSeq === 1 ? [{ item: TOTALS, counter: 'everMql', by: 1 }] : [], keyed: [] };
}

/** Lead Product Qualified: emitted once per lead, and PQL is never taken back. */
export function leadProductQualified(): ProjectionChange {
  return { increments: [{ item: TOTALS, counter: 'pql', by: 1 }], keyed: [] };
}

/** One mail event of a template (counted once per message and kind: the claim is the message id and the kind). */
export function emailEvent(input: { counter: EmailCounter; templateId: string | undefined; at: string }): ProjectionChange {
  return {
    increments: [],
    keyed: [{ date: dayOf(input.at), dimension: 'template', key: boundedKey(input.templateId), counter: input.counter, by: 1 }],
  };
}

function attributed(date: string, touch: FirstTouch, counter: AttributionCounter): KeyedIncrement[] {
  return [
    { date, dimension: 'source', key: touch.utm_source, counter, by: 1 },
    { date, dimension: 'campaign', key: touch.utm_campaign, counter, by: 1 },
    { date, dimension: 'asset', key: touch.asset, counter, by: 1 },
    { date, dimension: 'form', key: touch.form, counter, by: 1 },
  ];
}

function stageTotals(stages: LeadStages, by: number): Increment[] {
  const increments: Increment[] = [
    { item: TOTALS, counter: 'total', by },
    { item: TOTALS, counter: `lifecycle:${stages.lifecycle}`, by },
    { item: TOTALS, counter: `qualification:${stages.qualification ?? 'unqualified'}`, by },
    { item: TOTALS, counter: `funnelStage:${stages.funnelStage ?? 'none'}`, by },
  ];
  if (stages.lifecycle !== 'cold') increments.push({ item: TOTALS, counter: 'reachedWarm', by });
  if (stages.pql) increments.push({ item: TOTALS, counter: 'pql', by });
  return increments;
}

const STAGES: Record<'lifecycle' | 'qualification' | 'funnelStage', readonly string[]> = {
  lifecycle: LIFECYCLES,
  qualification: QUALIFICATIONS,
  funnelStage: [...FUNNEL_STAGES, 'none'],
};

/** Stage values outside the taxonomy (never written by this code) are counted as transitions only, never in the totals. */
function isKnownStage(field: keyof typeof STAGES, value: string): boolean {
  return STAGES[field].includes(value);
}

/**
 * The key a day item keeps for `wanted`, given the keys it already keeps for that dimension: the key itself if kept
 * already or if there is room, else OTHER_KEY. OTHER_KEY is always allowed, so a full day still counts everything.
 */
export function keptKey(wanted: string, kept: ReadonlySet<string>): string {
  if (wanted === OTHER_KEY || kept.has(wanted)) return wanted;
  return kept.size < MAX_KEYS_PER_DAY ? wanted : OTHER_KEY;
}

/** Sums the increments of several changes per (item, counter) and per (date, dimension, key, counter); zeros dropped. */
export function mergeChanges(changes: readonly ProjectionChange[]): ProjectionChange {
  const plain = new Map<string, Increment>();
  const keyed = new Map<string, KeyedIncrement>();
  for (const change of changes) {
    for (const inc of change.increments) {
      const id = `${inc.item.kind}|${'date' in inc.item ? inc.item.date : ''}|${inc.counter}`;
      const sum = plain.get(id);
      if (sum) sum.by += inc.by;
      else plain.set(id, { ...inc });
    }
    for (const inc of change.keyed) {
      const id = `${inc.date}|${inc.dimension}|${inc.counter}|${inc.key}`;
      const sum = keyed.get(id);
      if (sum) sum.by += inc.by;
      else keyed.set(id, { ...inc });
    }
  }
  return { increments: [...plain.values()].filter((i) => i.by !== 0), keyed: [...keyed.values()].filter((i) => i.by !== 0) };
}

/**
 * A stored profile's stages as the totals count them, and whether it ever was an MQL (as the funnel report always read
 * it: mql or sql now, or mqlAt, or qualificationSeq > 0). Values outside the taxonomy read as the lead view shows absent ones.
 */
export function stagesOfProfile(item: Record<string, unknown>): LeadStages & { everMql: boolean } {
  const lifecycle = (LIFECYCLES as readonly unknown[]).includes(item.lifecycle) ? (item.lifecycle as Lifecycle) : 'cold';
  const qualification = (QUALIFICATIONS as readonly unknown[]).includes(item.qualification)
    ? (item.qualification as Qualification)
    : undefined;
  const funnelStage = (FUNNEL_STAGES as readonly unknown[]).includes(item.funnelStage) ? (item.funnelStage as FunnelStage) : null;
  const seq = typeof item.qualificationSeq === 'number' ? item.qualificationSeq : 0;
  return {
    lifecycle,
    ...(qualification !== undefined ? { qualification } : {}),
    funnelStage,
    pql: item.pql === true,
    everMql: lifecycle === 'mql' || lifecycle === 'sql' || typeof item.mqlAt === 'string' || seq > 0,
  };
}
