import { readEnv } from '../shared/config/read-env';
import { eventHandler } from '../shared/events/event-handler';
import { logger } from '../shared/observability/logger';
import { FUNNEL_PROJECTION_EVENTS, projectFunnelEvent } from '../shared/reporting/project-funnel';
import { dynamoFunnelProjectionStore } from '../shared/storage/dynamo-funnel-projection-store';
import { FUNCTION_ENV } from '../shared/wiring/function-config';

const config = readEnv(FUNCTION_ENV['project-funnel']);

const store = dynamoFunnelProjectionStore(config.TABLE_NAME);

/** Keeps the funnel's aggregate items (per day, and the totals) that the console and `leadpipe report funnel` read. */
export const handler = eventHandler(FUNNEL_PROJECTION_EVENTS, async (event) => {
  const outcome = await projectFunnelEvent(event, { store });
  if (outcome !== 'ignored') logger.info('funnel projection', { detailType: event.detailType, eventId: event.id, outcome });
  return { outcome };
});
