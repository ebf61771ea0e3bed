/**
 * The local stand-in for Lambda's event source mapping, against the suite's real DynamoDB Local and
 * its real stream. The relay is a scripted function, so each failure the mapping must survive (a
 * partial batch failure, a relay that throws, a bad identifier, a poison record, a restart) happens
 * exactly when the test says.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { StreamCheckpoints } from '../../../local/stream-checkpoints';
import { MAX_ATTEMPTS, MAX_IDLE_POLL_MS, StreamPoller } from '../../../local/stream-poller';
import { ensureLeadTable } from '../../../shared/storage/create-lead-table';
import { STREAM_RELAYS } from '../../../shared/wiring/app-wiring';
import { suiteDynamoDbEndpoint } from '../../support/suite-dynamodb';

const RELAY = STREAM_RELAYS[0];
const REGION = 'eu-central-1';

/** What the scripted relay does with one batch: succeed, throw, or report failures by the item's `n`. */
type Script = (ns: number[]) => 'ok' | 'throw' | { failFrom: number } | { itemIdentifier: string };

class ScriptedRelay {
  /** every `n` handed over, in order, failed attempts included */
  readonly seen: number[] = [];
  /** the `n`s of batches that succeeded, in order: what reached the bus */
  readonly relayed: number[] = [];
  script: Script = () => 'ok';

  readonly invoke = async (_target: string, event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const ns = event.Records.map(numberOf);
    this.seen.push(...ns);
    const outcome = this.script(ns);
    if (outcome === 'throw') throw new Error('relay crashed');
    if (outcome === 'ok') {
      this.relayed.push(...ns);
      return { batchItemFailures: [] };
    }
    if ('itemIdentifier' in outcome) return { batchItemFailures: [{ itemIdentifier: outcome.itemIdentifier }] };
    const index = ns.indexOf(outcome.failFrom);
    this.relayed.push(...ns.slice(0, index));
    return { batchItemFailures: [{ itemIdentifier: event.Records[index]!.dynamodb!.SequenceNumber! }] };
  };
}

