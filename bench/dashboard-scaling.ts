/**
 * Measurement 6 — the dashboard's read model at 1,000 and at 50,000 leads. One table per size, seeded directly
 * (BatchWriteItem) with that many lead profile items and with the funnel projection computed from exactly those
 * profiles by the rebuild's pure rules (shared/reporting/rebuild-funnel.ts), as `report funnel --rebuild` would write it.
 *
 * Both tables hold the same 30 days of activity: the same leads created in the window, from the same sources, with
 * the same MQLs and SQLs. They differ in the leads before the window (400 vs 49,400, created over the two years
 * before it, some of them MQLs and SQLs then), so the totals differ honestly and the dashboard says so.
 *
 * A dashboard request is `readFunnel` for the 30 days: one BatchGetItem of 30 day items and the totals item. The
 * runs alternate between the tables (after one unmeasured warm-up each); read capacity is what DynamoDB Local
 * reported for every call of the request (ReturnConsumedCapacity forced by the call counter).
 */
import { AwsCallCounter, flattenTally } from './aws-call-counter';
import { Deadline, progress } from './progress';
import { median, nowMs, ratio, round, seededRandom } from './stats';

const DAY_MS = 86_400_000;
/** The last day of the dashboard's range; the range is the 30 days up to it. */
const LAST_DAY = Date.parse('2026-11-30T00:00:00.000Z');
const SOURCES = ['google', 'linkedin', 'newsletter', 'partner', 'xing', 'bing', '(none)'];
const CAMPAIGNS = ['brand', 'spring', 'webinar-q4', '(none)'];
const FORMS = ['newsletter_signup', 'download', 'contact', 'webinar_attended'];

export interface DashboardRun {
  leads: number;
  repetition: number;
  readUnits: number;
  durationMs: number;
  calls: Record<string, number>;
}

export interface DashboardScenario {
  leads: number;
  /** lead profile items in the table */
  profileItems: number;
  /** projection items in the table (day items of every day with activity, and the totals) */
  projectionItems: number;
  seedSeconds: number;
  /** what the dashboard showed: all leads by lifecycle (the totals), and the window's leads, MQLs and SQLs */
  shown: { totalLeads: number; windowCreated: number; windowMql: number; windowSql: number; sources: number };
  runs: DashboardRun[];
  medianReadUnits: number;
  medianDurationMs: number;
}

export interface DashboardScalingResult {
  days: number;
  windowLeads: number;
  scenarios: DashboardScenario[];
  /** the daily rows and sources of the two dashboards are the same (same activity in the window) */
  sameWindow: boolean;
  ratios: { readUnits: number; time: number };
  target: string;
  meetsTarget: boolean;
  notes: string[];
}

interface SeedLead {
  item: Record<string, unknown>;
}

/** One synthetic lead profile, in the stored shape, created at `createdMs`; stages drawn from `random`. */
function seedLead(id: string, createdMs: number, latestMs: number, random: () => number): SeedLead {
  const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)]!;
  const createdAt = new Date(createdMs).toISOString();
  const roll = random();
  // About 60 % warm, 20 % cold, 15 % MQL, 5 % SQL: the stage is reached within a week of creation, never after latestMs.
  const lifecycle = roll < 0.2 ? 'cold' : roll < 0.8 ? 'warm' : roll < 0.95 ? 'mql' : 'sql';
  const reachedMs = Math.min(latestMs, createdMs + Math.floor(random() * 7) * DAY_MS);
  const mql = lifecycle === 'mql' || lifecycle === 'sql';
  const item: Record<string, unknown> = {
    pk: `LEAD#${id}`,
    sk: 'PROFILE',
    leadId: id,
    email: `${id}@bench.example`,
    createdAt,
    createdDay: createdAt.slice(0, 10),
    updatedAt: createdAt,
    version: 3,
    lifecycle,
    qualification: mql || random() < 0.2 ? 'qualified' : 'unqualified',
    funnelStage: lifecycle === 'cold' ? null : pick(['tofu', 'mofu', 'bofu']),
    pql: random() < 0.05,
    score: Math.floor(random() * 120),
    firstTouch: { utm_source: pick(SOURCES), utm_campaign: pick(CAMPAIGNS), asset: '(none)', form: pick(FORMS) },
  };
  if (mql) {
    item.mqlAt = new Date(reachedMs).toISOString();
    item.qualificationSeq = 1;
  }
  if (lifecycle === 'sql') {
    item.salesDecision = {
      decision: 'accepted',
      at: new Date(reachedMs + 3_600_000).toISOString(),
      by: 'sales@bench.example',
      kind: 'MQL',
      seq: 1,
    };
  }
  return { item };
}

