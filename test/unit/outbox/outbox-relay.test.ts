/**
 * The outbox relay's failure path, with only EventBridge mocked (aws-sdk-client-mock): a real bus
 * cannot be made to reject single entries of one PutEvents call on demand.
 */
import { EventBridgeClient, PutEventsCommand, type PutEventsCommandInput } from '@aws-sdk/client-eventbridge';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { logger } from '../../../shared/observability/logger';

const BUS = 'leadpipe-relay-test';

/** An inserted outbox item as the stream delivers it; `n` is its position in the stream. */
function outboxRecord(n: number): DynamoDBRecord {
  const item = {
    pk: `LEAD#lead-${n}`,
    sk: `INTERACTION#${n}`,
    outbox: { source: 'leadpipe', detailType: 'Interaction Recorded', detail: JSON.stringify({ n }), time: '2026-12-01T10:00:00.000Z' },
  };
  return {
    eventID: `event-${n}`,
    eventName: 'INSERT',
    dynamodb: { SequenceNumber: String(1000 + n), NewImage: marshall(item) as NonNullable<DynamoDBRecord['dynamodb']>['NewImage'] },
  };
}

function streamEvent(count: number): DynamoDBStreamEvent {
  return { Records: Array.from({ length: count }, (_, n) => outboxRecord(n)) };
}

/** The `n` of each entry of one PutEvents call, in the order the call carried them. */
function entriesOf(input: PutEventsCommandInput): number[] {
  return (input.Entries ?? []).map((entry) => (JSON.parse(entry.Detail!) as { n: number }).n);
}

describe('outbox relay: PutEvents failures become batch item failures', () => {
  let handler: (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>;
  let bus: AwsClientStub<EventBridgeClient>;

  beforeAll(async () => {
    process.env.EVENT_BUS_NAME = BUS;
    const relay = await import('../../../functions/outbox-relay');
    handler = (event) => relay.handler(event, {} as Context);
  });
  afterEach(() => {
    bus?.restore();
    vi.restoreAllMocks();
  });

  it('relays every outbox record in stream order, in chunks of at most 10, and reports no failure', async () => {
    // Prepare
    bus = mockClient(EventBridgeClient);
    bus.on(PutEventsCommand).callsFake(async (input: PutEventsCommandInput) => ({
      FailedEntryCount: 0,
      Entries: input.Entries!.map((_, i) => ({ EventId: `id-${i}` })),
    }));

    // Act
    const response = await handler(streamEvent(23));

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(bus.commandCalls(PutEventsCommand).map((call) => entriesOf(call.args[0].input))).toEqual([
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      [10, 11, 12, 13, 14, 15, 16, 17, 18, 19],
      [20, 21, 22],
    ]);
    const first = bus.commandCalls(PutEventsCommand)[0]!.args[0].input.Entries![0];
    expect(first).toMatchObject({ EventBusName: BUS, Source: 'leadpipe', DetailType: 'Interaction Recorded' });
  });

  it('reports the first failed entry of a partial failure, and relays nothing after it', async () => {
    // Prepare: the second chunk (records 10-19) has records 14 and 17 rejected
    bus = mockClient(EventBridgeClient);
    bus.on(PutEventsCommand).callsFake(async (input: PutEventsCommandInput) => {
      const rejected = { ErrorCode: 'InternalFailure', ErrorMessage: 'try again' };
      const entries = entriesOf(input).map((n) => (n === 14 || n === 17 ? rejected : { EventId: `id-${n}` }));
      return { FailedEntryCount: entries.filter((entry) => 'ErrorCode' in entry).length, Entries: entries };
    });
    const warn = vi.spyOn(logger, 'warn').mockImplementation(() => undefined);

    // Act
    const response = await handler(streamEvent(23));

    // Assess: the stream retries from record 14; records 0-13 are done, nothing from the third chunk was sent
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '1014' }] });
    expect(bus.commandCalls(PutEventsCommand)).toHaveLength(2);
    const logged = expect.objectContaining({ failedEntryCount: 2, errorCode: 'InternalFailure' });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('PutEvents rejected entries'), logged);
  });

  it('reports the whole chunk when FailedEntryCount is set but no entry names an error', async () => {
    // Prepare
    bus = mockClient(EventBridgeClient);
    bus.on(PutEventsCommand).resolvesOnce({ FailedEntryCount: 0, Entries: [] }).resolves({ FailedEntryCount: 1, Entries: [] });

    // Act
    const response = await handler(streamEvent(15));

    // Assess
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '1010' }] });
  });

  it('reports the chunk from its first record when the call itself fails, and logs it with the logger', async () => {
    // Prepare
    bus = mockClient(EventBridgeClient);
    bus.on(PutEventsCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    const error = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    const consoleError = vi.spyOn(console, 'error');

    // Act
    const response = await handler(streamEvent(5));

    // Assess
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '1000' }] });
    expect(error).toHaveBeenCalledWith(expect.stringContaining('PutEvents failed'), { error: 'ThrottlingException: Rate exceeded' });
    expect(consoleError).not.toHaveBeenCalled();
  });
});
