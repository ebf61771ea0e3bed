import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { eventBridge } from '../shared/adapters/event-bridge-client';
import { readEnv } from '../shared/config/read-env';
import { logger } from '../shared/observability/logger';
import { observedHandler } from '../shared/observability/observed-handler';
import { FUNCTION_ENV } from '../shared/wiring/function-config';
import { outboxEventsFromRecords } from '../shared/outbox/outbox-entries';

const config = readEnv(FUNCTION_ENV['outbox-relay']);
const PUT_EVENTS_MAX_ENTRIES = 10;

/**
 * Relays outbox items from the table's stream to the event bus. A failed entry is reported as a
 * batch item failure, so the stream retries from it: nothing stored is lost, at worst sent twice.
 */
export const handler = observedHandler<DynamoDBStreamEvent, DynamoDBBatchResponse>().handler(async (event) => {
  const pending = outboxEventsFromRecords(event.Records, config.EVENT_BUS_NAME);
  for (let start = 0; start < pending.length; start += PUT_EVENTS_MAX_ENTRIES) {
    const chunk = pending.slice(start, start + PUT_EVENTS_MAX_ENTRIES);
    const firstFailed = await putChunk(chunk.map((p) => p.entry));
    if (firstFailed !== undefined) {
      return { batchItemFailures: [{ itemIdentifier: chunk[firstFailed]!.sequenceNumber }] };
    }
  }
  return { batchItemFailures: [] };
});

/** Index of the first entry the bus did not take, or undefined when it took them all. */
async function putChunk(entries: PutEventsRequestEntry[]): Promise<number | undefined> {
  try {
    const result = await eventBridge.send(new PutEventsCommand({ Entries: entries }));
    if (!result.FailedEntryCount) return undefined;
    // Entries answers the request entry by entry; should it not say which one failed, retry the whole chunk.
    const index = (result.Entries ?? []).findIndex((entry) => entry.ErrorCode);
    const failed = Math.max(index, 0);
    const { ErrorCode: errorCode, ErrorMessage: errorMessage } = result.Entries?.[failed] ?? {};
    logger.warn('PutEvents rejected entries; the stream retries from the first', {
      failedEntryCount: result.FailedEntryCount,
      firstFailed: failed,
      errorCode,
      errorMessage,
    });
    return failed;
  } catch (error) {
    const described = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    logger.error('PutEvents failed; the stream retries the chunk', { error: described });
    return 0;
  }
}
