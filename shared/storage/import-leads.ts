import { isDeepStrictEqual } from 'node:util';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from './dynamodb-client';
import type { Classification } from '../domain/lead';
import type { DetailOf } from '../events/define-event';
import { LeadStageChanged } from '../events/lead-events';
import { LeadImported } from '../reporting/funnel-events';
import { dayOf, type FirstTouch, IMPORT_FIRST_TOUCH } from '../reporting/funnel-projection';
import { withRetry } from '../retry/with-retry';
import type { LeadItem } from './lead-item';
import { outboxEventItem } from './outbox-event-item';
import { type LeadSummary as ExistingLead, parseLeadSummary } from './stored-items';
import { keys } from './table-design';
import { untilAllProcessed } from './until-all-processed';

/** One valid, normalised row of an import file. */
export interface ImportLead {
  /** spreadsheet row number, for the report */
  row: number;
  leadId: string;
  email: string;
  firstName?: string;
  lastName?: string;
  company?: string;
  jobTitle?: string;
  phone?: string;
}

export type ImportOutcome =
  | { row: number; email: string; result: 'created' | 'updated' | 'unchanged' }
  | { row: number; email: string; result: 'rejected'; reason: string };

/**
 * What an imported (cold, interaction-free) lead's classification stores: its fit score and its explanation.
 * The lifecycle is not among them: an import creates cold leads and never moves a stage.
 */
export type ImportClassification = Omit<Classification, 'lifecycle'>;

/** The classification of a lead as it is stored after the import; the caller computes it (classification is not storage's business). */
export type ClassifyImported = (lead: { email: string; company?: string; createdAt: string }) => ImportClassification;

interface Known {
  lead?: ExistingLead;
  /** the stored classification fields and creation time of `lead`, to tell whether its score must be written */
  scored?: StoredScore;
  suppressed: boolean;
}

interface StoredScore {
  jobTitle?: unknown;
  phone?: unknown;
  email?: unknown;
  createdAt?: unknown;
  qualification?: unknown;
  funnelStage?: unknown;
  pql?: unknown;
  score?: unknown;
  fitScore?: unknown;
  engagementScore?: unknown;
  scoreExplanation?: unknown;
  interactionPoints?: unknown;
}

const CLASSIFICATION_FIELDS = [
  'qualification',
  'funnelStage',
  'pql',
  'score',
  'fitScore',
  'engagementScore',
  'scoreExplanation',
  'interactionPoints',
] as const satisfies ReadonlyArray<keyof ImportClassification & keyof StoredScore>;

const PROFILE_FIELDS = ['firstName', 'lastName', 'company', 'jobTitle', 'phone'] as const;
/** BatchGetItem takes 100 keys: the profile and the suppression entry of 50 rows. */
const LOOKUP_CHUNK = 50;
const WRITE_CONCURRENCY = 8;
const MAX_ATTEMPTS = 5;

export const IMPORT_SOURCE = 'import';
export const SUPPRESSED_REASON = 'address is on the suppression list (erased lead)';

/**
 * Imports leads as COLD leads: no consent, no interactions, `source: 'import'`, created at `at`; each created lead's
 * transaction also writes its Lead Imported event (the funnel projection counts it).
 *
 * Every write is conditional, so an import never overwrites a lead that signed up by itself:
 * - a new lead is put only if no lead item exists (attribute_not_exists(pk));
 * - an existing cold lead (an earlier import) may get a new name or company, only while it is
 *   still cold and unchanged since we read it (lifecycle = cold AND version = the version read);
 * - a warm (or further) lead is never written: the row is rejected.
 * If a condition fails (a form submission raced the import), the row is read and decided again.
 * Addresses on the suppression list (erased leads) are rejected, also when the erasure lands between our
 * read and our write (the suppression entry is checked in the same transaction that creates the lead). Rows whose data already matches
 * are reported unchanged and not written, so running the same import twice changes nothing.
 */
export async function importLeads(
  tableName: string,
  rows: readonly ImportLead[],
  at: string,
  options: {
    onProgress?: (done: number, total: number) => void;
    /** when given, every created lead gets its classification (fit score), and an updated one its new one */
    classify?: ClassifyImported;
  } = {},
): Promise<ImportOutcome[]> {
  const seen = new Set<string>();
  for (const row of rows) {
    if (seen.has(row.leadId)) throw new Error(`importLeads: row ${row.row} repeats an earlier address; remove duplicates first`);
    seen.add(row.leadId);
  }
  const outcomes: ImportOutcome[] = [];
  let done = 0;
  for (let start = 0; start < rows.length; start += LOOKUP_CHUNK) {
    const chunk = rows.slice(start, start + LOOKUP_CHUNK);
    const known = await lookUp(tableName, chunk);
    const results = await mapWithConcurrency(chunk, WRITE_CONCURRENCY, async (row) => {
      const outcome = await importOne(tableName, row, at, known.get(row.leadId)!, options.classify);
      done += 1;
      return outcome;
    });
    outcomes.push(...results);
    options.onProgress?.(done, rows.length);
  }
  return outcomes;
}

