/**
 * Measurement 4 — nurture dispatcher scaling. One scheduled run with 100 due leads among 1,000
 * leads, and among 50,000 leads, seeded directly (BatchWriteItem) in the real item shapes: lead
 * profile items with confirmed consent, warm lifecycle, ToFu funnel stage, classification and
 * nurture state. The 100 due ones carry nurtureDueAt/dueShard ≤ now and their two interactions
 * (so reclassification finds what capture and confirmation would have stored); of the others half
 * are in the due index with a future due time and half are not in it (track done).
 *
 * After one unmeasured warm-up run on each table, the runs alternate between the two tables (11
 * repetitions each by default, medians reported); before every run a fresh batch of 100 due leads
 * is seeded and afterwards removed again, so each table always holds exactly 1,000 or 50,000 leads.
 * Read capacity is summed over every DynamoDB call of the run.
 */
import { AwsCallCounter, flattenTally } from './aws-call-counter';
import { BENCH_PUBLIC_BASE_URL, BENCH_SIGNING_KEY } from './bench-env';
import { Deadline, progress } from './progress';
import { median, nowMs, ratio, round, seededRandom } from './stats';

const DUE_LEADS = 100;

export interface DispatchRun {
  scenario: string;
  leads: number;
  repetition: number;
  dueLeads: number;
  outcomes: Record<string, number>;
  durationMs: number;
  /** every read of the run (due index queries, lead partitions, lead reads), as DynamoDB Local reported */
  readUnits: number;
  /** the due index queries alone (the dispatcher's own report) */
  dueIndexReadUnits: number;
  /** right after the run, on the same table: 100 bare Query + UpdateItem pairs on leads spread over the table */
  bareCallsMs: number;
  writeUnits: number;
  calls: Record<string, number>;
}

export interface DispatcherScenario {
  name: string;
  leads: number;
  dueLeads: number;
  inDueIndexNotDue: number;
  notInIndex: number;
  seedSeconds: number;
  runs: DispatchRun[];
  medianDurationMs: number;
  medianReadUnits: number;
  medianDueIndexReadUnits: number;
  medianBareCallsMs: number;
}

export interface DispatcherScalingResult {
  scenarios: DispatcherScenario[];
  /**
   * large/small. `bareCalls` is DynamoDB Local's own slow-down on the larger table (the same bare
   * calls on both tables); `timeNormalized` = time ÷ bareCalls is what the dispatcher's code adds.
   */
  ratios: { readUnits: number; dueIndexReadUnits: number; time: number; bareCalls: number; timeNormalized: number };
  /** a run that finds nothing due (the fixed cost of each 15-minute schedule), on the larger table */
  emptyRun: { leads: number; durationMs: number; readUnits: number; calls: Record<string, number> };
  /** per due lead, from the smaller table's runs: what one nurture send costs */
  perDueLead: { calls: Record<string, number>; readUnits: number; writeUnits: number; durationMs: number };
  target: string;
  meetsTarget: boolean;
  notes: string[];
}

