import { describe, expect, it } from 'vitest';
import { RetriesExhaustedError, jitteredDelay, withRetry } from '../../../shared/retry/with-retry';

class Conflict extends Error {}
const noSleep = async () => undefined;

describe('withRetry', () => {
  it('returns the first successful attempt and passes the attempt number', async () => {
    const seen: number[] = [];
    const result = await withRetry({ what: 'x', attempts: 5, retryOn: (e) => e instanceof Conflict, sleep: noSleep }, async (n) => {
      seen.push(n);
      if (n < 3) throw new Conflict();
      return 'ok';
    });
    expect(result).toBe('ok');
    expect(seen).toEqual([1, 2, 3]);
  });

  it('gives up after exactly the stated number of attempts with a typed error carrying the last cause', async () => {
    let calls = 0;
    const error = await withRetry({ what: 'write lead', attempts: 4, retryOn: () => true, sleep: noSleep }, async () => {
      calls += 1;
      throw new Conflict(`conflict ${calls}`);
    }).catch((e: unknown) => e);
    expect(calls).toBe(4);
    expect(error).toBeInstanceOf(RetriesExhaustedError);
    expect((error as RetriesExhaustedError).attempts).toBe(4);
    expect(((error as RetriesExhaustedError).cause as Error).message).toBe('conflict 4');
    expect((error as Error).message).toContain('write lead');
  });

  it('rethrows at once what is not worth another attempt', async () => {
    let calls = 0;
    const boom = new Error('item too large');
    await expect(
      withRetry({ what: 'x', attempts: 10, retryOn: (e) => e instanceof Conflict, sleep: noSleep }, async () => {
        calls += 1;
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(calls).toBe(1);
  });

  it('waits a jittered, exponentially capped delay between attempts and none after the last', async () => {
    const waits: number[] = [];
    await withRetry(
      {
        what: 'x',
        attempts: 4,
        retryOn: () => true,
        baseDelayMs: 10,
        maxDelayMs: 25,
        random: () => 0.999,
        sleep: async (ms) => void waits.push(ms),
      },
      async () => {
        throw new Conflict();
      },
    ).catch(() => undefined);
    expect(waits).toEqual([9, 19, 24]);
  });

  it('keeps every delay within [0, cap]', () => {
    for (let attempt = 1; attempt < 40; attempt += 1) {
      expect(jitteredDelay(attempt, { random: () => 0 })).toBe(0);
      expect(jitteredDelay(attempt, { random: () => 0.9999, maxDelayMs: 1000 })).toBeLessThan(1000);
    }
  });

  it('refuses a bound that is not a positive whole number', async () => {
    await expect(withRetry({ what: 'x', attempts: 0, retryOn: () => true }, async () => 1)).rejects.toThrow(/attempts/);
  });
});
