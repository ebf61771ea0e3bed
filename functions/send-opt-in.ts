import { readEnv } from '../shared/config/read-env';
import { FUNCTION_ENV } from '../shared/wiring/function-config';
import { sendOptInIfDue } from '../shared/consent/send-opt-in';
import { eventHandler } from '../shared/events/event-handler';
import { InteractionRecorded } from '../shared/events/lead-events';
import { logger } from '../shared/observability/logger';
import { loadAppSecrets } from '../shared/security/app-secrets';
import { dynamoSentEmailStore } from '../shared/storage/dynamo-sent-email-store';

const config = readEnv(FUNCTION_ENV['send-opt-in']);

const sentEmails = dynamoSentEmailStore(config.TABLE_NAME);

export const handler = eventHandler(InteractionRecorded, async ({ id, time, detail }) => {
  const { signingKey } = await loadAppSecrets();
  const outcome = await sendOptInIfDue(
    { leadId: detail.leadId, eventId: id, at: time },
    { tableName: config.TABLE_NAME, sentEmails, signingKey, publicBaseUrl: config.PUBLIC_BASE_URL },
  );
  logger.info('opt-in', { leadId: detail.leadId, outcome });
  return { outcome };
});
