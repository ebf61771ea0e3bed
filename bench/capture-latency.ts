/**
 * Measurement 3 — capture latency. The capture handler invoked in-process against DynamoDB Local,
 * interleaved pair by pair with the bare TransactWriteItems it performs: the very input the handler
 * sent (captured once), re-keyed to a fresh lead id of the same length, so the items have the same
 * size; sent through the same document client. Handler/bare at p50 and p99 is the handler's own
 * overhead (parsing, validation, HMAC, outbox event, middy, logs and metrics), machine noise cancelled.
 */
import { randomBytes } from 'node:crypto';
import { AwsCallCounter } from './aws-call-counter';
import { apiEvent, formBody, lambdaContext } from './api-event';
import { transactWriteUnitsByAwsRules } from './dynamo-size';
import { Deadline, progress } from './progress';
import { nowMs, ratio, round, summarize, type Summary } from './stats';

export interface CaptureLatencyResult {
  form: 'newsletter';
  warmupPairs: number;
  submissions: number;
  handlerMs: Summary;
  bareMs: Summary;
  ratioP50: number;
  ratioP99: number;
  overheadP50Ms: number;
  handlerItemBytes: number[];
  bareItemBytes: number[];
  failures: { handler: number; bare: number };
  stoppedEarly: boolean;
  target: string;
  meetsTarget: boolean;
}

