import { sendDownloadLink } from '../shared/capture/send-download-link';
import { readEnv } from '../shared/config/read-env';
import { FUNCTION_ENV } from '../shared/wiring/function-config';
import { eventHandler } from '../shared/events/event-handler';
import { InteractionRecorded } from '../shared/events/lead-events';
import { senderOf } from '../shared/email/email-templates';
import { emailSendingOf } from '../shared/email/send-email';
import { logger } from '../shared/observability/logger';
import { loadAppSecrets } from '../shared/security/app-secrets';
import { dynamoDownloadLinkStore } from '../shared/storage/dynamo-download-link-store';

const config = readEnv(FUNCTION_ENV['send-download-link']);

const store = dynamoDownloadLinkStore(config.TABLE_NAME);
const sending = emailSendingOf(config);
const sender = senderOf(config);

export const handler = eventHandler(InteractionRecorded, async ({ id, detail }) => {
  const { signingKey } = await loadAppSecrets(process.env);
  const outcome = await sendDownloadLink(
    { leadId: detail.leadId, interactionId: detail.interactionId, interactionAt: detail.at, assetId: detail.assetId ?? '', eventId: id },
    { store, sending, sender, signingKey, publicBaseUrl: config.PUBLIC_BASE_URL },
  );
  logger.info('download link', { leadId: detail.leadId, outcome });
  return { outcome };
});
