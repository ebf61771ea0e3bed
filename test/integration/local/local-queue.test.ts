/**
 * The local SQS (local/queue/local-queue.ts) against the real @aws-sdk/client-sqs: the wire protocol, visibility,
 * receive counts, the redrive to the dead-letter queue, batch item failures as the Lambda event source mapping
 * honours them, and a restart that keeps accepted messages.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { failedIds, LocalQueues } from '../../../local/queue/local-queue';
import { VirtualClock } from '../../../local/virtual-clock';
import type { QueueDeclaration } from '../../../shared/wiring/app-wiring';

const declaration: QueueDeclaration = {
  name: 'campaign-sends',
  description: 'test',
  consumer: 'campaign-sender',
  batchSize: 2,
  maxConcurrency: 2,
  visibilityTimeoutSeconds: 30,
  maxReceiveCount: 3,
};

type Consumer = (event: SQSEvent) => Promise<SQSBatchResponse | undefined>;

const open: Array<{ queues: LocalQueues; client: SQSClient }> = [];

async function start(consumer: Consumer, options: { journalDir?: string; queues?: QueueDeclaration[] } = {}) {
  const invocations: SQSEvent[] = [];
  const queues = new LocalQueues({
    region: 'eu-central-1',
    clock: new VirtualClock('2027-01-10T08:00:00.000Z'),
    deliver: async (_consumer, event) => {
      invocations.push(event);
      return consumer(event);
    },
    queues: options.queues ?? [declaration],
    redeliveryDelayMs: 20,
    journalDir: options.journalDir,
  });
  const endpoint = await queues.listen(0);
  const client = new SQSClient({ endpoint, region: 'eu-central-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  open.push({ queues, client });
  return { queues, client, invocations, url: queues.queueUrl('campaign-sends'), dlqUrl: queues.queueUrl('campaign-sends-dlq') };
}

afterEach(async () => {
  for (const { queues, client } of open.splice(0)) {
    client.destroy();
    await queues.close();
  }
});

const never: Consumer = () => new Promise(() => undefined);

describe('local SQS: the wire protocol of @aws-sdk/client-sqs', () => {
  it('sends (one and a batch, with MD5s the SDK checks), finds the queue by name and reports its attributes', async () => {
    // Prepare
    const { client, url, queues } = await start(never, { queues: [] });
    const dlq = await start(never);

    // Act
    const one = await dlq.client.send(new SendMessageCommand({ QueueUrl: dlq.dlqUrl, MessageBody: '{"a":1}' }));
    const batch = await dlq.client.send(
      new SendMessageBatchCommand({ QueueUrl: dlq.dlqUrl, Entries: [1, 2, 3].map((n) => ({ Id: `e${n}`, MessageBody: `body ${n}` })) }),
    );
    const found = await dlq.client.send(new GetQueueUrlCommand({ QueueName: 'campaign-sends-dlq' }));
    const attributes = await dlq.client.send(new GetQueueAttributesCommand({ QueueUrl: dlq.url, AttributeNames: ['All'] }));
    const missing = await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' })).catch((error: Error) => error);

    // Assess
    expect(one.MessageId).toBeTruthy();
    expect(batch.Successful?.map((entry) => entry.Id)).toEqual(['e1', 'e2', 'e3']);
    expect(found.QueueUrl).toBe(dlq.dlqUrl);
    expect(JSON.parse(attributes.Attributes?.RedrivePolicy ?? '{}')).toEqual({
      deadLetterTargetArn: 'arn:aws:sqs:eu-central-1:000000000000:campaign-sends-dlq',
      maxReceiveCount: 3,
    });
    expect(dlq.queues.messages('campaign-sends-dlq')).toHaveLength(4);
    expect(missing).toBeInstanceOf(Error);
    expect((missing as Error).name).toBe('QueueDoesNotExist');
    expect(queues.isIdle).toBe(true);
  });

  it('a received message stays invisible for its visibility timeout, then comes back with its receive count raised', async () => {
    // Prepare: the dead-letter queue has no consumer, so only ReceiveMessage hands messages out
    const { client, dlqUrl } = await start(never);
    await client.send(new SendMessageCommand({ QueueUrl: dlqUrl, MessageBody: 'look at me' }));

    // Act
    const first = await client.send(
      new ReceiveMessageCommand({ QueueUrl: dlqUrl, VisibilityTimeout: 1, MessageSystemAttributeNames: ['All'] }),
    );
    const during = await client.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl }));
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const after = await client.send(
      new ReceiveMessageCommand({ QueueUrl: dlqUrl, VisibilityTimeout: 0, MessageSystemAttributeNames: ['All'] }),
    );
    await client.send(
      new ChangeMessageVisibilityCommand({ QueueUrl: dlqUrl, ReceiptHandle: after.Messages![0]!.ReceiptHandle!, VisibilityTimeout: 60 }),
    );
    const hidden = await client.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl }));
    await client.send(new DeleteMessageCommand({ QueueUrl: dlqUrl, ReceiptHandle: after.Messages![0]!.ReceiptHandle! }));
    await client
      .send(
        new ChangeMessageVisibilityCommand({ QueueUrl: dlqUrl, ReceiptHandle: after.Messages![0]!.ReceiptHandle!, VisibilityTimeout: 0 }),
      )
      .catch(() => undefined);
    const gone = await client.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, VisibilityTimeout: 0 }));

    // Assess
    expect(first.Messages?.[0]?.Body).toBe('look at me');
    expect(first.Messages?.[0]?.Attributes?.ApproximateReceiveCount).toBe('1');
    // SentTimestamp is the virtual clock's (which started at 2027-01-10T08:00Z and runs on with the wall clock)
    const sentAt = Number(first.Messages?.[0]?.Attributes?.SentTimestamp);
    expect(sentAt - Date.parse('2027-01-10T08:00:00.000Z')).toBeGreaterThanOrEqual(0);
    expect(sentAt - Date.parse('2027-01-10T08:00:00.000Z')).toBeLessThan(60_000);
    expect(during.Messages).toBeUndefined();
    expect(after.Messages?.[0]?.Attributes?.ApproximateReceiveCount).toBe('2');
    expect(hidden.Messages).toBeUndefined();
    expect(gone.Messages).toBeUndefined();
  });
});

describe('local SQS: the event source mapping', () => {
  it('delivers in batches of batchSize and deletes what the consumer did not name as failed', async () => {
    // Prepare: the consumer fails the body "fail" once
    const failedOnce = new Set<string>();
    const consumer: Consumer = async (event) => ({
      batchItemFailures: event.Records.filter((record) => record.body === 'fail' && !failedOnce.has(record.messageId)).map((record) => {
        failedOnce.add(record.messageId);
        return { itemIdentifier: record.messageId };
      }),
    });
    const { queues, invocations } = await start(consumer);

    // Act
    for (const body of ['a', 'fail', 'b', 'c', 'd']) queues.send('campaign-sends', body);
    await queues.idle();

    // Assess
    expect(invocations.every((event) => event.Records.length <= 2)).toBe(true);
    const bodies = invocations.flatMap((event) => event.Records.map((record) => record.body));
    expect(bodies.filter((body) => body === 'fail')).toHaveLength(2);
    expect(bodies.filter((body) => body !== 'fail').sort()).toEqual(['a', 'b', 'c', 'd']);
    const retry = invocations.flatMap((event) => event.Records).filter((record) => record.body === 'fail')[1]!;
    expect(retry.attributes.ApproximateReceiveCount).toBe('2');
    expect(retry.eventSource).toBe('aws:sqs');
    expect(queues.messages('campaign-sends')).toEqual([]);
    expect(queues.isIdle).toBe(true);
  });

  it('never runs more than maxConcurrency consumers at once', async () => {
    // Prepare
    let running = 0;
    let most = 0;
    const { queues } = await start(async () => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 30));
      running -= 1;
      return { batchItemFailures: [] };
    });

    // Act
    for (let i = 0; i < 12; i += 1) queues.send('campaign-sends', `m${i}`);
    await queues.idle();

    // Assess
    expect(most).toBe(2);
  });

  it('moves a message that keeps failing to the dead-letter queue after maxReceiveCount receives, then is idle', async () => {
    // Prepare
    const { queues, invocations, client, dlqUrl } = await start(async (event) => ({
      batchItemFailures: event.Records.map((record) => ({ itemIdentifier: record.messageId })),
    }));

    // Act
    const sent = queues.send('campaign-sends', 'poison');
    await queues.idle();
    const moved = queues.messages('campaign-sends-dlq').map((message) => message.receiveCount);
    const listed = queues.deadLetterMessages();
    const dead = await client.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, MessageSystemAttributeNames: ['All'] }));

    // Assess
    expect(invocations).toHaveLength(3);
    expect(queues.messages('campaign-sends')).toEqual([]);
    expect(dead.Messages?.map((message) => [message.MessageId, message.Body])).toEqual([[sent.messageId, 'poison']]);
    // moved with its 3 receives; reading it from the dead-letter queue is a receive too, as on SQS
    expect(moved).toEqual([3]);
    expect(listed).toEqual({ 'campaign-sends-dlq': [{ messageId: sent.messageId, body: 'poison', receiveCount: 3 }] });
    expect(dead.Messages?.[0]?.Attributes?.ApproximateReceiveCount).toBe('4');
  });

  it('a thrown error, or a response naming an unknown id, fails the whole batch', () => {
    // Prepare
    const ids = new Set(['m1', 'm2']);

    // Act
    const unknown = failedIds({ batchItemFailures: [{ itemIdentifier: 'm1' }, { itemIdentifier: 'other' }] }, ids);
    const empty = failedIds({ batchItemFailures: [{ itemIdentifier: '' }] }, ids);
    const some = failedIds({ batchItemFailures: [{ itemIdentifier: 'm2' }] }, ids);
    const none = failedIds(undefined, ids);

    // Assess
    expect([...unknown].sort()).toEqual(['m1', 'm2']);
    expect([...empty].sort()).toEqual(['m1', 'm2']);
    expect([...some]).toEqual(['m2']);
    expect([...none]).toEqual([]);
  });

  it('keeps accepted messages across a restart (journal) with their receive counts', async () => {
    // Prepare
    const journalDir = mkdtempSync(join(tmpdir(), 'leadpipe-queue-'));
    try {
      const first = await start(never, { journalDir });
      first.queues.send('campaign-sends', 'survives');
      await new Promise((resolve) => setTimeout(resolve, 20));
      await first.queues.close();

      // Act
      const delivered: string[] = [];
      const second = await start(
        async (event) => {
          delivered.push(...event.Records.map((record) => `${record.body}#${record.attributes.ApproximateReceiveCount}`));
          return { batchItemFailures: [] };
        },
        { journalDir },
      );
      const resumed = second.queues.resumeJournal();
      await second.queues.idle();

      // Assess
      expect(resumed).toBe(1);
      expect(delivered).toEqual(['survives#2']);
      expect(second.queues.messages('campaign-sends')).toEqual([]);
    } finally {
      rmSync(journalDir, { recursive: true, force: true });
    }
  });
});
