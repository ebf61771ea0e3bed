import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { traced } from '../observability/tracer';

/** Created once per module; the local queue (local/queue/local-queue.ts) is reached through AWS_ENDPOINT_URL_SQS. */
export const sqs = traced(new SQSClient({}));

/** SendMessageBatch takes at most 10 entries. */
const MAX_ENTRIES = 10;
/** Entries SQS failed on its side (SenderFault false) are sent again this often before the call gives up. */
const ATTEMPTS = 3;

/**
 * Sends message bodies with SendMessageBatch, 10 per call. SQS answers per entry: entries that failed are sent
 * again (a partial failure is not an error of the call), and any still failing throw, so the caller's own
 * message is redelivered and the bodies sent again. Callers make their messages safe to receive twice.
 */
export async function sendMessages(queueUrl: string, bodies: readonly string[], client: Pick<SQSClient, 'send'> = sqs): Promise<number> {
  let calls = 0;
  for (let start = 0; start < bodies.length; start += MAX_ENTRIES) {
    let entries = bodies.slice(start, start + MAX_ENTRIES).map((body, i) => ({ Id: String(start + i), MessageBody: body }));
    for (let attempt = 1; entries.length > 0; attempt += 1) {
      calls += 1;
      const answer = await client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
      const failed = answer.Failed ?? [];
      if (failed.length === 0) break;
      const senderFault = failed.find((entry) => entry.SenderFault);
      if (senderFault || attempt >= ATTEMPTS) {
        const first = senderFault ?? failed[0]!;
        throw new Error(`SendMessageBatch to ${queueUrl}: ${failed.length} entries failed (${first.Code}: ${first.Message ?? ''})`);
      }
      const retry = new Set(failed.map((entry) => entry.Id));
      entries = entries.filter((entry) => retry.has(entry.Id));
    }
  }
  return calls;
}
