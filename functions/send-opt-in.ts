import { readEnv } from '../shared/config/read-env';
import { FUNCTION_ENV } from '../shared/wiring/function-config';
import { sendOptInIfDue } from '../shared/consent/send-opt-in';
import { eventHandler } from '../shared/events/event-handler';
import { InteractionRecorded } from '../shared/events/lead-events';
import { logger } from '../shared/observability/logger';
import { loadAppSecrets } from '../shared/security/app-secrets';
import { senderOf } from '../shared/email/email-templates';
import { emailSendingOf } from '../shared/email/send-email';
import { dynamoConsentStore } from '../shared/storage/dynamo-consent-store';

const config = readEnv(FUNCTION_ENV['send-opt-in']);

const store = dynamoConsentStore(config.TABLE_NAME);
const sending = emailSendingOf(config);
const sender = senderOf(config);

export const handler = eventHandler(InteractionRecorded, async ({ id, time, detail }) => {
  const { signingKey } = await loadAppSecrets(process.env);
  const outcome = await sendOptInIfDue(
    { leadId: detail.leadId, eventId: id, at: time },
    { store, sending, signingKey, publicBaseUrl: config.PUBLIC_BASE_URL, sender },
  );
  logger.info('opt-in', { leadId: detail.leadId, outcome });
  return { outcome };
});
