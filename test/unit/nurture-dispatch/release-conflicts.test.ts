/**
 * Ending a claim when other writers keep changing the lead: the result is applied to what they stored,
 * and the retries are bounded (MAX_RELEASE_ATTEMPTS) with a typed give-up error. Pure logic: the real
 * dispatchNurture against the in-memory store, whose release is made to lose the race.
 */
import { describe, expect, it } from 'vitest';
import { defaultScoringConfig } from '../../../shared/domain/classification';
import { defaultNurtureConfig } from '../../../shared/domain/nurture';
import { dispatchNurture, MAX_RELEASE_ATTEMPTS, type DispatchDeps } from '../../../shared/nurture/dispatch-nurture';
import type { NurtureRelease } from '../../../shared/nurture/nurture-store';
import { nurtureFieldsFor } from '../../../shared/nurture/nurture-schedule';
import { RetriesExhaustedError } from '../../../shared/retry/with-retry';
import { InMemoryNurtureStore, type StoredLead } from '../nurture/in-memory-nurture-store';

const ENTERED = '2025-03-03T09:00:00.000Z';
const NOW = '2025-03-05T09:00:00.000Z';

/** A store whose first `conflicts` releases find the lead changed by another writer (who bumped its version). */
class ContestedStore extends InMemoryNurtureStore {
  releases = 0;
  constructor(private readonly conflicts: number) {
    super();
  }
  override async releaseStep(leadId: string, release: NurtureRelease): Promise<boolean> {
    this.releases += 1;
    if (this.releases <= this.conflicts) {
      const lead = this.lead(leadId)!;
      this.put({ ...lead, version: lead.version + 1, updatedAt: NOW }, [{ id: 'download-1', type: 'download', at: ENTERED }]);
    }
    return super.releaseStep(leadId, release);
  }
}

function arrange(conflicts: number): { store: ContestedStore; deps: DispatchDeps; sent: string[] } {
  const store = new ContestedStore(conflicts);
  const lead: StoredLead = {
    pk: 'LEAD#lead-1',
    sk: 'PROFILE',
    leadId: 'lead-1',
    email: 'nora@example.com',
    createdAt: ENTERED,
    updatedAt: ENTERED,
    version: 1,
    lifecycle: 'warm',
    funnelStage: 'tofu',
    consentRequestedAt: ENTERED,
    consentConfirmedAt: ENTERED,
  };
  const fields = nurtureFieldsFor(lead, ENTERED, defaultNurtureConfig);
  store.put({ ...lead, nurture: fields.nurture!, nurtureDueAt: fields.nurtureDueAt!, dueShard: fields.dueShard! }, [
    { id: 'download-1', type: 'download', at: ENTERED },
  ]);
  const sent: string[] = [];
  const deps: DispatchDeps = {
    store,
    reclassify: async () => ({ kind: 'unchanged' }),
    sendEmail: async (email) => {
      sent.push(email.step ?? '');
      return { messageId: `m-${sent.length}` };
    },
    retentionDays: 30,
    signingKey: 'release-conflicts-signing-key-of-32-bytes',
    publicBaseUrl: 'https://leadpipe.example',
    imprint: 'Leadpipe Example GmbH',
    senderName: 'Erika Mustermann',
    scoring: defaultScoringConfig,
    nurture: defaultNurtureConfig,
  };
  return { store, deps, sent };
}

describe('dispatchNurture: ending a claim that lost a race', () => {
  it('reads the lead again and applies the send to what the other writer stored', async () => {
    // Prepare: two other writes land between the claim and its release
    const { store, deps, sent } = arrange(2);

    // Act
    const report = await dispatchNurture(NOW, deps);

    // Assess
    expect(report.outcomes.sent).toBe(1);
    expect(sent).toEqual(['tofu-1']);
    expect(store.releases).toBe(3);
    expect(store.lead('lead-1')).toMatchObject({ nurture: { track: 'tofu', nextStep: 1, lastSentAt: NOW } });
    expect(store.lead('lead-1')!.nurtureSending).toBeUndefined();
  });

  it(`gives up after ${MAX_RELEASE_ATTEMPTS} lost races with a RetriesExhaustedError, not a loop`, async () => {
    // Prepare: every release loses
    const { store, deps } = arrange(Number.POSITIVE_INFINITY);

    // Act
    const run = dispatchNurture(NOW, deps);

    // Assess
    await expect(run).rejects.toBeInstanceOf(RetriesExhaustedError);
    await expect(run).rejects.toMatchObject({ attempts: MAX_RELEASE_ATTEMPTS, what: 'release the nurture claim of lead lead-1' });
    expect(store.releases).toBe(MAX_RELEASE_ATTEMPTS);
  });
});
