/**
 * confirmConsent against an in-memory ConsentStore: a lost race (the lead was written between the read and the
 * write) is read and decided again, at most CONFIRM_ATTEMPTS times. DynamoDB Local cannot be made to lose a race on
 * demand; the real store is covered by test/integration/capture/double-opt-in.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { CONFIRM_ATTEMPTS, confirmConsent } from '../../../shared/consent/confirm-consent';
import type { ConsentStore } from '../../../shared/consent/consent-store';
import { RetriesExhaustedError } from '../../../shared/retry/with-retry';
import type { LeadItem } from '../../../shared/storage/lead-item';

const REQUESTED_AT = '2026-05-03T10:00:00.000Z';
const AT = '2026-05-04T10:00:00.000Z';

/** A pending lead whose confirmation write loses `losses` races, then succeeds. */
function racingStore(losses: number): { store: ConsentStore; reads: () => number; writes: number[] } {
  let reads = 0;
  const writes: number[] = [];
  const store: ConsentStore = {
    recordSentEmail: async () => {},
    claimOptInMail: async () => true,
    withdrawConsent: async () => true,
    getLead: async () => {
      reads += 1;
      const lead = { leadId: 'Lc', email: 'jane@acme.example', createdAt: REQUESTED_AT, version: reads, consentRequestedAt: REQUESTED_AT };
      return lead as unknown as LeadItem;
    },
    recordConfirmation: async (_leadId, { expectedVersion }) => {
      writes.push(expectedVersion);
      return writes.length > losses;
    },
  };
  return { store, reads: () => reads, writes };
}

describe('confirmConsent: a lost race', () => {
  it('reads again and confirms with the version it read last', async () => {
    // Prepare
    const { store, writes } = racingStore(2);

    // Act
    const outcome = await confirmConsent({ leadId: 'Lc', at: AT, tokenRequestedAt: REQUESTED_AT }, { store });

    // Assess
    expect(outcome).toEqual({ confirmed: true });
    expect(writes).toEqual([1, 2, 3]);
  });

  it(`gives up after ${CONFIRM_ATTEMPTS} attempts when every write loses`, async () => {
    // Prepare
    const { store, reads, writes } = racingStore(Number.POSITIVE_INFINITY);

    // Act
    const error = await confirmConsent({ leadId: 'Lc', at: AT, tokenRequestedAt: REQUESTED_AT }, { store }).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(RetriesExhaustedError);
    expect(reads()).toBe(CONFIRM_ATTEMPTS);
    expect(writes).toHaveLength(CONFIRM_ATTEMPTS);
  });
});
