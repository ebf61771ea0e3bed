import { absoluteUrl, readEnv, nonEmpty } from '../shared/config/read-env';
import { sendOptInIfDue } from '../shared/consent/send-opt-in';
import { eventHandler } from '../shared/events/event-handler';
import { InteractionRecorded } from '../shared/events/lead-events';
import { logger } from '../shared/observability/logger';
import { loadAppSecrets } from '../shared/security/app-secrets';

const config = readEnv({ TABLE_NAME: nonEmpty(), PUBLIC_BASE_URL: absoluteUrl() });

export const handler = eventHandler(InteractionRecorded, async ({ id, time, detail }) => {
  const { signingKey } = await loadAppSecrets();
  const outcome = await sendOptInIfDue(
    { leadId: detail.leadId, eventId: id, at: time },
    { tableName: config.TABLE_NAME, signingKey, publicBaseUrl: config.PUBLIC_BASE_URL },
  );
  logger.info('opt-in', { leadId: detail.leadId, outcome });
  return { outcome };
});