function numberOf(record: DynamoDBRecord): number {
  return (unmarshall(record.dynamodb!.NewImage as never) as { n: number }).n;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

describe('stream poller (local event source mapping) on the real DynamoDB Local stream', () => {
  let dynamo: DynamoDBClient;
  let streams: DynamoDBStreamsClient;
  let tableName: string;
  let streamArn: string;
  let dir: string;
  const pollers: StreamPoller[] = [];

  beforeAll(() => {
    const endpoint = suiteDynamoDbEndpoint();
    dynamo = new DynamoDBClient({ endpoint, region: REGION });
    streams = new DynamoDBStreamsClient({ endpoint, region: REGION });
  });
  afterAll(() => {
    dynamo.destroy();
    streams.destroy();
  });
  beforeEach(async () => {
    tableName = `leadpipe-poller-${randomUUID().slice(0, 8)}`;
    ({ streamArn } = await ensureLeadTable(dynamo, tableName));
    dir = mkdtempSync(join(tmpdir(), 'leadpipe-poller-'));
  });
  afterEach(() => {
    for (const poller of pollers.splice(0)) poller.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Writes items n = from..to-1: each an outbox item, plus a plain item the stream filter must drop. */
  async function write(from: number, to: number): Promise<void> {
    for (const n of range(from, to)) {
      const outbox = { source: 'leadpipe', detailType: 'Interaction Recorded', detail: JSON.stringify({ n }), time: '2026-12-01T10:00Z' };
      const item = { pk: `LEAD#${n}`, sk: `INTERACTION#${n}`, n, outbox };
      await dynamo.send(new PutItemCommand({ TableName: tableName, Item: marshall(item) }));
      await dynamo.send(new PutItemCommand({ TableName: tableName, Item: marshall({ pk: `LEAD#${n}`, sk: 'PROFILE', n }) }));
    }
  }

  async function poller(relay: ScriptedRelay, checkpoints?: StreamCheckpoints): Promise<StreamPoller> {
    const started = new StreamPoller(streams, streamArn, { ...RELAY, batchSize: 5 }, relay.invoke, checkpoints);
    await started.start(0);
    pollers.push(started);
    return started;
  }

  /** Polls until a pass hands nothing to the relay; bounded, so a poller that never settles fails the test. */
  async function drain(target: StreamPoller): Promise<void> {
    for (let pass = 0; pass < 50; pass += 1) if ((await target.pollOnce()) === 0) return;
    throw new Error('the poller did not settle within 50 passes');
  }

  it('relays each outbox record once, in stream order, and drops the records the filter does not match', async () => {
    // Prepare
    const relay = new ScriptedRelay();
    const target = await poller(relay);
    await write(0, 12);

    // Act
    await drain(target);

    // Assess
    expect(relay.seen).toEqual(range(0, 12));
    expect(relay.relayed).toEqual(range(0, 12));
  });

  it('retries a partial batch failure from the first failed record, without sending the records before it again', async () => {
    // Prepare: record 7 fails once (in the second batch of five)
    const relay = new ScriptedRelay();
    let failed = false;
    relay.script = (ns) => {
      if (!ns.includes(7) || failed) return 'ok';
      failed = true;
      return { failFrom: 7 };
    };
    const target = await poller(relay);
    await write(0, 12);

    // Act
    await drain(target);

    // Assess
    expect(relay.relayed).toEqual(range(0, 12));
    expect(relay.seen).toEqual([...range(0, 10), ...range(7, 12)]);
  });

  it('retries the whole batch when the relay throws or names a record that is not in the batch', async () => {
    // Prepare
    const relay = new ScriptedRelay();
    const outcomes: ReturnType<Script>[] = ['throw', { itemIdentifier: 'not-a-sequence-number' }];
    relay.script = () => outcomes.shift() ?? 'ok';
    const target = await poller(relay);
    await write(0, 3);

    // Act
    await drain(target);

    // Assess: three attempts of the same batch; the bad identifier did not count as success
    expect(relay.seen).toEqual([0, 1, 2, 0, 1, 2, 0, 1, 2]);
    expect(relay.relayed).toEqual([0, 1, 2]);
  });

  it(`sets a record that fails ${MAX_ATTEMPTS} times aside as a failed record and relays the ones after it`, async () => {
    // Prepare
    const relay = new ScriptedRelay();
    relay.script = (ns) => (ns.includes(2) ? { failFrom: 2 } : 'ok');
    const target = await poller(relay);
    await write(0, 5);

    // Act
    await drain(target);

    // Assess
    expect(target.failedRecords.map(numberOf)).toEqual([2]);
    expect(relay.relayed).toEqual([0, 1, 3, 4]);
    expect(relay.seen.filter((n) => n === 2)).toHaveLength(MAX_ATTEMPTS);
  });

  it('backs off while the stream is idle (doubling, up to a bound), and a wake() relays new records within the interval', async () => {
    // Prepare: a poller whose background schedule and stream calls the test observes, so it waits on them, not on the clock
    const describes = { count: 0 };
    const counted = {
      send: (command: unknown) => {
        if (command instanceof DescribeStreamCommand) describes.count += 1;
        return streams.send(command as never);
      },
    } as unknown as DynamoDBStreamsClient;
    const waiters: Array<() => void> = [];
    const until = async (done: () => boolean) => {
      while (!done()) await new Promise<void>((resolve) => waiters.push(resolve));
    };
    class ObservedPoller extends StreamPoller {
      readonly delays: number[] = [];
      protected override schedule(delayMs: number): void {
        this.delays.push(delayMs);
        super.schedule(delayMs);
        for (const wake of waiters.splice(0)) wake();
      }
    }
    const relay = new ScriptedRelay();
    const background = new ObservedPoller(counted, streamArn, { ...RELAY, batchSize: 5 }, relay.invoke);
    pollers.push(background);
    const interval = 1000;
    await background.start(interval);
    const describedAtStart = describes.count;

    // Act: two empty background passes
    await until(() => background.delays.length >= 3);

    // Assess: the wait doubled after the first and stopped at the bound after the second (not 4,000 ms); both
    // passes trusted the shard list from the start
    expect(background.delays).toEqual([interval, 2 * interval, MAX_IDLE_POLL_MS]);
    expect(MAX_IDLE_POLL_MS).toBeLessThan(4 * interval);
    expect(describes.count).toBe(describedAtStart);

    // Act: records written and the poller woken, as the local stack does when one of its functions ran
    await write(0, 3);
    background.wake();
    await until(() => relay.relayed.length === 3 && background.delays.at(-1) === interval);

    // Assess: polled within the interval, not after the back-off, and the wait stays at the interval while records come
    expect(relay.relayed).toEqual(range(0, 3));
    expect(background.delays.slice(3, 5)).toEqual([interval, interval]);
    // a wake while the next pass is already due within the interval leaves it: a busy stack polls once an interval
    background.wake();
    expect(background.delays).toHaveLength(5);
  });

  it('after a restart, relays the records written while it was down and none that were relayed before', async () => {
    // Prepare: a first run relays 0-5 and stops; 6-11 are written while no poller runs
    const file = join(dir, 'stream-checkpoints.json');
    const first = new ScriptedRelay();
    const before = await poller(first, new StreamCheckpoints(file));
    await write(0, 6);
    await drain(before);
    before.stop();
    await write(6, 12);

    // Act: a new poller, as after a restart, with the checkpoint file read afresh
    const second = new ScriptedRelay();
    await drain(await poller(second, new StreamCheckpoints(file)));

    // Assess
    expect(first.relayed).toEqual(range(0, 6));
    expect(second.seen).toEqual(range(6, 12));
    expect(second.relayed).toEqual(range(6, 12));
  });

  it('moves the checkpoint only past records that were relayed, so a crash after a failed batch loses nothing', async () => {
    // Prepare: the first run relays 0-2, then the relay fails from 3 on, and the process dies
    const file = join(dir, 'stream-checkpoints.json');
    const first = new ScriptedRelay();
    first.script = (ns) => (ns.includes(3) ? { failFrom: 3 } : 'ok');
    const crashed = await poller(first, new StreamCheckpoints(file));
    await write(0, 8);
    await crashed.pollOnce();
    crashed.stop();
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { positions: Record<string, string> };

    // Act
    const second = new ScriptedRelay();
    await drain(await poller(second, new StreamCheckpoints(file)));

    // Assess: the checkpoint stopped before record 3; the restart relays 3-7 and nothing earlier
    expect(first.relayed).toEqual([0, 1, 2]);
    expect(Object.keys(saved.positions)).toHaveLength(1);
    expect(second.relayed).toEqual(range(3, 8));
  });
});
