import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord, DynamoDBStreamEvent, DynamoDBBatchResponse } from 'aws-lambda';
import type { FunctionName, StreamRelay } from '../shared/wiring/app-wiring';
import { assertValidEventPattern, matchesEventPattern, type EventPattern } from './event-bus/event-pattern-matcher';
import type { StreamCheckpoints } from './stream-checkpoints';

/** Like maximumRetryAttempts on the mapping (attempts in all, the first included): a poison record is set aside, not retried forever. */
export const MAX_ATTEMPTS = 3;
/** GetRecords pages read per shard and pass: one pass ends even while writers keep the stream growing. */
const MAX_PAGES_PER_PASS = 100;
const PAGE_LIMIT = 1000;
/** Failed records kept for /_dev/dead-letters; the oldest go first, so a poison stream cannot grow memory without end. */
export const MAX_FAILED_RECORDS_KEPT = 1000;
/** The longest wait between background polls of an idle stream; each empty poll doubles the wait up to this. */
export const MAX_IDLE_POLL_MS = 3200;
/**
 * How long a pass trusts the shard list it has before it asks DescribeStream again. A new shard only follows a closed
 * one, and reading a closed shard to its end asks at once, so the list is never missing a shard with records for long;
 * DescribeStream is among DynamoDB Local's dearest calls (every request shares one SQLite thread).
 */
const SHARD_LIST_TTL_MS = 10_000;

type Invoke = (target: FunctionName, event: DynamoDBStreamEvent) => Promise<unknown>;

interface ShardState {
  shardId: string;
  /** undefined once a closed shard has been read to its end */
  iterator: string | undefined;
  /** read from the stream, not yet done, in stream order */
  pending: DynamoDBRecord[];
}

/**
 * Plays the part of Lambda's event source mapping for DynamoDB Local's stream: reads every shard,
 * applies the same filter criteria as the CDK mapping, invokes the relay in batches and, like
 * Lambda with ReportBatchItemFailures, retries from the first failed record, keeping stream order.
 *
 * With a checkpoint store (the persistent `npm start`), the position of every shard is saved after
 * the records up to it are done, and a restart resumes right after it; without one (in memory, tests)
 * a new poller reads its table's stream from the start, which is what the mapping's TRIM_HORIZON does.
 */
export class StreamPoller {
  private readonly shardStates = new Map<string, ShardState>();
  private readonly attempts = new Map<string, number>();
  /** records that failed every attempt: the local counterpart of the mapping's on-failure destination */
  readonly failedRecords: DynamoDBRecord[] = [];
  private running: Promise<number> = Promise.resolve(0);
  private timer?: NodeJS.Timeout;
  private intervalMs = 0;
  private delayMs = 0;
  private knownShards?: { ids: string[]; at: number };

  constructor(
    private readonly client: DynamoDBStreamsClient,
    private readonly streamArn: string,
    private readonly relay: StreamRelay,
    private readonly invoke: Invoke,
    private readonly checkpoints?: StreamCheckpoints,
  ) {
    // As CreateEventSourceMapping does: a filter AWS would reject, or the local matcher cannot honour, stops here.
    assertValidEventPattern(relay.filter, `stream filter of ${relay.function}`);
  }

  /**
   * Positions every shard (after its checkpoint, else at its start) and, with an interval above 0,
   * polls in the background; with 0 it polls only when asked (pollOnce, the local stack's drain).
   *
   * The background poll is every `intervalMs` while records come, and backs off to MAX_IDLE_POLL_MS while the
   * stream is idle; wake() ends the back-off. DynamoDB Local serves every request on one SQLite thread, and stacks
   * share one (the test suite's): idle stacks polling five times a second took that thread from the busy ones.
   */
  async start(intervalMs = 200): Promise<void> {
    for (const shardId of await this.shards(true)) await this.shardState(shardId);
    this.intervalMs = intervalMs;
    this.delayMs = intervalMs;
    if (intervalMs > 0) this.schedule(intervalMs);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.intervalMs = 0;
  }

