/**
 * recordSalesDecision against an in-memory SalesStore (the port), for the one path the real table
 * cannot produce on demand: a lead that another writer changes between every read and the
 * decision's write. The bound is DECISION_CONFLICT_ATTEMPTS reads and writes, then a typed give-up.
 */
import { describe, expect, it } from 'vitest';
import { defaultScoringConfig } from '../../../shared/domain/classification';
import { defaultNurtureConfig } from '../../../shared/domain/nurture';
import { RetriesExhaustedError } from '../../../shared/retry/with-retry';
import { DECISION_CONFLICT_ATTEMPTS, recordSalesDecision, type DecisionInput } from '../../../shared/sales/record-sales-decision';
import type { DecisionChange, SalesStore } from '../../../shared/sales/sales-store';
import type { LeadItem } from '../../../shared/storage/lead-item';

const AT = '2026-11-02T10:00:00.000Z';

const mql: LeadItem = {
  pk: 'LEAD#L1',
  sk: 'PROFILE',
  leadId: 'L1',
  email: 'hanna@acme.example',
  createdAt: '2026-10-01T09:00:00.000Z',
  updatedAt: '2026-11-01T09:00:00.000Z',
  version: 3,
  lifecycle: 'mql',
  qualificationSeq: 1,
};

/** The lead as stored; `losesRaces` writes fail that many times (another writer bumped the version each time). */
function storeWith(lead: LeadItem, losesRaces: number) {
  const writes: DecisionChange[] = [];
  let reads = 0;
  const notUsed = () => Promise.reject(new Error('not used by sales decisions'));
  const store: SalesStore = {
    getLead: async () => {
      reads += 1;
      return { ...lead, version: lead.version + reads - 1 };
    },
    getLeadWithInteractions: async () => ({ lead: await store.getLead(lead.leadId), interactions: [] }),
    recordDecision: async (change) => {
      writes.push(change);
      return writes.length > losesRaces;
    },
    claimNotification: notUsed,
    claimRecipient: notUsed,
    releaseRecipient: notUsed,
    markRecipientMailed: notUsed,
    recordingMailTo: () => ({ recordSentEmail: notUsed }),
  };
  return { store, writes, reads: () => reads };
}

function decide(store: SalesStore, decision: DecisionInput['decision'], reclassified: string[]) {
  return recordSalesDecision(
    {
      leadId: 'L1',
      link: { kind: 'MQL', seq: 1 },
      decision,
      ...(decision === 'recycled' ? { reason: 'bad_timing' as const } : {}),
      by: 'sales@example.com',
      at: AT,
    },
    {
      store,
      scoring: defaultScoringConfig,
      nurture: defaultNurtureConfig,
      reclassify: async (leadId) => {
        reclassified.push(leadId);
      },
    },
  );
}

describe('recordSalesDecision: lost races', () => {
  it('reads the lead again after a lost race and writes the decision on the version it read last', async () => {
    // Prepare
    const { store, writes, reads } = storeWith(mql, 2);
    const reclassified: string[] = [];

    // Act
    const outcome = await decide(store, 'recycled', reclassified);

    // Assess
    expect(outcome).toMatchObject({ applied: true, decision: { decision: 'recycled', reason: 'bad_timing', kind: 'MQL', seq: 1 } });
    expect(reads()).toBe(3);
    expect(writes.map((write) => write.expectedVersion)).toEqual([3, 4, 5]);
    expect(writes[2]).toMatchObject({ lifecycle: 'warm', recycle: { nurtureResumeAt: expect.any(String) } });
    expect(writes[2]!.events.map((event) => event.key)).toEqual(['decision#MQL#1', 'decision#MQL#1#stage']);
    expect(reclassified).toEqual(['L1']);
  });

  it(`gives up after ${DECISION_CONFLICT_ATTEMPTS} lost races with RetriesExhaustedError, and reclassifies nothing`, async () => {
    // Prepare
    const { store, writes } = storeWith(mql, Number.POSITIVE_INFINITY);
    const reclassified: string[] = [];

    // Act
    const decided = decide(store, 'accepted', reclassified);

    // Assess
    await expect(decided).rejects.toBeInstanceOf(RetriesExhaustedError);
    await expect(decided).rejects.toMatchObject({ attempts: DECISION_CONFLICT_ATTEMPTS });
    expect(writes).toHaveLength(DECISION_CONFLICT_ATTEMPTS);
    expect(reclassified).toEqual([]);
  });
});
