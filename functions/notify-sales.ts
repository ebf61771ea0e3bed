import { readEnv } from '../shared/config/read-env';
import { emailSendingOf } from '../shared/email/send-email';
import { eventHandler } from '../shared/events/event-handler';
import { LeadProductQualified, LeadQualified } from '../shared/events/lead-events';
import { logger } from '../shared/observability/logger';
import { notifySales } from '../shared/sales/notify-sales';
import { loadAppSecrets } from '../shared/security/app-secrets';
import { dynamoSalesStore } from '../shared/storage/dynamo-sales-store';
import { FUNCTION_ENV } from '../shared/wiring/function-config';

const config = readEnv(FUNCTION_ENV['notify-sales']);

const store = dynamoSalesStore(config.TABLE_NAME);
const sending = emailSendingOf(config);

/** Lead Qualified (MQL) and Lead Product Qualified (PQL) become one email to sales. */
export const handler = eventHandler([LeadQualified, LeadProductQualified], async ({ id, time, detailType, detail }) => {
  const { signingKey } = await loadAppSecrets(process.env);
  const outcome = await notifySales(
    {
      leadId: detail.lead.leadId,
      kind: detailType === LeadQualified.detailType ? 'MQL' : 'PQL',
      qualificationSeq: detail.qualificationSeq,
      eventId: id,
      at: time,
    },
    {
      store,
      sending,
      signingKey,
      publicBaseUrl: config.PUBLIC_BASE_URL,
      consoleUrl: config.CONSOLE_URL,
      salesRecipients: config.SALES_RECIPIENTS,
      salesLocale: config.SALES_LOCALE,
    },
  );
  logger.info('sales notification', { leadId: detail.lead.leadId, outcome });
  return { outcome };
});
