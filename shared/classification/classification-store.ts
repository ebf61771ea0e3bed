import type { Classification, Interaction } from '../domain/lead';
import type { DetailOf, EventDeclaration } from '../events/define-event';
import type { NurtureFields } from '../nurture/nurture-schedule';
import type { LeadItem } from '../storage/lead-item';

/**
 * What classification needs of storage (port; the DynamoDB adapter is shared/storage/dynamo-classification-store.ts):
 * the bounded input of a classification, and one write of its result guarded by the lead's version.
 */
export interface ClassificationStore {
  /**
   * The lead's profile, then at most `window.limit` of its newest interactions at or after `window.since`
   * (classification attributes only, in time order). No profile: `lead` is undefined.
   */
  loadClassificationInput(
    leadId: string,
    window: { since: string; limit: number },
  ): Promise<{ lead?: LeadItem; interactions: Interaction[] }>;
  /**
   * Stores the classification and its events in one write, only if the lead is still at `expectedVersion`
   * (the write bumps it). A lost race throws ClassificationConflictError; an item that would outgrow the
   * store's item size limit throws ItemTooLargeError (shared/storage/transaction-errors.ts); anything else as it came.
   */
  writeClassification(change: ClassificationChange): Promise<void>;
}

/** An event published if and only if the classification is stored; `key` names the transition, so it is published once. */
export interface ClassificationEvent<E extends EventDeclaration = EventDeclaration> {
  key: string;
  declaration: E;
  detail: DetailOf<E>;
  at: string;
}

export function classificationEvent<E extends EventDeclaration>(
  key: string,
  declaration: E,
  detail: DetailOf<E>,
  at: string,
): ClassificationEvent {
  return { key, declaration, detail, at };
}

export interface ClassificationChange {
  leadId: string;
  /** the lead's version the classification was computed from */
  expectedVersion: number;
  classification: Classification;
  nurture: NurtureFields;
  at: string;
  qualificationSeq: number;
  becameMql: boolean;
  becamePql: boolean;
  events: ClassificationEvent[];
}

/** The lead changed since it was read (or another write held it): read and compute again. */
export class ClassificationConflictError extends Error {
  override name = 'ClassificationConflictError';
  constructor(
    readonly leadId: string,
    override readonly cause: unknown,
  ) {
    super(`classification of lead ${leadId} lost a race (${cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)})`);
  }
}