async function importOne(
  tableName: string,
  row: ImportLead,
  at: string,
  initial: Known,
  classify: ClassifyImported | undefined,
): Promise<ImportOutcome> {
  // A condition that fails means someone wrote the lead (a form submission, an erasure) since we read it:
  // read again and decide again, a bounded number of times.
  return withRetry<ImportOutcome>(
    { what: `import row ${row.row}`, attempts: MAX_ATTEMPTS, retryOn: (error) => error instanceof ConditionalCheckFailedException },
    async (attempt) => {
      const known = attempt === 1 ? initial : await lookUpOne(tableName, row.leadId);
      const base = { row: row.row, email: row.email };
      if (known.suppressed) return { ...base, result: 'rejected', reason: SUPPRESSED_REASON };
      const lead = known.lead;
      if (lead && lead.lifecycle !== 'cold') {
        return { ...base, result: 'rejected', reason: `lead already exists and is ${lead.lifecycle}: an import never overwrites it` };
      }
      const changes: Record<string, unknown> | undefined = lead ? changedFields({ ...known.scored, ...lead }, row) : undefined;
      if (lead && classify) {
        // The fit score follows the company: computed as the lead will be stored, written only if it differs.
        const company = row.company ?? lead.company;
        const createdAt = typeof known.scored?.createdAt === 'string' ? known.scored.createdAt : at;
        const classification = classify({ email: row.email, ...(company !== undefined ? { company } : {}), createdAt });
        if (!sameClassification(known.scored ?? {}, classification)) Object.assign(changes!, classification, { classifiedAt: at });
      }
      if (changes && Object.keys(changes).length === 0) return { ...base, result: 'unchanged' };
      if (!lead) await createLead(tableName, row, at, classify);
      else await updateLead(tableName, row.leadId, lead.version, changes!, at, stageChanges(row.leadId, known.scored ?? {}, changes!, at));
      return { ...base, result: lead ? 'updated' : 'created' };
    },
  );
}

/** Only non-empty import values count: a blank cell never blanks a stored name. */
function changedFields(
  lead: Partial<Record<(typeof PROFILE_FIELDS)[number], unknown>>,
  row: ImportLead,
): Partial<Record<(typeof PROFILE_FIELDS)[number], string>> {
  const changes: Partial<Record<(typeof PROFILE_FIELDS)[number], string>> = {};
  for (const field of PROFILE_FIELDS) {
    const value = row[field];
    if (value !== undefined && value !== lead[field]) changes[field] = value;
  }
  return changes;
}

function sameClassification(stored: StoredScore, classification: ImportClassification): boolean {
  // Deep comparison, not JSON text: DynamoDB returns map keys in its own order.
  // An absent funnel stage reads as none, as every reader of the lead does.
  return CLASSIFICATION_FIELDS.every((field) =>
    isDeepStrictEqual(field === 'funnelStage' ? (stored.funnelStage ?? null) : stored[field], classification[field]),
  );
}

async function createLead(tableName: string, row: ImportLead, at: string, classify: ClassifyImported | undefined): Promise<void> {
  const classification = classify?.({ email: row.email, ...(row.company !== undefined ? { company: row.company } : {}), createdAt: at });
  const item = {
    ...keys.lead(row.leadId),
    leadId: row.leadId,
    email: row.email,
    ...(row.firstName !== undefined ? { firstName: row.firstName } : {}),
    ...(row.lastName !== undefined ? { lastName: row.lastName } : {}),
    ...(row.company !== undefined ? { company: row.company } : {}),
    ...(row.jobTitle !== undefined ? { jobTitle: row.jobTitle } : {}),
    ...(row.phone !== undefined ? { phone: row.phone } : {}),
    lifecycle: 'cold',
    source: IMPORT_SOURCE,
    createdAt: at,
    createdDay: dayOf(at),
    firstTouch: IMPORT_FIRST_TOUCH,
    updatedAt: at,
    version: 1,
    ...(classification ? { ...classification, classifiedAt: at } : {}),
  } satisfies Omit<LeadItem, 'lifecycle'> & { lifecycle: 'cold'; source: string; firstTouch: FirstTouch };
  // No interaction, so no Interaction Recorded: the funnel learns of the new lead from this event, written with it.
  const imported = outboxEventItem(
    tableName,
    row.leadId,
    'imported',
    LeadImported,
    {
      leadId: row.leadId,
      at,
      qualification: item.qualification ?? 'unqualified',
      funnelStage: item.funnelStage ?? null,
      pql: item.pql ?? false,
    },
    at,
  );
  // The suppression check is part of the same write: an erasure that lands after our read still wins.
  try {
    await documentClient.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } },
          { ConditionCheck: { TableName: tableName, Key: keys.suppression(row.leadId), ConditionExpression: 'attribute_not_exists(pk)' } },
          imported,
        ],
      }),
    );
  } catch (error) {
    // Either condition failing means "read again and decide again"; the read then sees the lead or the suppression.
    const reasons = error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []) : [];
    if (reasons.some((reason) => reason.Code === 'ConditionalCheckFailed')) {
      const message = `row ${row.row}: the lead or its suppression entry appeared since it was read`;
      throw new ConditionalCheckFailedException({ message, $metadata: {} });
    }
    throw error;
  }
}

