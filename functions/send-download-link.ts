import { sendDownloadLink } from '../shared/capture/send-download-link';
import { absoluteUrl, nonEmpty, readEnv } from '../shared/config/read-env';
import { eventHandler } from '../shared/events/event-handler';
import { InteractionRecorded } from '../shared/events/lead-events';
import { logger } from '../shared/observability/logger';
import { loadAppSecrets } from '../shared/security/app-secrets';

const config = readEnv({ TABLE_NAME: nonEmpty(), PUBLIC_BASE_URL: absoluteUrl() });

export const handler = eventHandler(InteractionRecorded, async ({ id, detail }) => {
  const { signingKey } = await loadAppSecrets();
  const outcome = await sendDownloadLink(
    { leadId: detail.leadId, interactionId: detail.interactionId, interactionAt: detail.at, assetId: detail.assetId ?? '', eventId: id },
    { tableName: config.TABLE_NAME, signingKey, publicBaseUrl: config.PUBLIC_BASE_URL },
  );
  logger.info('download link', { leadId: detail.leadId, outcome });
  return { outcome };
});
