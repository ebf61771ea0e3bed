/**
 * Measurement 7 — a newsletter campaign to 10,000 confirmed subscribers through the whole in-process local stack
 * (local/local-stack.ts: its local SQS, the planner and sender functions, the SES emulator) on the DynamoDB Local
 * run.ts started. The subscribers are seeded straight into the table (BatchWriteItem, as confirmed subscribers with
 * their subscribers-index shard), the campaign is stored as `campaign send` stores it, and the clock runs from the
 * `Campaign Scheduled` event to the drain that finds the queues empty.
 *
 * Figures: recipients per second (wall clock, seeding excluded), AWS calls per recipient by operation (counted by
 * an SDK middleware on the shared clients, bench/aws-call-counter.ts), and what the cost model needs per recipient.
 * The local SES account's MaxSendRate is set high (LEADPIPE_LOCAL_SES_MAX_SEND_RATE, default here 2,000/s) so that
 * the figure is the engine's own throughput on this machine; on AWS the account's rate is the limit by design.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { type Campaign, emptyCounts, subscriberShardFor } from '../shared/campaigns/campaign';
import { definitionHash, loadCampaignFolder } from '../shared/campaigns/campaign-folder';
import { AwsCallCounter, flattenTally } from './aws-call-counter';
import { progress } from './progress';
import { round } from './stats';

export interface CampaignBenchResult {
  /** false: the budget ran out first; the campaign was cancelled there, the figures are per mail sent */
  complete: boolean;
  recipients: number;
  mailsSent: number;
  seedSeconds: number;
  seconds: number;
  recipientsPerSecond: number;
  localMaxSendRate: number;
  awsCalls: Record<string, number>;
  awsCallsPerRecipient: number;
  perRecipient: {
    readUnits: number;
    writeUnits: number;
    sqsRequests: number;
    dynamoDbCalls: number;
    /** invocation wall time per recipient, locally (the sender's includes its pacing and its sends in flight) */
    plannerMs: number;
    senderMs: number;
    /** PutEvents calls of the outbox relay per recipient (Campaign Sent) */
    events: number;
  };
  invocations: Record<string, number>;
  deadLetters: number;
  notes: string[];
}

/** Confirmed marketing subscribers, written straight into the table: what the newsletter form and the confirm link leave. */
export async function seedSubscribers(
  tableName: string,
  count: number,
  label = 'bench',
  at = '2026-01-05T09:00:00.000Z',
): Promise<string[]> {
  const { documentClient } = await import('../shared/storage/dynamodb-client');
  const { keys } = await import('../shared/storage/table-design');
  const leadIds: string[] = [];
  const items = Array.from({ length: count }, (_, i) => {
    const leadId = `${label}-${i}-${randomUUID().slice(0, 8)}`;
    leadIds.push(leadId);
    return {
      ...keys.lead(leadId),
      leadId,
      email: `${leadId}@subscriber.example`,
      locale: i % 4 === 0 ? 'en' : 'de',
      createdAt: at,
      updatedAt: at,
      version: 1,
      lifecycle: 'warm',
      score: 10,
      consentRequestedAt: at,
      consentConfirmedAt: at,
      subscriberShard: subscriberShardFor(leadId),
    };
  });
  const writes: Promise<unknown>[] = [];
  for (let start = 0; start < items.length; start += 25) {
    const batch = items.slice(start, start + 25);
    writes.push(
      (async () => {
        let pending: Record<string, unknown[]> | undefined = { [tableName]: batch.map((Item) => ({ PutRequest: { Item } })) };
        while (pending && Object.keys(pending).length > 0) {
          const answer = await documentClient.send(new BatchWriteCommand({ RequestItems: pending as never }));
          pending = answer.UnprocessedItems as Record<string, unknown[]> | undefined;
        }
      })(),
    );
    // at most 16 batches in flight: DynamoDB Local is one JVM
    if (writes.length >= 16) await Promise.all(writes.splice(0));
  }
  await Promise.all(writes);
  return leadIds;
}

/** The example campaign folder (content/campaigns/2027-01-newsletter) as `campaign send` stores it, under a fresh id. */
export function exampleCampaign(now: string, id = `bench-${randomUUID().slice(0, 8)}`): Campaign {
  const definition = { ...loadCampaignFolder(join(import.meta.dirname, '..', 'content', 'campaigns', '2027-01-newsletter')), id };
  const { sendAt: _sendAt, ...rest } = definition;
  return {
    ...rest,
    status: 'scheduled',
    sendAt: now,
    contentHash: definitionHash(definition),
    createdAt: now,
    updatedAt: now,
    counts: emptyCounts(),
  };
}