/**
 * A cold lead's new fit classification may change its qualification or funnel stage: each change is reported as
 * Lead Stage Changed (for the funnel's totals), as classification reports its own.
 */
function stageChanges(leadId: string, stored: StoredScore, changes: Record<string, unknown>, at: string): StageChange[] {
  const result: StageChange[] = [];
  for (const field of ['qualification', 'funnelStage'] as const) {
    if (!(field in changes)) continue;
    const before = field === 'qualification' ? (stored.qualification ?? 'unqualified') : (stored.funnelStage ?? null);
    const after = changes[field] ?? null;
    if (before !== after) result.push({ leadId, field, from: before as string | null, to: after as string | null, at });
  }
  return result;
}

type StageChange = DetailOf<typeof LeadStageChanged>;

async function updateLead(
  tableName: string,
  leadId: string,
  version: number,
  changes: Record<string, unknown>,
  at: string,
  stageEvents: readonly StageChange[] = [],
): Promise<void> {
  const names: Record<string, string> = { '#version': 'version', '#lifecycle': 'lifecycle' };
  const values: Record<string, unknown> = { ':cold': 'cold', ':version': version, ':at': at, ':one': 1 };
  const sets = ['updatedAt = :at'];
  for (const [field, value] of Object.entries(changes)) {
    names[`#${field}`] = field;
    values[`:${field}`] = value;
    sets.push(`#${field} = :${field}`);
  }
  const update = {
    TableName: tableName,
    Key: keys.lead(leadId),
    UpdateExpression: `SET ${sets.join(', ')} ADD #version :one`,
    // Never a warm lead, and never over a write we have not seen (every writer bumps the version).
    ConditionExpression: 'attribute_exists(pk) AND #lifecycle = :cold AND #version = :version',
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
  if (stageEvents.length === 0) {
    await documentClient.send(new UpdateCommand(update));
    return;
  }
  const events = stageEvents.map((change) =>
    outboxEventItem(tableName, leadId, `import#${version}#${change.field}`, LeadStageChanged, change, at),
  );
  try {
    await documentClient.send(new TransactWriteCommand({ TransactItems: [{ Update: update }, ...events] }));
  } catch (error) {
    // The lead's condition failing is the same race as for the plain update: read again and decide again.
    const reasons = error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []) : [];
    if (reasons[0]?.Code === 'ConditionalCheckFailed') {
      throw new ConditionalCheckFailedException({ message: `lead ${leadId} changed since it was read`, $metadata: {} });
    }
    throw error;
  }
}

async function lookUp(tableName: string, rows: readonly ImportLead[]): Promise<Map<string, Known>> {
  const known = new Map<string, Known>(rows.map((row) => [row.leadId, { suppressed: false }]));
  const requestKeys: Array<Record<string, unknown>> = rows.flatMap((row) => [keys.lead(row.leadId), keys.suppression(row.leadId)]);
  await untilAllProcessed('BatchGetItem of leads to import', requestKeys, async (pending) => {
    const result = await documentClient.send(
      new BatchGetCommand({
        RequestItems: {
          [tableName]: {
            Keys: pending,
            ConsistentRead: true,
            ProjectionExpression:
              'pk, sk, leadId, lifecycle, #version, firstName, lastName, company, jobTitle, phone, #source, email, createdAt, ' +
              'qualification, funnelStage, pql, #score, fitScore, engagementScore, scoreExplanation, interactionPoints',
            ExpressionAttributeNames: { '#version': 'version', '#source': 'source', '#score': 'score' },
          },
        },
      }),
    );
    for (const item of result.Responses?.[tableName] ?? []) record(known, item);
    return result.UnprocessedKeys?.[tableName]?.Keys ?? [];
  });
  return known;
}

async function lookUpOne(tableName: string, leadId: string): Promise<Known> {
  const [lead, suppression] = await Promise.all([
    documentClient.send(new GetCommand({ TableName: tableName, Key: keys.lead(leadId), ConsistentRead: true })),
    documentClient.send(new GetCommand({ TableName: tableName, Key: keys.suppression(leadId), ConsistentRead: true })),
  ]);
  return {
    lead: lead.Item ? parseLeadSummary(lead.Item) : undefined,
    ...(lead.Item ? { scored: parseLeadSummary(lead.Item) } : {}),
    suppressed: suppression.Item !== undefined,
  };
}

function record(known: Map<string, Known>, item: Record<string, unknown>): void {
  const pk = String(item.pk);
  if (pk.startsWith('SUPPRESSED#')) {
    const entry = known.get(pk.slice('SUPPRESSED#'.length));
    if (entry) entry.suppressed = true;
  } else if (pk.startsWith('LEAD#')) {
    const entry = known.get(pk.slice('LEAD#'.length));
    if (entry) {
      entry.lead = parseLeadSummary(item);
      entry.scored = entry.lead;
    }
  }
}

async function mapWithConcurrency<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  });
  await Promise.all(workers);
  return results;
}
