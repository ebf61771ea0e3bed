import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { eventBridge } from '../shared/adapters/event-bridge-client';
import { nonEmpty, readEnv } from '../shared/config/read-env';
import { outboxEventsFromRecords } from '../shared/outbox/outbox-entries';

const config = readEnv({ EVENT_BUS_NAME: nonEmpty() });
const PUT_EVENTS_MAX_ENTRIES = 10;

/**
 * Relays outbox items from the table's stream to the event bus. A failed entry is reported as a
 * batch item failure, so the stream retries from it: nothing stored is lost, at worst sent twice.
 */
export const handler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const pending = outboxEventsFromRecords(event.Records, config.EVENT_BUS_NAME);
  for (let start = 0; start < pending.length; start += PUT_EVENTS_MAX_ENTRIES) {
    const chunk = pending.slice(start, start + PUT_EVENTS_MAX_ENTRIES);
    const firstFailed = await putChunk(chunk.map((p) => p.entry));
    if (firstFailed !== undefined) {
      return { batchItemFailures: [{ itemIdentifier: chunk[firstFailed]!.sequenceNumber }] };
    }
  }
  return { batchItemFailures: [] };
};

async function putChunk(entries: PutEventsRequestEntry[]): Promise<number | undefined> {
  try {
    const result = await eventBridge.send(new PutEventsCommand({ Entries: entries }));
    if (!result.FailedEntryCount) return undefined;
    const index = (result.Entries ?? []).findIndex((entry) => entry.ErrorCode);
    return index < 0 ? 0 : index;
  } catch (error) {
    console.error(JSON.stringify({ message: 'PutEvents failed', error: String(error) }));
    return 0;
  }
}