  /**
   * Something may have written to the table (a function of the stack ran): the back-off ends, and the next background
   * pass comes within the interval. A pass already due sooner stays: a busy stack still polls at most once an interval.
   */
  wake(): void {
    if (this.intervalMs <= 0 || this.delayMs <= this.intervalMs) return;
    this.delayMs = this.intervalMs;
    this.schedule(this.intervalMs);
  }

  /**
   * One pass over all shards; resolves with the number of records handed to the relay (failed attempts included, so
   * a caller that repeats passes until this is 0 lets a failing record use up its attempts). Passes never overlap.
   */
  pollOnce(): Promise<number> {
    this.running = this.running.catch(() => 0).then(() => this.poll());
    return this.running;
  }

  /** The next background pass, in `delayMs`. */
  protected schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.pollOnce()
        .catch(() => 0)
        .then((handed) => {
          if (this.intervalMs <= 0 || this.timer) return;
          this.delayMs = handed > 0 ? this.intervalMs : Math.min(this.delayMs * 2, Math.max(MAX_IDLE_POLL_MS, this.intervalMs));
          this.schedule(this.delayMs);
        });
    }, delayMs);
    this.timer.unref();
  }

  private async poll(): Promise<number> {
    let handed = 0;
    const stale = !this.knownShards || Date.now() - this.knownShards.at > SHARD_LIST_TTL_MS;
    for (const shardId of await this.shards(stale)) {
      const shard = await this.shardState(shardId);
      const open = shard.iterator !== undefined;
      handed += await this.pollShard(shard);
      // a closed shard just read to its end: its children are in the next DescribeStream
      if (open && !shard.iterator) this.knownShards = undefined;
    }
    return handed;
  }

  private async pollShard(shard: ShardState): Promise<number> {
    let handed = 0;
    for (let page = 0; page < MAX_PAGES_PER_PASS; page += 1) {
      if (shard.pending.length === 0) {
        if (!shard.iterator) break;
        const result = await this.getRecords(shard);
        shard.iterator = result.NextShardIterator;
        const records = result.Records ?? [];
        if (records.length === 0) break;
        shard.pending.push(...records.map(toLambdaRecord));
      }
      const outcome = await this.deliverPending(shard);
      handed += outcome.handed;
      // Keep stream order: nothing after a failed record is relayed before it succeeds.
      if (outcome.blocked) break;
    }
    return handed;
  }

  /** Relays the shard's pending records in batches; stops at a record that failed but has attempts left. */
  private async deliverPending(shard: ShardState): Promise<{ handed: number; blocked: boolean }> {
    let handed = 0;
    while (shard.pending.length > 0) {
      // Up to batchSize records that pass the filter, and the dropped ones among them: the mapping drops those unseen.
      const batch: DynamoDBRecord[] = [];
      let end = 0;
      while (end < shard.pending.length && batch.length < this.relay.batchSize) {
        const record = shard.pending[end]!;
        if (this.passesFilter(record)) batch.push(record);
        end += 1;
      }
      if (batch.length > 0) {
        handed += batch.length;
        const failedAt = await this.invokeRelay(batch);
        if (failedAt >= 0) {
          const failed = batch[failedAt]!;
          this.done(shard, shard.pending.indexOf(failed));
          const attempts = (this.attempts.get(failed.eventID!) ?? 0) + 1;
          this.attempts.set(failed.eventID!, attempts);
          if (attempts < MAX_ATTEMPTS) return { handed, blocked: true };
          this.failedRecords.push(failed);
          if (this.failedRecords.length > MAX_FAILED_RECORDS_KEPT) this.failedRecords.shift();
          this.done(shard, 1);
          continue;
        }
      }
      this.done(shard, end);
    }
    return { handed, blocked: false };
  }

  /**
   * Invokes the relay; resolves with the index of the first record to retry, or -1 when all succeeded.
   * As Lambda does: the lowest reported sequence number counts, and a thrown error or an identifier
   * that is not in the batch fails the whole batch (so a relay bug cannot skip records silently).
   */
  private async invokeRelay(batch: DynamoDBRecord[]): Promise<number> {
    let response: DynamoDBBatchResponse | undefined;
    try {
      response = (await this.invoke(this.relay.function, { Records: batch })) as DynamoDBBatchResponse | undefined;
    } catch {
      return 0;
    }
    const failures = response?.batchItemFailures ?? [];
    if (failures.length === 0) return -1;
    const indexes = failures.map((failure) => batch.findIndex((record) => record.dynamodb?.SequenceNumber === failure.itemIdentifier));
    return indexes.some((index) => index < 0) ? 0 : Math.min(...indexes);
  }

  /** The first `count` pending records are done: forget them, and move the shard's checkpoint past them. */
  private done(shard: ShardState, count: number): void {
    if (count <= 0) return;
    const records = shard.pending.splice(0, count);
    for (const record of records) this.attempts.delete(record.eventID!);
    const position = records.at(-1)!.dynamodb!.SequenceNumber!;
    this.checkpoints?.set(this.relay.function, this.streamArn, shard.shardId, position);
  }

  private async shardState(shardId: string): Promise<ShardState> {
    let state = this.shardStates.get(shardId);
    if (!state) {
      state = { shardId, iterator: await this.resumeIterator(shardId), pending: [] };
      this.shardStates.set(shardId, state);
    }
    return state;
  }

  /** GetRecords; should DynamoDB Local report a trimmed position, resume after the last record done. */
  private async getRecords(shard: ShardState) {
    try {
      return await this.client.send(new GetRecordsCommand({ ShardIterator: shard.iterator, Limit: PAGE_LIMIT }));
    } catch (error) {
      if (!isTrimmed(error)) throw error;
      return this.client.send(new GetRecordsCommand({ ShardIterator: await this.resumeIterator(shard.shardId), Limit: PAGE_LIMIT }));
    }
  }

  /**
   * Right after the checkpoint, or from the start of the shard. Not with a LATEST iterator: DynamoDB
   * Local numbers stream records across all tables, and a LATEST iterator taken on an empty shard fails
   * with TrimmedDataAccessException once another table has written before this shard's first record
   * (aws/aws-sdk-java#2923). A checkpoint older than the stream's retention is gone: start at the oldest
   * record still there, as the mapping does.
   */
  private async resumeIterator(shardId: string): Promise<string | undefined> {
    const checkpoint = this.checkpoints?.get(this.relay.function, this.streamArn, shardId);
    if (checkpoint) {
      try {
        const after = await this.client.send(
          new GetShardIteratorCommand({
            StreamArn: this.streamArn,
            ShardId: shardId,
            ShardIteratorType: 'AFTER_SEQUENCE_NUMBER',
            SequenceNumber: checkpoint,
          }),
        );
        return after.ShardIterator;
      } catch (error) {
        if (!isTrimmed(error)) throw error;
      }
    }
    const result = await this.client.send(
      new GetShardIteratorCommand({ StreamArn: this.streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    return result.ShardIterator;
  }

  private passesFilter(record: DynamoDBRecord): boolean {
    return matchesEventPattern(this.relay.filter as EventPattern, record);
  }

  /** The stream's shards: asked of the stream when `describe` or nothing is known yet, else the list last asked for. */
  private async shards(describe: boolean): Promise<string[]> {
    if (describe || !this.knownShards) {
      const described = await this.client.send(new DescribeStreamCommand({ StreamArn: this.streamArn }));
      const ids = (described.StreamDescription?.Shards ?? []).map((shard) => shard.ShardId!).filter(Boolean);
      this.knownShards = { ids, at: Date.now() };
    }
    return this.knownShards.ids;
  }
}

function isTrimmed(error: unknown): boolean {
  return error instanceof Error && error.name === 'TrimmedDataAccessException';
}

/** The SDK returns Dates where Lambda's event JSON has epoch seconds; otherwise the shapes agree. */
function toLambdaRecord(record: StreamRecord): DynamoDBRecord {
  const { dynamodb, ...rest } = record;
  return {
    ...(rest as DynamoDBRecord),
    dynamodb: dynamodb && {
      ...(dynamodb as NonNullable<DynamoDBRecord['dynamodb']>),
      ApproximateCreationDateTime: dynamodb.ApproximateCreationDateTime ? dynamodb.ApproximateCreationDateTime.getTime() / 1000 : undefined,
    },
  };
}
