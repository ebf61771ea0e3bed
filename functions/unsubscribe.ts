import { readEnv } from '../shared/config/read-env';
import { FUNCTION_ENV } from '../shared/wiring/function-config';
import { html, httpHandler } from '../shared/http/http-handler';
import { renderMessagePage } from '../shared/http/html-pages';
import { confirmActionPage, verifiedLink } from '../shared/http/token-page';
import { loadAppSecrets } from '../shared/security/app-secrets';
import { logger } from '../shared/observability/logger';
import { countCampaignUnsubscribe } from '../shared/campaigns/campaign-unsubscribe';
import { dynamoCampaignStore } from '../shared/storage/dynamo-campaign-store';
import { dynamoConsentStore } from '../shared/storage/dynamo-consent-store';
import { dynamoFunnelProjectionStore } from '../shared/storage/dynamo-funnel-projection-store';
import { projectUnsubscribe } from '../shared/reporting/project-funnel';

const config = readEnv(FUNCTION_ENV.unsubscribe);
const store = dynamoConsentStore(config.TABLE_NAME);
const campaigns = dynamoCampaignStore(config.TABLE_NAME);
const projection = dynamoFunnelProjectionStore(config.TABLE_NAME);

const COPY = {
  de: {
    title: 'Abmelden',
    ask: 'Möchten Sie keine Marketing-E-Mails mehr von uns erhalten?',
    button: 'Abmelden',
    done: 'Sie sind abgemeldet und erhalten keine Marketing-E-Mails mehr.',
  },
  en: {
    title: 'Unsubscribe',
    ask: 'Do you want to stop receiving marketing emails from us?',
    button: 'Unsubscribe',
    done: 'You are unsubscribed and will receive no more marketing emails.',
  },
} as const;

/**
 * RFC 8058 one-click unsubscribe: mail clients POST `List-Unsubscribe=One-Click` to the link from the
 * List-Unsubscribe header; people clicking the footer link get a page whose button POSTs the same.
 * Unsubscribe tokens never expire, so an old email can always be used to leave.
 */
export const handler = httpHandler(async (event) => {
  const { token, at, locale, isGet } = await verifiedLink(event, 'unsubscribe', () => loadAppSecrets(process.env));
  const copy = COPY[locale];
  if (isGet) return confirmActionPage(event, config.PUBLIC_BASE_URL, locale, copy);
  // An erased or unknown lead has nothing to withdraw; the answer is the same, so the link reveals nothing.
  const withdrawn = await store.withdrawConsent(token.leadId, at);
  // A campaign mail's link names its campaign: the unsubscribe counts in that campaign's figures, once.
  if (withdrawn) {
    await countCampaignUnsubscribe(campaigns, token);
    // ... and in the template's figures of the funnel read model (a nurture step's or the campaign's), once.
    await projectUnsubscribe({ leadId: token.leadId, data: token.data, at }, { store: projection });
  }
  logger.info('unsubscribe', { leadId: token.leadId, withdrawn });
  return html(200, renderMessagePage({ locale, title: copy.title, message: copy.done, status: 'success' }));
});
