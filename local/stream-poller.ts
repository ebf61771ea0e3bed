import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord, DynamoDBStreamEvent, DynamoDBBatchResponse } from 'aws-lambda';
import type { FunctionName, StreamRelay } from '../shared/wiring/app-wiring';
import { matchesEventPattern, type EventPattern } from './event-bus/event-pattern-matcher';

const MAX_ATTEMPTS = 3;

type Invoke = (target: FunctionName, event: DynamoDBStreamEvent) => Promise<unknown>;

/**
 * Plays the part of Lambda's event source mapping for DynamoDB Local's stream: reads every shard,
 * applies the same filter criteria as the CDK mapping, invokes the relay in batches and, like
 * Lambda with ReportBatchItemFailures, retries from the first failed record.
 */
export class StreamPoller {
  private readonly iterators = new Map<string, string | undefined>();
  private readonly retryQueue: DynamoDBRecord[] = [];
  private readonly attempts = new Map<string, number>();
  /** records that failed every attempt: the local counterpart of the mapping's on-failure destination */
  readonly failedRecords: DynamoDBRecord[] = [];
  /** the last record read per shard: polling resumes after it */
  private readonly lastSequence = new Map<string, string>();
  private running: Promise<number> = Promise.resolve(0);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly client: DynamoDBStreamsClient,
    private readonly streamArn: string,
    private readonly relay: StreamRelay,
    private readonly invoke: Invoke,
  ) {}

  /**
   * Starts after the newest record of every open shard: data persisted from an earlier run is not
   * replayed. Not with a LATEST iterator: DynamoDB Local numbers stream records across all tables, and
   * a LATEST iterator taken on an empty shard fails with TrimmedDataAccessException once another table
   * has written before this shard's first record (aws/aws-sdk-java#2923).
   */
  async start(intervalMs = 200): Promise<void> {
    const shards = await this.shards();
    for (const shardId of shards) {
      if (this.iterators.has(shardId)) continue;
      const last = await this.newestSequenceNumber(shardId);
      if (last) this.lastSequence.set(shardId, last);
      this.iterators.set(shardId, await this.resumeIterator(shardId));
    }
    this.timer = setInterval(() => void this.pollOnce().catch(() => undefined), intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One pass over all shards; resolves with the number of records handed to the relay. Passes never overlap. */
  pollOnce(): Promise<number> {
    this.running = this.running.catch(() => 0).then(() => this.poll());
    return this.running;
  }

  private async poll(): Promise<number> {
    let delivered = 0;
    if (this.retryQueue.length > 0) {
      delivered += await this.deliver(this.retryQueue.splice(0));
      if (this.retryQueue.length > 0) return delivered;
    }
    for (const shardId of await this.shards()) {
      if (!this.iterators.has(shardId)) this.iterators.set(shardId, await this.iterator(shardId, 'TRIM_HORIZON'));
      let iterator = this.iterators.get(shardId);
      while (iterator) {
        const page = await this.getRecords(shardId, iterator);
        iterator = page.NextShardIterator;
        this.iterators.set(shardId, iterator);
        const last = page.Records?.at(-1)?.dynamodb?.SequenceNumber;
        if (last) this.lastSequence.set(shardId, last);
        const records = (page.Records ?? []).map(toLambdaRecord).filter((record) => this.passesFilter(record));
        if (records.length > 0) delivered += await this.deliver(records);
        // Keep stream order: nothing after a failed record is delivered before it succeeds.
        if (this.retryQueue.length > 0) return delivered;
        if ((page.Records ?? []).length === 0) break;
      }
    }
    return delivered;
  }

  /** GetRecords; should DynamoDB Local still report a trimmed position, resume after the last record read. */
  private async getRecords(shardId: string, iterator: string) {
    try {
      return await this.client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
    } catch (error) {
      if (!(error instanceof Error && error.name === 'TrimmedDataAccessException')) throw error;
      return this.client.send(new GetRecordsCommand({ ShardIterator: await this.resumeIterator(shardId), Limit: 1000 }));
    }
  }

  private async resumeIterator(shardId: string): Promise<string | undefined> {
    const last = this.lastSequence.get(shardId);
    const result = await this.client.send(
      new GetShardIteratorCommand({
        StreamArn: this.streamArn,
        ShardId: shardId,
        ...(last ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: last } : { ShardIteratorType: 'TRIM_HORIZON' }),
      }),
    );
    return result.ShardIterator;
  }

  /** Reads a shard from its start without delivering anything, for the sequence number of its newest record. */
  private async newestSequenceNumber(shardId: string): Promise<string | undefined> {
    let newest: string | undefined;
    let iterator = await this.iterator(shardId, 'TRIM_HORIZON');
    while (iterator) {
      const page = await this.client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
      newest = page.Records?.at(-1)?.dynamodb?.SequenceNumber ?? newest;
      if ((page.Records ?? []).length === 0) break;
      iterator = page.NextShardIterator;
    }
    return newest;
  }

  private async deliver(records: DynamoDBRecord[]): Promise<number> {
    for (let start = 0; start < records.length; start += this.relay.batchSize) {
      const batch = records.slice(start, start + this.relay.batchSize);
      let failedFrom = -1;
      try {
        const response = (await this.invoke(this.relay.function, { Records: batch })) as DynamoDBBatchResponse | undefined;
        const failed = response?.batchItemFailures?.[0]?.itemIdentifier;
        if (failed) failedFrom = batch.findIndex((record) => record.dynamodb?.SequenceNumber === failed);
      } catch {
        failedFrom = 0;
      }
      if (failedFrom >= 0) {
        const [failed, ...rest] = records.slice(start + failedFrom);
        const attempts = (this.attempts.get(failed!.eventID!) ?? 0) + 1;
        this.attempts.set(failed!.eventID!, attempts);
        // Like maximumRetryAttempts on the mapping: a poison record is set aside, not retried forever.
        if (attempts >= MAX_ATTEMPTS) this.failedRecords.push(failed!);
        else this.retryQueue.push(failed!);
        this.retryQueue.push(...rest);
        return start + failedFrom;
      }
    }
    return records.length;
  }

  private passesFilter(record: DynamoDBRecord): boolean {
    return matchesEventPattern(this.relay.filter as EventPattern, record);
  }

  private async shards(): Promise<string[]> {
    const described = await this.client.send(new DescribeStreamCommand({ StreamArn: this.streamArn }));
    return (described.StreamDescription?.Shards ?? []).map((shard) => shard.ShardId!).filter(Boolean);
  }

  private async iterator(shardId: string, type: 'LATEST' | 'TRIM_HORIZON'): Promise<string | undefined> {
    const result = await this.client.send(new GetShardIteratorCommand({ StreamArn: this.streamArn, ShardId: shardId, ShardIteratorType: type }));
    return result.ShardIterator;
  }
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
