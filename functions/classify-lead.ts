import { reclassifyLead } from '../shared/classification/reclassify-lead';
import { nonEmpty, readEnv } from '../shared/config/read-env';
import { defaultScoringConfig } from '../shared/domain/classification';
import { eventHandler } from '../shared/events/event-handler';
import { InteractionRecorded } from '../shared/events/lead-events';
import { logger } from '../shared/observability/logger';
import { recordClassificationMetrics } from '../shared/classification/classification-metrics';

const config = readEnv({ TABLE_NAME: nonEmpty() });

/** Every interaction re-classifies its lead; the event's time is "now" for decay. */
export const handler = eventHandler(InteractionRecorded, async ({ time, detail }) => {
  const outcome = await reclassifyLead(config.TABLE_NAME, detail.leadId, time, defaultScoringConfig);
  recordClassificationMetrics(outcome);
  logger.info('classified', { leadId: detail.leadId, ...outcome });
  return outcome;
});
