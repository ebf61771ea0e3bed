import type { NurtureState } from '../domain/nurture';
import type { LeadItem } from '../storage/lead-item';
import type { LeadPartition } from '../storage/lead-partition';

/**
 * What the nurture run needs of storage, in its own terms: the due index, the lead as last stored, and
 * the guarded writes of a run. The DynamoDB adapter is shared/storage/dynamo-nurture-store.ts; the
 * property tests drive the dispatcher through an in-memory one.
 *
 * Every write is guarded by the lead's version (each write bumps it), so a write computed from a stale
 * read answers false (or is dropped, for the due time) instead of overwriting another writer's change.
 */
export interface NurtureStore {
  /** The ids of the leads due at or before `now` in one shard of the due index, and the read units it cost. */
  dueLeadIds(shard: string, now: string): Promise<{ leadIds: string[]; readUnits: number }>;
  /** The lead's profile with its interactions and emails, as last written; undefined when it has no profile. */
  readLead(leadId: string): Promise<LeadSnapshot | undefined>;
  /**
   * Claims one step before it is sent: stores the state and marks the step in flight, unless the lead
   * changed since `version` or another run holds a claim made at or after `staleBefore`. False: not claimed.
   */
  claimStep(leadId: string, claim: NurtureClaim): Promise<boolean>;
  /**
   * Ends a claim: stores the state and due time, appends `failure` if given, and clears the in-flight mark.
   * With `expectedVersion`, false when another writer wrote the lead since; without it, false only when the lead is gone.
   */
  releaseStep(leadId: string, release: NurtureRelease): Promise<boolean>;
  /** Keeps the due index in step with what nurture does next; does nothing if the lead changed since `version`. */
  storeDueTime(leadId: string, version: number, due: DueTime): Promise<void>;
  /**
   * Drops an expired, unconfirmed consent request and its evidence (on the profile and on every interaction
   * that carries it) if the lead is still as read. False: another writer came in between, nothing dropped.
   */
  dropConsentRequest(snapshot: LeadSnapshot): Promise<boolean>;
  /** Deletes everything stored for the lead, without suppressing the address (data minimisation, not a request). */
  eraseLead(leadId: string, at: string): Promise<void>;
}

/** A lead's partition with the profile known to exist. */
export type LeadSnapshot = LeadPartition & { lead: LeadItem };

/** Where a lead sits in the due index; both null: nowhere (nothing scheduled). */
export interface DueTime {
  dueAt: string | null;
  dueShard: string | null;
}

export interface NurtureClaim {
  /** the lead's version as read */
  version: number;
  /** the nurture state to store with the claim (the lead may just have entered a track) */
  state: NurtureState;
  step: number;
  at: string;
  /** a claim made before this belongs to a run that died mid-send, and may be taken over */
  staleBefore: string;
}

export interface NurtureRelease extends DueTime {
  state: NurtureState;
  failure?: NurtureFailure;
  expectedVersion?: number;
}

export interface NurtureFailure {
  step: string;
  templateId: string;
  error: string;
  at: string;
}
