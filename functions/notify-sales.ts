import middy from '@middy/core';
import type { EventBridgeEvent } from 'aws-lambda';
import { readEnv } from '../shared/config/read-env';
import { FUNCTION_ENV } from '../shared/wiring/function-config';
import { declarationOf, parseDetail } from '../shared/events/define-event';
import { LeadProductQualified, LeadQualified } from '../shared/events/lead-events';
import { emailSendingOf } from '../shared/email/send-email';
import { logger } from '../shared/observability/logger';
import { notifySales } from '../shared/sales/notify-sales';
import { loadAppSecrets } from '../shared/security/app-secrets';
import { dynamoSalesStore } from '../shared/storage/dynamo-sales-store';

const config = readEnv(FUNCTION_ENV['notify-sales']);

const store = dynamoSalesStore(config.TABLE_NAME);
const sending = emailSendingOf(config);

/** Lead Qualified (MQL) and Lead Product Qualified (PQL) become one email to sales. */
export const handler = middy<EventBridgeEvent<string, unknown>, unknown>().handler(async (event) => {
  const declaration = declarationOf([LeadQualified, LeadProductQualified], event);
  if (!declaration) throw new Error(`notify-sales cannot handle ${event['detail-type']}`);
  const detail = parseDetail(declaration, event);
  const { signingKey } = await loadAppSecrets(process.env);
  const outcome = await notifySales(
    {
      leadId: detail.lead.leadId,
      kind: declaration === LeadQualified ? 'MQL' : 'PQL',
      qualificationSeq: detail.qualificationSeq,
      eventId: event.id,
      at: new Date(event.time).toISOString(),
    },
    {
      store,
      sending,
      signingKey,
      publicBaseUrl: config.PUBLIC_BASE_URL,
      salesRecipients: config.SALES_RECIPIENTS,
      salesLocale: config.SALES_LOCALE,
    },
  );
  logger.info('sales notification', { leadId: detail.lead.leadId, outcome });
  return { outcome };
});
