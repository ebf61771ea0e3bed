/**
 * Measurement 2 — AWS calls on the request path. Invokes the capture handler in-process (API
 * Gateway payload-2.0 events) against DynamoDB Local and counts, per submission, every call made
 * through the shared SDK clients by service and operation, and the write capacity it consumed.
 * Runs in a worker process whose environment (bench-env.ts) is set before the functions load.
 */
import { AwsCallCounter, flattenTally, type AwsCall } from './aws-call-counter';
import { apiEvent, formBody, lambdaContext, type FormName } from './api-event';
import { transactWriteUnitsByAwsRules } from './dynamo-size';
import { mean, round } from './stats';

export interface FormPathResult {
  form: string;
  submissions: number;
  statusCodes: Record<string, number>;
  /** "DynamoDB.TransactWriteItems" → calls per submission */
  callsPerSubmission: Record<string, number>;
  totalCallsPerSubmission: { mean: number; min: number; max: number };
  /** capacity DynamoDB Local reported (table + indexes) */
  writeUnitsPerSubmission: { mean: number; min: number; max: number };
  readUnitsPerSubmission: number;
  /** the same write priced by AWS's rules (item size, x2 in a transaction) */
  awsRuleWriteUnits: number;
  transactItems: number;
  itemBytes: number[];
  meetsTarget: boolean;
}

export interface RequestPathResult {
  target: string;
  forms: FormPathResult[];
  /** calls the very first invocation made (cold start) */
  coldStart: { callsOnFirstInvocation: Record<string, number>; note: string };
  extraCases: Array<{ case: string; callsPerSubmission: Record<string, number>; note: string }>;
  meetsTarget: boolean;
}

const FORMS: FormName[] = ['newsletter', 'download', 'contact'];
const PATHS: Record<FormName, string> = { newsletter: '/forms/newsletter', download: '/forms/download', contact: '/forms/contact' };

export async function measureRequestPath(options: { submissionsPerForm?: number } = {}): Promise<RequestPathResult> {
  const perForm = options.submissionsPerForm ?? 25;
  const tableName = process.env.TABLE_NAME!;
  const { dynamoDb } = await import('../shared/storage/dynamodb-client');
  const { ses } = await import('../shared/adapters/ses-client');
  const { eventBridge } = await import('../shared/adapters/event-bridge-client');
  const { s3 } = await import('../shared/adapters/s3-client');
  const { ensureLeadTable } = await import('../shared/storage/create-lead-table');
  await ensureLeadTable(dynamoDb, tableName);
  const { handler } = await import('../functions/capture-form');
  const invoke = handler as unknown as (event: unknown, context: unknown) => Promise<{ statusCode?: number }>;

  const counter = new AwsCallCounter({ keepPayloads: true }).attach(dynamoDb, ses, eventBridge, s3);
  const calls = (from: number) => counter.calls.slice(from);

  // The first invocation of the container: cold start work (secrets are cached from here on).
  const coldFrom = counter.calls.length;
  await invoke(apiEvent({ path: PATHS.newsletter, body: JSON.stringify(formBody('newsletter', -1)) }), lambdaContext('capture-form'));
  const coldCalls = countByOperation(calls(coldFrom));

  const forms: FormPathResult[] = [];
  for (const form of FORMS) {
    const perSubmission: AwsCall[][] = [];
    const statusCodes: Record<string, number> = {};
    for (let i = 0; i < perForm; i += 1) {
      const from = counter.calls.length;
      const result = await invoke(apiEvent({ path: PATHS[form], body: JSON.stringify(formBody(form, i)) }), lambdaContext('capture-form'));
      statusCodes[String(result.statusCode)] = (statusCodes[String(result.statusCode)] ?? 0) + 1;
      perSubmission.push(calls(from));
    }
    const flat = perSubmission.flat();
    const callsPerSubmission = Object.fromEntries(
      Object.entries(flattenTally(tallyOf(flat))).map(([key, value]) => [key, round(value.calls / perForm)]),
    );
    const totals = perSubmission.map((list) => list.length);
    const writeUnits = perSubmission.map((list) => list.reduce((total, call) => total + call.writeUnits, 0));
    const readUnits = perSubmission.map((list) => list.reduce((total, call) => total + call.readUnits, 0));
    const transact = flat.find((call) => call.operation === 'TransactWriteItems');
    const awsRule = transact ? transactWriteUnitsByAwsRules(transact.input) : { units: Number.NaN, itemBytes: [] };
    forms.push({
      form,
      submissions: perForm,
      statusCodes,
      callsPerSubmission,
      totalCallsPerSubmission: { mean: mean(totals), min: Math.min(...totals), max: Math.max(...totals) },
      writeUnitsPerSubmission: { mean: round(mean(writeUnits)), min: Math.min(...writeUnits), max: Math.max(...writeUnits) },
      readUnitsPerSubmission: round(mean(readUnits)),
      awsRuleWriteUnits: awsRule.units,
      transactItems: transact?.input?.TransactItems?.length ?? 0,
      itemBytes: awsRule.itemBytes,
      meetsTarget: totals.every((count) => count === 1),
    });
  }

  // A double-click (same body twice within the window) and a filled honeypot.
  const extraCases: RequestPathResult['extraCases'] = [];
  const twice = JSON.stringify(formBody('newsletter', 9_999));
  await invoke(apiEvent({ path: PATHS.newsletter, body: twice }), lambdaContext('capture-form'));
  const dupFrom = counter.calls.length;
  await invoke(apiEvent({ path: PATHS.newsletter, body: twice }), lambdaContext('capture-form'));
  extraCases.push({
    case: 'double-click (same newsletter body again)',
    callsPerSubmission: countByOperation(calls(dupFrom)),
    note: 'the condition on the submission item cancels the transaction: still one call, nothing stored',
  });
  const honeyFrom = counter.calls.length;
  await invoke(
    apiEvent({ path: PATHS.newsletter, body: JSON.stringify({ ...formBody('newsletter', 9_998), website: 'http://spam.example' }) }),
    lambdaContext('capture-form'),
  );
  extraCases.push({
    case: 'honeypot filled (bot)',
    callsPerSubmission: countByOperation(calls(honeyFrom)),
    note: 'answered like a success without any AWS call',
  });
  counter.detach();
  const { DeleteTableCommand } = await import('@aws-sdk/client-dynamodb');
  await dynamoDb.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);

  return {
    target: 'exactly 1 synchronous AWS call per submission',
    forms,
    coldStart: {
      callsOnFirstInvocation: coldCalls,
      note:
        'locally the secrets come from the environment; on AWS the first invocation of each container also makes one ' +
        'SecretsManager.GetSecretValue (shared/security/app-secrets.ts caches it) — per cold start, not per submission',
    },
    extraCases,
    meetsTarget: forms.every((form) => form.meetsTarget),
  };
}

function tallyOf(calls: AwsCall[]) {
  const counter = new AwsCallCounter();
  counter.calls.push(...calls);
  return counter.tally();
}

function countByOperation(calls: AwsCall[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const call of calls) counts[`${call.service}.${call.operation}`] = (counts[`${call.service}.${call.operation}`] ?? 0) + 1;
  return counts;
}