/**
 * The leads of one table: the window's leads (the same for every size: same seed, same times) and the older ones.
 * Older leads reach their stage before the window starts, so nothing they did shows in the window.
 */
function seedLeads(total: number, windowLeads: number, days: number): Array<Record<string, unknown>> {
  const windowStart = LAST_DAY - (days - 1) * DAY_MS;
  const windowRandom = seededRandom(7);
  const items: Array<Record<string, unknown>> = [];
  for (let i = 0; i < windowLeads; i += 1) {
    const createdMs = windowStart + Math.floor(windowRandom() * days * DAY_MS);
    items.push(seedLead(`w${i}`, createdMs, LAST_DAY + DAY_MS - 7_200_000, windowRandom).item);
  }
  const olderRandom = seededRandom(11);
  for (let i = 0; i < total - windowLeads; i += 1) {
    const createdMs = windowStart - DAY_MS * 8 - Math.floor(olderRandom() * 730 * DAY_MS);
    items.push(seedLead(`o${i}`, createdMs, windowStart - 7_200_000, olderRandom).item);
  }
  return items;
}

export async function measureDashboardScaling(
  options: { small?: number; large?: number; days?: number; windowLeads?: number; repetitions?: number; budgetMs?: number } = {},
): Promise<DashboardScalingResult> {
  const deadline = new Deadline(options.budgetMs ?? 120_000);
  const sizes = [options.small ?? 1_000, options.large ?? 50_000];
  const days = options.days ?? 30;
  const windowLeads = options.windowLeads ?? 600;
  const repetitions = options.repetitions ?? 11;
  const baseTable = process.env.TABLE_NAME!;
  const tables = [baseTable, `${baseTable}-large`];

  const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
  const { DynamoDBDocumentClient, BatchWriteCommand } = await import('@aws-sdk/lib-dynamodb');
  const { ensureLeadTable } = await import('../shared/storage/create-lead-table');
  const { dynamoDb } = await import('../shared/storage/dynamodb-client');
  const { dynamoFunnelProjectionStore, replaceProjection } = await import('../shared/storage/dynamo-funnel-projection-store');
  const { FunnelRebuild } = await import('../shared/reporting/rebuild-funnel');
  const { readFunnel } = await import('../shared/reporting/funnel-read-model');

  // Seeding goes through its own client, so the counter on the shared one sees the dashboard requests only.
  const seedRaw = new DynamoDBClient({});
  const seedClient = DynamoDBDocumentClient.from(seedRaw, { marshallOptions: { removeUndefinedValues: true } });
  const batchWrite = async (table: string, items: Array<Record<string, unknown>>) => {
    let next = 0;
    const worker = async () => {
      while (next < items.length) {
        if (deadline.passed) throw new Error(`seeding ${table} did not finish within the time budget (${next} of ${items.length} items)`);
        const chunk = items.slice(next, next + 25);
        next += 25;
        let pending: Record<string, any[]> | undefined = { [table]: chunk.map((Item) => ({ PutRequest: { Item } })) };
        for (let attempt = 0; pending && Object.keys(pending).length > 0 && attempt < 10; attempt += 1) {
          const result = await seedClient.send(new BatchWriteCommand({ RequestItems: pending }));
          pending = result.UnprocessedItems as Record<string, any[]> | undefined;
        }
      }
    };
    await Promise.all(Array.from({ length: 6 }, worker));
  };

  const counter = new AwsCallCounter({ forceConsumedCapacity: 'INDEXES' }).attach(dynamoDb);
  counter.pause();
  const scenarios: DashboardScenario[] = [];
  for (const [index, leads] of sizes.entries()) {
    const table = tables[index]!;
    const started = nowMs();
    await ensureLeadTable(seedRaw, table);
    const profiles = seedLeads(leads, windowLeads, days);
    progress(`dashboard: seeding ${leads.toLocaleString('en')} lead profiles and their projection`);
    await batchWrite(table, profiles);
    const rebuild = new FunnelRebuild();
    for (const profile of profiles) rebuild.add(profile);
    const projection = rebuild.result();
    if (projection.leads !== leads) throw new Error(`the projection counts ${projection.leads} leads, ${leads} were seeded`);
    await replaceProjection(table, projection.items, []);
    scenarios.push({
      leads,
      profileItems: profiles.length,
      projectionItems: projection.items.size,
      seedSeconds: round((nowMs() - started) / 1000, 1),
      shown: { totalLeads: 0, windowCreated: 0, windowMql: 0, windowSql: 0, sources: 0 },
      runs: [],
      medianReadUnits: Number.NaN,
      medianDurationMs: Number.NaN,
    });
  }

  const range = {
    from: new Date(LAST_DAY - (days - 1) * DAY_MS).toISOString().slice(0, 10),
    to: new Date(LAST_DAY).toISOString().slice(0, 10),
  };
  const stores = tables.map((table) => dynamoFunnelProjectionStore(table));
  const views = await Promise.all(stores.map((store) => readFunnel(store, range))); // warm-up, unmeasured
  views.forEach((view, index) => {
    scenarios[index]!.shown = {
      totalLeads: Object.values(view.lifecycle).reduce((sum, n) => sum + n, 0),
      windowCreated: view.daily.reduce((sum, day) => sum + day.created, 0),
      windowMql: view.daily.reduce((sum, day) => sum + day.mql, 0),
      windowSql: view.daily.reduce((sum, day) => sum + day.sql, 0),
      sources: view.sources.length,
    };
  });
  const sameWindow =
    JSON.stringify(views[0]!.daily) === JSON.stringify(views[1]!.daily) &&
    JSON.stringify(views[0]!.sources) === JSON.stringify(views[1]!.sources);

  counter.resume();
  for (let repetition = 0; repetition < repetitions && !deadline.passed; repetition += 1) {
    for (const [index, store] of stores.entries()) {
      const from = counter.calls.length;
      const started = nowMs();
      await readFunnel(store, range);
      const durationMs = nowMs() - started;
      const tally = flattenTally(counter.tally(from));
      scenarios[index]!.runs.push({
        leads: scenarios[index]!.leads,
        repetition,
        readUnits: round(
          Object.values(tally).reduce((sum, op) => sum + op.readUnits, 0),
          2,
        ),
        durationMs: round(durationMs, 2),
        calls: Object.fromEntries(Object.entries(tally).map(([op, t]) => [op, t.calls])),
      });
    }
  }
  counter.detach();
  for (const scenario of scenarios) {
    scenario.medianReadUnits = median(scenario.runs.map((run) => run.readUnits));
    scenario.medianDurationMs = round(median(scenario.runs.map((run) => run.durationMs)), 2);
  }
  const [small, large] = scenarios as [DashboardScenario, DashboardScenario];
  const readRatio = round(ratio(large.medianReadUnits, small.medianReadUnits), 3);
  const timeRatio = round(ratio(large.medianDurationMs, small.medianDurationMs), 2);
  return {
    days,
    windowLeads,
    scenarios,
    sameWindow,
    ratios: { readUnits: readRatio, time: timeRatio },
    target: 'read capacity ratio ≤ 1.1',
    meetsTarget: sameWindow && readRatio <= 1.1 && small.shown.totalLeads !== large.shown.totalLeads,
    notes: [
      `range ${range.from}..${range.to}; one BatchGetItem of ${days} day items plus the totals item per request`,
      'the time ratio is DynamoDB Local on this machine, not a property of the design; read capacity is what scales',
    ],
  };
}
