import type { SignalStore } from '../signals/signal-store';
import { recordSignalInteraction } from './record-interaction';

/** The signal store in the lead table: one TransactWriteItems per signal (see record-interaction.ts). */
export function dynamoSignalStore(tableName: string): SignalStore {
  return {
    recordInteraction: (leadId, interaction, signal) => recordSignalInteraction(tableName, leadId, interaction, signal),
  };
}
