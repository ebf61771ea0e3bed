/**
 * The one retry loop of the project. Every caller states its bound (how many attempts) and what is
 * worth another attempt; everything else is thrown at once. Between attempts it waits with "full
 * jitter" (a random delay up to an exponentially growing cap), so writers that collided on one item
 * do not collide again in lock step.
 */
export class RetriesExhaustedError extends Error {
  override name = 'RetriesExhaustedError';
  constructor(
    readonly what: string,
    readonly attempts: number,
    override readonly cause: unknown,
  ) {
    super(`${what}: gave up after ${attempts} attempts (${cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)})`);
  }
}

export interface RetryOptions {
  /** what is being retried, for the give-up error and logs */
  what: string;
  /** total attempts, the first included; at least 1 */
  attempts: number;
  /** true: wait and try again; false: rethrow at once */
  retryOn: (error: unknown) => boolean;
  /** cap of the first wait; doubles each attempt up to maxDelayMs (default 10 and 1000) */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** injectable for tests */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Delay before attempt `attempt + 1` (attempt counts from 1): uniform in [0, min(max, base * 2^(attempt-1))]. */
export function jitteredDelay(attempt: number, options: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs' | 'random'> = {}): number {
  const base = options.baseDelayMs ?? 10;
  const max = options.maxDelayMs ?? 1000;
  const cap = Math.min(max, base * 2 ** Math.min(attempt - 1, 30));
  return Math.floor((options.random ?? Math.random)() * cap);
}

export async function withRetry<T>(options: RetryOptions, attempt: (attemptNumber: number) => Promise<T>): Promise<T> {
  if (!Number.isInteger(options.attempts) || options.attempts < 1)
    throw new Error(`withRetry(${options.what}): attempts must be a whole number >= 1`);
  const sleep = options.sleep ?? defaultSleep;
  let lastError: unknown;
  for (let n = 1; n <= options.attempts; n += 1) {
    try {
      return await attempt(n);
    } catch (error) {
      if (!options.retryOn(error)) throw error;
      lastError = error;
      if (n < options.attempts) await sleep(jitteredDelay(n, options));
    }
  }
  throw new RetriesExhaustedError(options.what, options.attempts, lastError);
}