export async function measureCaptureLatency(
  options: { submissions?: number; warmupPairs?: number; budgetMs?: number } = {},
): Promise<CaptureLatencyResult> {
  const wanted = options.submissions ?? 2000;
  const warmupPairs = options.warmupPairs ?? 100;
  const deadline = new Deadline(options.budgetMs ?? 120_000);
  const tableName = process.env.TABLE_NAME!;
  const { dynamoDb, documentClient } = await import('../shared/storage/dynamodb-client');
  const { ensureLeadTable } = await import('../shared/storage/create-lead-table');
  const { TransactWriteCommand } = await import('@aws-sdk/lib-dynamodb');
  await ensureLeadTable(dynamoDb, tableName);
  const { handler } = await import('../functions/capture-form');
  const invoke = handler as unknown as (event: unknown, context: unknown) => Promise<{ statusCode?: number }>;
  const newsletterEvent = (index: number) => apiEvent({ path: '/forms/newsletter', body: JSON.stringify(formBody('newsletter', index)) });

  // Capture the handler's own TransactWriteItems input once (without altering it).
  let template: any;
  const capture = new AwsCallCounter({
    forceConsumedCapacity: false,
    onCall: (call) => {
      if (call.operation === 'TransactWriteItems' && !template) template = structuredClone(call.input);
    },
  }).attach(dynamoDb);
  await invoke(newsletterEvent(-1), lambdaContext('capture-form'));
  capture.detach();
  if (!template) throw new Error('the capture handler made no TransactWriteItems call');
  const leadKey = (template.TransactItems as Array<Record<string, any>>)
    .map((entry) => entry.Update?.Key?.pk ?? entry.Put?.Item?.pk)
    .find((pk) => String(pk).startsWith('LEAD#'));
  if (!leadKey) throw new Error('no lead key in the captured TransactWriteItems input');
  const templateLeadId = String(leadKey).slice('LEAD#'.length);
  // Every key that makes one submission's write unique: the lead id, and the subject hashes of the rate-limit
  // counters (per source IP and per mailbox: the bare call must not hit the limits the handler's visitors stay under).
  const uniqueParts = [templateLeadId];
  for (const entry of template.TransactItems as Array<Record<string, any>>) {
    const pk = String(entry.Update?.Key?.pk ?? '');
    if (pk.startsWith('RATE#')) uniqueParts.push(pk.split('#')[2]!);
  }
  const randomLike = (part: string) =>
    `${part[0]}${randomBytes(32)
      .toString('base64url')
      .slice(0, part.length - 1)}`;
  // structuredClone keeps the string set of the mailbox counter (JSON would turn it into {}), then every
  // string is re-keyed.
  const rekey = (value: unknown, pairs: Array<[string, string]>): unknown => {
    if (typeof value === 'string') return pairs.reduce((text, [from, to]) => text.split(from).join(to), value);
    if (value instanceof Set) return new Set([...value].map((member) => rekey(member, pairs)));
    if (Array.isArray(value)) return value.map((item) => rekey(item, pairs));
    if (value && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [rekey(key, pairs), rekey(item, pairs)]));
    return value;
  };
  const bareInput = () =>
    rekey(
      structuredClone(template),
      uniqueParts.map((part) => [part, randomLike(part)] as [string, string]),
    ) as ConstructorParameters<typeof TransactWriteCommand>[0];

  const handlerSamples: number[] = [];
  const bareSamples: number[] = [];
  const failures = { handler: 0, bare: 0 };
  const runHandler = async (index: number, keep: boolean) => {
    const event = newsletterEvent(index);
    // A fresh context per invocation, as Lambda gives: middy times out against its remaining time.
    const context = lambdaContext('capture-form');
    const start = nowMs();
    const result = await invoke(event, context);
    const elapsed = nowMs() - start;
    if (result.statusCode !== 200) failures.handler += 1;
    if (keep) handlerSamples.push(elapsed);
  };
  const runBare = async (keep: boolean) => {
    const command = new TransactWriteCommand(bareInput());
    const start = nowMs();
    try {
      await documentClient.send(command);
    } catch {
      failures.bare += 1;
    }
    const elapsed = nowMs() - start;
    if (keep) bareSamples.push(elapsed);
  };

  progress(`capture latency: ${warmupPairs} warm-up pairs`);
  for (let i = 0; i < warmupPairs && !deadline.passed; i += 1) {
    await runHandler(i, false);
    await runBare(false);
  }
  (globalThis as { gc?: () => void }).gc?.();
  progress(`capture latency: ${wanted} interleaved pairs`);
  let stoppedEarly = false;
  for (let i = 0; i < wanted; i += 1) {
    if (deadline.passed) {
      stoppedEarly = true;
      break;
    }
    // Alternate which goes first, so neither always follows the other.
    if (i % 2 === 0) {
      await runHandler(warmupPairs + i, true);
      await runBare(true);
    } else {
      await runBare(true);
      await runHandler(warmupPairs + i, true);
    }
    if ((i + 1) % 500 === 0) progress(`capture latency: ${i + 1}/${wanted}`);
  }

  // Leave DynamoDB Local as it was found for the steps after this one.
  const { DeleteTableCommand } = await import('@aws-sdk/client-dynamodb');
  await dynamoDb.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);

  const handlerMs = summarize(handlerSamples);
  const bareMs = summarize(bareSamples);
  const ratioP50 = ratio(handlerMs.p50, bareMs.p50);
  return {
    form: 'newsletter',
    warmupPairs,
    submissions: handlerSamples.length,
    handlerMs: roundSummary(handlerMs),
    bareMs: roundSummary(bareMs),
    ratioP50: round(ratioP50),
    ratioP99: round(ratio(handlerMs.p99, bareMs.p99)),
    overheadP50Ms: round(handlerMs.p50 - bareMs.p50),
    handlerItemBytes: transactWriteUnitsByAwsRules(template).itemBytes,
    bareItemBytes: transactWriteUnitsByAwsRules(bareInput()).itemBytes,
    failures,
    stoppedEarly,
    target: 'handler/bare ≤ 1.5× at p50',
    meetsTarget: ratioP50 <= 1.5,
  };
}

function roundSummary(summary: Summary): Summary {
  return Object.fromEntries(Object.entries(summary).map(([key, value]) => [key, key === 'n' ? value : round(value)])) as unknown as Summary;
}
