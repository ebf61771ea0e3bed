/**
 * A test double of the NurtureStore port that keeps leads in a Map, for the pure-logic tests that drive
 * the real dispatchNurture over virtual time. It models what the DynamoDB adapter promises (and the
 * integration tests check of the adapter): every write bumps the lead's version, and the guarded writes
 * answer false, changing nothing, when the lead changed since it was read. Reads and writes copy, so the
 * dispatcher cannot change what is stored except through the port.
 */
import type { Interaction } from '../../../shared/domain/lead';
import type { DueTime, LeadSnapshot, NurtureClaim, NurtureRelease, NurtureStore } from '../../../shared/nurture/nurture-store';
import type { LeadItem } from '../../../shared/storage/lead-item';

/** The profile as the table holds it: the in-flight mark is not part of LeadItem. */
export type StoredLead = LeadItem & { nurtureSending?: { track: string; step: number; claimedAt: string }; optInSentAtClaim?: string };

interface StoredPartition {
  lead: StoredLead;
  interactions: Interaction[];
}

export class InMemoryNurtureStore implements NurtureStore {
  private readonly partitions = new Map<string, StoredPartition>();

  /** Arrange: stores a lead (a copy) as a writer outside the dispatcher would. */
  put(lead: StoredLead, interactions: readonly Interaction[] = []): void {
    this.partitions.set(lead.leadId, structuredClone({ lead, interactions: [...interactions] }));
  }

  /** Arrange or assess: the stored profile (a copy), undefined once erased. */
  lead(leadId: string): StoredLead | undefined {
    const stored = this.partitions.get(leadId);
    return stored ? structuredClone(stored.lead) : undefined;
  }

  async dueLeadIds(shard: string, now: string): Promise<{ leadIds: string[]; readUnits: number }> {
    const leadIds = [...this.partitions.values()]
      .filter(({ lead }) => lead.dueShard === shard && lead.nurtureDueAt !== undefined && lead.nurtureDueAt <= now)
      .map(({ lead }) => lead.leadId);
    return { leadIds, readUnits: 0 };
  }

  async readLead(leadId: string): Promise<LeadSnapshot | undefined> {
    const stored = this.partitions.get(leadId);
    if (!stored) return undefined;
    const { lead, interactions } = structuredClone(stored);
    return { lead, interactions, emails: [], consentEvidenceKeys: [] };
  }

  async claimStep(leadId: string, claim: NurtureClaim): Promise<boolean> {
    return this.write(leadId, claim.version, (lead) => {
      if (lead.nurtureSending && !(lead.nurtureSending.claimedAt < claim.staleBefore)) return false;
      lead.nurture = claim.state;
      lead.nurtureSending = { track: claim.state.track, step: claim.step, claimedAt: claim.at };
      return true;
    });
  }

  async releaseStep(leadId: string, release: NurtureRelease): Promise<boolean> {
    return this.write(leadId, release.expectedVersion, (lead) => {
      lead.nurture = release.state;
      delete lead.nurtureSending;
      setDue(lead, release);
      if (release.failure) lead.nurtureFailures = [...(lead.nurtureFailures ?? []), release.failure];
      return true;
    });
  }

  async storeDueTime(leadId: string, version: number, due: DueTime): Promise<void> {
    this.write(leadId, version, (lead) => {
      setDue(lead, due);
      return true;
    });
  }

  async dropConsentRequest(snapshot: LeadSnapshot): Promise<boolean> {
    return this.write(snapshot.lead.leadId, snapshot.lead.version, (lead) => {
      const dropped: Array<keyof StoredLead> = [
        'consentRequestedAt',
        'consentEvidence',
        'consentEvidenceFirst',
        'consentEvidenceLatest',
        'optInSentAt',
        'optInSentAtClaim',
      ];
      for (const field of dropped) delete lead[field];
      return true;
    });
  }

  async eraseLead(leadId: string): Promise<void> {
    this.partitions.delete(leadId);
  }

  /** One conditional write: only if the lead exists (and has `expectedVersion`, if given) and `change` agrees; bumps the version. */
  private write(leadId: string, expectedVersion: number | undefined, change: (lead: StoredLead) => boolean): boolean {
    const stored = this.partitions.get(leadId);
    if (!stored || (expectedVersion !== undefined && stored.lead.version !== expectedVersion)) return false;
    const lead = structuredClone(stored.lead);
    if (!change(lead)) return false;
    lead.version += 1;
    stored.lead = lead;
    return true;
  }
}

function setDue(lead: StoredLead, { dueAt, dueShard }: DueTime): void {
  if (dueAt && dueShard) {
    lead.nurtureDueAt = dueAt;
    lead.dueShard = dueShard;
  } else {
    delete lead.nurtureDueAt;
    delete lead.dueShard;
  }
}
