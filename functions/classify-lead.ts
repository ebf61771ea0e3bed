import { reclassifyLead } from '../shared/classification/reclassify-lead';
import { readEnv } from '../shared/config/read-env';
import { FUNCTION_ENV } from '../shared/wiring/function-config';
import { defaultScoringConfig } from '../shared/domain/classification';
import { eventHandler } from '../shared/events/event-handler';
import { InteractionRecorded } from '../shared/events/lead-events';
import { logger } from '../shared/observability/logger';
import { recordClassificationMetrics } from '../shared/classification/classification-metrics';
import { dynamoClassificationStore } from '../shared/storage/dynamo-classification-store';
import { ItemTooLargeError } from '../shared/storage/transaction-errors';

const config = readEnv(FUNCTION_ENV['classify-lead']);
const store = dynamoClassificationStore(config.TABLE_NAME);
const deps = { store, retentionDays: config.RETENTION_DAYS };

/** Every interaction re-classifies its lead; the event's time is "now" for decay. */
export const handler = eventHandler(InteractionRecorded, async ({ time, detail }) => {
  const outcome = await reclassifyLead(deps, detail.leadId, time, defaultScoringConfig).catch((error: unknown) => {
    // Not a conflict and not transient: say what it is, then fail the event so it is dead-lettered under its own name.
    if (error instanceof ItemTooLargeError)
      logger.error('lead item too large to store its classification', { leadId: detail.leadId, error: error.message });
    throw error;
  });
  recordClassificationMetrics(outcome);
  logger.info('classified', { leadId: detail.leadId, ...outcome });
  return outcome;
});
