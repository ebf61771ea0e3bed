import { withRetry } from '../retry/with-retry';

/** Thrown between attempts only: some requests of a batch came back unprocessed (throttling). */
class StillUnprocessedError extends Error {
  override name = 'StillUnprocessedError';
}

/** BatchGetItem / BatchWriteItem answer throttling with unprocessed requests, not an error: 9 sends at most. */
export const BATCH_ATTEMPTS = 9;

/**
 * Sends a batch again and again with what came back unprocessed, with the same jittered backoff as
 * every other retry (50 ms doubling up to 2 s), until nothing is left; gives up with
 * RetriesExhaustedError after BATCH_ATTEMPTS sends.
 */
export async function untilAllProcessed<R>(what: string, requests: R[], send: (pending: R[]) => Promise<R[]>): Promise<void> {
  let pending = requests;
  if (pending.length === 0) return;
  await withRetry(
    { what, attempts: BATCH_ATTEMPTS, retryOn: (error) => error instanceof StillUnprocessedError, baseDelayMs: 50, maxDelayMs: 2000 },
    async () => {
      pending = await send(pending);
      if (pending.length > 0) throw new StillUnprocessedError(`${pending.length} requests left unprocessed`);
    },
  );
}