export async function measureCampaign(options: {
  recipients?: number;
  maxSendRate?: number;
  budgetMs?: number;
}): Promise<CampaignBenchResult> {
  const recipients = options.recipients ?? 10_000;
  const budgetMs = options.budgetMs ?? 30 * 60_000;
  const maxSendRate = options.maxSendRate ?? 2_000;
  process.env.LEADPIPE_LOCAL_SES_MAX_SEND_RATE = String(maxSendRate);
  const { startLocalStack } = await import('../local/local-stack');
  const { FunctionRuntime } = await import('../local/function-runtime');
  const invocations: Record<string, number> = {};
  const busyMs: Record<string, number> = {};
  const invoke = FunctionRuntime.prototype.invoke;
  FunctionRuntime.prototype.invoke = async function (this: InstanceType<typeof FunctionRuntime>, name, event) {
    invocations[name] = (invocations[name] ?? 0) + 1;
    const started = performance.now();
    try {
      return await invoke.call(this, name, event);
    } finally {
      busyMs[name] = (busyMs[name] ?? 0) + performance.now() - started;
    }
  };
  const stack = await startLocalStack({
    port: 0,
    dynamoDbEndpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB!,
    tableName: process.env.TABLE_NAME!,
    streamPollMs: 200,
  });
  try {
    const { dynamoCampaignStore } = await import('../shared/storage/dynamo-campaign-store');
    const seedStart = performance.now();
    progress(`campaign: seeding ${recipients} confirmed subscribers`);
    await seedSubscribers(stack.tableName, recipients);
    const seedSeconds = (performance.now() - seedStart) / 1000;
    const { dynamoDb } = await import('../shared/storage/dynamodb-client');
    const { ses } = await import('../shared/adapters/ses-client');
    const { sqs } = await import('../shared/adapters/sqs-client');
    const { eventBridge } = await import('../shared/adapters/event-bridge-client');
    const counter = new AwsCallCounter().attach(dynamoDb, ses, sqs, eventBridge);
    const campaign = exampleCampaign(stack.clock.now().toISOString());
    progress(`campaign: sending ${campaign.id} to ${recipients} recipients`);
    for (const key of Object.keys(invocations)) delete invocations[key];
    for (const key of Object.keys(busyMs)) delete busyMs[key];
    const start = performance.now();
    const store = dynamoCampaignStore(stack.tableName);
    await store.createCampaign(campaign);
    // Within the budget, or cut there: the campaign is cancelled and the throughput is what was sent until then.
    let timer: NodeJS.Timeout | undefined;
    const drained = stack.drain().then(() => 'drained' as const);
    const outcome = await Promise.race([
      drained,
      new Promise<'budget'>((resolve) => (timer = setTimeout(() => resolve('budget'), budgetMs))),
    ]);
    clearTimeout(timer);
    const seconds = (performance.now() - start) / 1000;
    const sentInTime = (await store.getCampaign(campaign.id))?.counts.sent ?? 0;
    if (outcome === 'budget') await store.transition(campaign.id, ['sending'], 'cancelled', stack.clock.now().toISOString());
    const { deadLetters } = await stack.drain();
    const stored = await store.getCampaign(campaign.id);
    counter.detach();
    const flat = Object.fromEntries(Object.entries(flattenTally(counter.tally())).map(([operation, tally]) => [operation, tally.calls]));
    const callsOf = (prefix: string) =>
      Object.entries(flat)
        .filter(([operation]) => operation.startsWith(prefix))
        .reduce((sum, [, n]) => sum + n, 0);
    const totalCalls = callsOf('');
    const sqsRequests = callsOf('SQS.');
    const dynamoDbCalls = callsOf('DynamoDB.');
    const units = counter.calls.reduce((sum, call) => ({ read: sum.read + call.readUnits, write: sum.write + call.writeUnits }), {
      read: 0,
      write: 0,
    });
    const sent = stored?.counts.sent ?? 0;
    return {
      complete: outcome === 'drained',
      recipients,
      mailsSent: sent,
      seedSeconds: round(seedSeconds),
      seconds: round(seconds),
      recipientsPerSecond: round(sentInTime / seconds),
      localMaxSendRate: maxSendRate,
      awsCalls: flat,
      awsCallsPerRecipient: round(totalCalls / Math.max(1, sent), 2),
      perRecipient: {
        readUnits: round(units.read / Math.max(1, sent), 2),
        writeUnits: round(units.write / Math.max(1, sent), 2),
        sqsRequests: round(sqsRequests / Math.max(1, sent), 3),
        dynamoDbCalls: round(dynamoDbCalls / Math.max(1, sent), 2),
        plannerMs: round((busyMs['campaign-planner'] ?? 0) / Math.max(1, sent), 2),
        senderMs: round((busyMs['campaign-sender'] ?? 0) / Math.max(1, sent), 2),
        events: round((flat['EventBridge.PutEvents'] ?? 0) / Math.max(1, sent), 3),
      },
      invocations: { ...invocations },
      deadLetters,
      notes: [
        `status ${stored?.status ?? 'missing'} after the drain`,
        'calls include the stream relay and bus traffic the campaign causes (one Campaign Sent event per mail)',
      ],
    };
  } finally {
    FunctionRuntime.prototype.invoke = invoke;
    await stack.stop();
  }
}