export async function measureDispatcherScaling(
  options: { small?: number; large?: number; repetitions?: number; budgetMs?: number } = {},
): Promise<DispatcherScalingResult> {
  const deadline = new Deadline(options.budgetMs ?? 180_000);
  const sizes = [options.small ?? 1_000, options.large ?? 50_000];
  const repetitions = options.repetitions ?? 11;
  const baseTable = process.env.TABLE_NAME!;
  const tables = [baseTable, `${baseTable}-large`];

  const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
  const { DynamoDBDocumentClient, BatchWriteCommand } = await import('@aws-sdk/lib-dynamodb');
  const { ensureLeadTable } = await import('../shared/storage/create-lead-table');
  const { dynamoDb } = await import('../shared/storage/dynamodb-client');
  const { ses } = await import('../shared/adapters/ses-client');
  const { dispatchNurture } = await import('../shared/nurture/dispatch-nurture');
  const { dynamoNurtureStore } = await import('../shared/storage/dynamo-nurture-store');
  const { dynamoSentEmailStore } = await import('../shared/storage/dynamo-sent-email-store');
  const { reclassifyLead } = await import('../shared/classification/reclassify-lead');
  const { dynamoClassificationStore } = await import('../shared/storage/dynamo-classification-store');
  const { emailSendingOf, sendEmail } = await import('../shared/email/send-email');
  const { readEnv } = await import('../shared/config/read-env');
  const { EMAIL_SENDING_ENV, OPT_IN_RETENTION_ENV } = await import('../shared/wiring/function-config');
  // Read as functions/nurture-dispatcher.ts reads it, from the same variables.
  const benchConfig = readEnv({ ...EMAIL_SENDING_ENV, ...OPT_IN_RETENTION_ENV });
  const sending = emailSendingOf(benchConfig);
  const { defaultScoringConfig } = await import('../shared/domain/classification');
  const { defaultNurtureConfig } = await import('../shared/domain/nurture');
  const seeds = await import('./dispatcher-seed');

  // Seeding and clean-up go through their own client, so the counter on the shared one sees the dispatcher only.
  const seedRaw = new DynamoDBClient({});
  const seedClient = DynamoDBDocumentClient.from(seedRaw, { marshallOptions: { removeUndefinedValues: true } });
  const batchWrite = async (table: string, requests: Array<Record<string, unknown>>) => {
    const chunks: Array<Array<Record<string, unknown>>> = [];
    for (let i = 0; i < requests.length; i += 25) chunks.push(requests.slice(i, i + 25));
    let next = 0;
    const worker = async () => {
      while (next < chunks.length) {
        if (deadline.passed)
          throw new Error(`seeding ${table} did not finish within the time budget (${next * 25} of ${requests.length} items written)`);
        let pending: Record<string, any[]> | undefined = { [table]: chunks[next++]! };
        for (let attempt = 0; pending && Object.keys(pending).length > 0 && attempt < 10; attempt += 1) {
          const result = await seedClient.send(new BatchWriteCommand({ RequestItems: pending }));
          pending = result.UnprocessedItems as Record<string, any[]> | undefined;
        }
      }
    };
    await Promise.all(Array.from({ length: 4 }, worker));
  };

  const random = seededRandom(42);
  const seedNow = Date.now();
  const scenarios: DispatcherScenario[] = [];
  const sampleLeadIds: string[][] = [];
  for (const [index, leads] of sizes.entries()) {
    const table = tables[index]!;
    await ensureLeadTable(seedRaw, table);
    const started = nowMs();
    const others = leads - DUE_LEADS;
    const items: Array<Record<string, unknown>> = [];
    let inIndex = 0;
    const samples: string[] = [];
    const every = Math.max(1, Math.floor(others / 100));
    for (let i = 0; i < others; i += 1) {
      const kind = i % 2 === 0 ? 'not-due' : 'not-in-index';
      if (kind === 'not-due') inIndex += 1;
      const item = seeds.otherLeadProfile(`n${index}-${i}`, kind, seedNow, random, defaultNurtureConfig);
      if (i % every === 0 && samples.length < 100) samples.push(String(item.leadId));
      items.push({ PutRequest: { Item: item } });
    }
    sampleLeadIds.push(samples);
    progress(`dispatcher: seeding ${others.toLocaleString('en')} not-due leads into the ${leads.toLocaleString('en')}-lead table`);
    await batchWrite(table, items);
    scenarios.push({
      name: `${leads.toLocaleString('en')} leads`,
      leads,
      dueLeads: DUE_LEADS,
      inDueIndexNotDue: inIndex,
      notInIndex: others - inIndex,
      seedSeconds: round((nowMs() - started) / 1000),
      runs: [],
      medianDurationMs: Number.NaN,
      medianReadUnits: Number.NaN,
      medianDueIndexReadUnits: Number.NaN,
      medianBareCallsMs: Number.NaN,
    });
  }

  // DynamoDB Local's own cost per call on each table: what the same bare calls take there. On AWS a
  // table's size does not change its latency; in the emulator (SQLite underneath) it may.
  const { QueryCommand, UpdateCommand } = await import('@aws-sdk/lib-dynamodb');
  const bareCalls = async (table: string, leadIds: string[]) => {
    const start = nowMs();
    for (const leadId of leadIds) {
      await seedClient.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': `LEAD#${leadId}` },
          ConsistentRead: true,
        }),
      );
      await seedClient.send(
        new UpdateCommand({
          TableName: table,
          Key: { pk: `LEAD#${leadId}`, sk: 'PROFILE' },
          UpdateExpression: 'SET benchTouchedAt = :at',
          ExpressionAttributeValues: { ':at': new Date().toISOString() },
        }),
      );
    }
    return nowMs() - start;
  };

  const counter = new AwsCallCounter().attach(dynamoDb, ses);
  // Wired as functions/nurture-dispatcher.ts wires it.
  const deps = (tableName: string): import('../shared/nurture/dispatch-nurture').DispatchDeps => ({
    store: dynamoNurtureStore(tableName),
    reclassify: (leadId, now, snapshot) =>
      reclassifyLead(
        { store: dynamoClassificationStore(tableName), retentionDays: benchConfig.RETENTION_DAYS },
        leadId,
        now,
        defaultScoringConfig,
        snapshot,
      ),
    sendEmail: (email) => sendEmail({ ...email, store: dynamoSentEmailStore(tableName), sending }),
    retentionDays: benchConfig.RETENTION_DAYS,
    signingKey: BENCH_SIGNING_KEY,
    publicBaseUrl: BENCH_PUBLIC_BASE_URL,
    imprint: process.env.IMPRINT ?? 'Imprint',
    senderName: 'Erika Mustermann, Leadpipe Example GmbH',
    scoring: defaultScoringConfig,
    nurture: defaultNurtureConfig,
  });
  const notes: string[] = [];

  let batchNo = 0;
  // One unmeasured run on each table first: JIT, template compilation, SES emulator, connections, DynamoDB Local's caches.
  for (const table of tables) {
    const warmNow = new Date().toISOString();
    const warm = seeds.dueLeadBatch(`w${batchNo++}`, 100, Date.parse(warmNow) - 1000, defaultScoringConfig, defaultNurtureConfig);
    await batchWrite(
      table,
      warm.items.map((Item) => ({ PutRequest: { Item } })),
    );
    await dispatchNurture(warmNow, deps(table));
    await batchWrite(
      table,
      warm.keys.map((Key) => ({ DeleteRequest: { Key } })),
    );
  }
  for (let repetition = 1; repetition <= repetitions; repetition += 1) {
    if (repetition > 1 && deadline.remainingMs < 30_000) {
      notes.push(`stopped after ${repetition - 1} repetition(s): time budget`);
      break;
    }
    const order = repetition % 2 === 1 ? [0, 1] : [1, 0];
    for (const index of order) {
      const table = tables[index]!;
      const scenario = scenarios[index]!;
      const runNow = new Date().toISOString();
      const batch = seeds.dueLeadBatch(`d${batchNo++}`, DUE_LEADS, Date.parse(runNow) - 1000, defaultScoringConfig, defaultNurtureConfig);
      await batchWrite(
        table,
        batch.items.map((Item) => ({ PutRequest: { Item } })),
      );
      counter.reset();
      const start = nowMs();
      const report = await dispatchNurture(runNow, deps(table));
      const durationMs = nowMs() - start;
      const tally = counter.tally();
      const flat = flattenTally(tally);
      const dynamo = Object.values(tally.DynamoDB ?? {});
      scenario.runs.push({
        scenario: scenario.name,
        leads: scenario.leads,
        repetition,
        dueLeads: report.dueLeads,
        outcomes: Object.fromEntries(Object.entries(report.outcomes).filter(([, count]) => count > 0)),
        durationMs: round(durationMs),
        readUnits: round(dynamo.reduce((total, op) => total + op.readUnits, 0)),
        dueIndexReadUnits: round(report.readUnits),
        bareCallsMs: Number.NaN,
        writeUnits: round(dynamo.reduce((total, op) => total + op.writeUnits, 0)),
        calls: Object.fromEntries(Object.entries(flat).map(([key, value]) => [key, value.calls])),
      });
      progress(`dispatcher: ${scenario.name} run ${repetition}: ${report.dueLeads} due, ${round(durationMs)} ms`);
      // Remove the batch again (its leads now wait for their next step), so the table keeps its size.
      await batchWrite(
        table,
        batch.keys.map((Key) => ({ DeleteRequest: { Key } })),
      );
      scenario.runs.at(-1)!.bareCallsMs = round(await bareCalls(table, sampleLeadIds[index]!));
    }
  }

  counter.reset();
  const emptyNow = new Date().toISOString();
  const emptyStart = nowMs();
  await dispatchNurture(emptyNow, deps(tables[1]!));
  const emptyDuration = nowMs() - emptyStart;
  const emptyTally = counter.tally();
  const emptyRun = {
    leads: sizes[1]!,
    durationMs: round(emptyDuration),
    readUnits: round(Object.values(emptyTally.DynamoDB ?? {}).reduce((total, op) => total + op.readUnits, 0)),
    calls: Object.fromEntries(Object.entries(flattenTally(emptyTally)).map(([key, value]) => [key, value.calls])),
  };
  counter.detach();
  // Leave DynamoDB Local as it was found: 50,000 items and their stream records slow everything after them.
  const { DeleteTableCommand } = await import('@aws-sdk/client-dynamodb');
  for (const table of tables) await seedRaw.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined);
  seedRaw.destroy();

  for (const scenario of scenarios) {
    scenario.medianDurationMs = round(median(scenario.runs.map((run) => run.durationMs)));
    scenario.medianReadUnits = round(median(scenario.runs.map((run) => run.readUnits)));
    scenario.medianDueIndexReadUnits = round(median(scenario.runs.map((run) => run.dueIndexReadUnits)));
    scenario.medianBareCallsMs = round(median(scenario.runs.map((run) => run.bareCallsMs)));
  }
  const [small, large] = scenarios as [DispatcherScenario, DispatcherScenario];
  const time = ratio(large.medianDurationMs, small.medianDurationMs);
  const bare = ratio(large.medianBareCallsMs, small.medianBareCallsMs);
  const ratios = {
    readUnits: round(ratio(large.medianReadUnits, small.medianReadUnits)),
    dueIndexReadUnits: round(ratio(large.medianDueIndexReadUnits, small.medianDueIndexReadUnits)),
    time: round(time),
    bareCalls: round(bare),
    timeNormalized: round(time / bare),
  };
  const smallRuns = small.runs;
  const dueTotal = smallRuns.reduce((total, run) => total + run.dueLeads, 0) || 1;
  const callTotals: Record<string, number> = {};
  for (const run of smallRuns) for (const [key, count] of Object.entries(run.calls)) callTotals[key] = (callTotals[key] ?? 0) + count;
  const perDueLead = {
    calls: Object.fromEntries(Object.entries(callTotals).map(([key, count]) => [key, round(count / dueTotal)])),
    readUnits: round(smallRuns.reduce((total, run) => total + run.readUnits, 0) / dueTotal),
    writeUnits: round(smallRuns.reduce((total, run) => total + run.writeUnits, 0) / dueTotal),
    durationMs: round(smallRuns.reduce((total, run) => total + run.durationMs, 0) / dueTotal),
  };
  if (small.runs.some((run) => run.dueLeads !== DUE_LEADS) || large.runs.some((run) => run.dueLeads !== DUE_LEADS)) {
    notes.push('a run did not find exactly 100 due leads: check the seeded due times');
  }
  return {
    scenarios,
    ratios,
    emptyRun,
    perDueLead,
    target: "50k/1k ≤ 1.2 for read capacity and for time (time net of DynamoDB Local's own size effect)",
    meetsTarget: ratios.readUnits <= 1.2 && ratios.timeNormalized <= 1.2,
    notes,
  };
}
