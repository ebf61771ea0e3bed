import type { Interaction } from '../domain/lead';

/** What signal ingestion needs of storage (port; the DynamoDB adapter is shared/storage/dynamo-signal-store.ts). */
export interface SignalStore {
  /**
   * Records a signal's interaction in one write, creating a warm lead without marketing consent for an unknown
   * address: 'duplicate' when the signal (`signalKey`) was recorded before, 'erased' when the address was erased
   * (nothing written: an erased person is never re-created by a late or replayed signal).
   */
  recordInteraction(
    leadId: string,
    interaction: Interaction,
    signal: { email: string; signalKey: string },
  ): Promise<'recorded' | 'duplicate' | 'erased'>;
}
