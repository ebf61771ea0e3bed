import type { Interaction } from '../domain/lead';
import { InteractionRecorded } from '../events/lead-events';
import { keys, OUTBOX_ATTRIBUTE, type OutboxEntry } from './table-design';

/**
 * A stored interaction is also its own outbox entry: when it is inserted, the stream relay
 * publishes `Interaction Recorded` with the interaction's own time. Every writer of interactions
 * builds the item here.
 */
export function interactionItem(leadId: string, interaction: Interaction, options: { consentRequested: boolean; leadCreated?: boolean }) {
  const detail = InteractionRecorded.schema.parse({
    leadId,
    interactionId: interaction.id,
    type: interaction.type,
    at: interaction.at,
    assetId: interaction.assetId,
    funnelStage: interaction.funnelStage,
    consentRequested: options.consentRequested,
    ...(options.leadCreated ? { leadCreated: true } : {}),
  });
  const outbox: OutboxEntry = {
    source: InteractionRecorded.source,
    detailType: InteractionRecorded.detailType,
    detail: JSON.stringify(detail),
    time: interaction.at,
  };
  return { ...keys.interaction(leadId, interaction.at, interaction.id), leadId, ...interaction, [OUTBOX_ATTRIBUTE]: outbox };
}
