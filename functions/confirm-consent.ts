import { readEnv } from '../shared/config/read-env';
import { FUNCTION_ENV } from '../shared/wiring/function-config';
import { html, httpHandler, json, type HttpEvent } from '../shared/http/http-handler';
import { renderMessagePage } from '../shared/http/html-pages';
import { prefersHtml } from '../shared/http/request-info';
import { confirmActionPage, offeringNewLink, verifiedLink } from '../shared/http/token-page';
import { loadAppSecrets } from '../shared/security/app-secrets';
import { logger } from '../shared/observability/logger';
import { confirmTokenRequestedAt } from '../shared/consent/confirm-token-binding';
import { confirmConsent, type ConfirmOutcome } from '../shared/consent/confirm-consent';
import { dynamoConsentStore } from '../shared/storage/dynamo-consent-store';

const config = readEnv(FUNCTION_ENV['confirm-consent']);
const store = dynamoConsentStore(config.TABLE_NAME);

const COPY = {
  de: {
    title: 'Anmeldung bestätigen',
    ask: 'Bitte bestätigen Sie, dass Sie unsere E-Mails erhalten möchten.',
    button: 'Jetzt bestätigen',
    done: 'Vielen Dank! Ihre Anmeldung ist bestätigt.',
    already: 'Ihre Anmeldung war bereits bestätigt.',
    nothing: 'Für diesen Link gibt es nichts mehr zu bestätigen.',
    outdated: 'Dieser Link ist veraltet. Bitte verwenden Sie den Link aus der neuesten Bestätigungs-E-Mail.',
  },
  en: {
    title: 'Confirm your subscription',
    ask: 'Please confirm that you would like to receive our emails.',
    button: 'Confirm now',
    done: 'Thank you! Your subscription is confirmed.',
    already: 'Your subscription was already confirmed.',
    nothing: 'There is nothing left to confirm for this link.',
    outdated: 'This link is outdated. Please use the link in the newest confirmation email.',
  },
} as const;

/** A link for an earlier request (before a withdrawal or an erasure) is 'outdated': the page says to use the newest mail. */
function statusOf(outcome: ConfirmOutcome): 'confirmed' | 'already_confirmed' | 'outdated' | 'nothing_to_confirm' {
  if (outcome.confirmed) return 'confirmed';
  if (outcome.state === 'confirmed') return 'already_confirmed';
  return outcome.state === 'outdated' ? 'outdated' : 'nothing_to_confirm';
}

const loadSecrets = () => loadAppSecrets(process.env);
const renewable = { purpose: 'confirm', publicBaseUrl: config.PUBLIC_BASE_URL, loadSecrets } as const;

/**
 * GET shows a page whose button POSTs (confirmActionPage); POST confirms the double opt-in. An expired link's page offers
 * a new one (offeringNewLink).
 */
export const handler = httpHandler((event) => offeringNewLink(event, renewable, () => confirm(event)));

async function confirm(event: HttpEvent) {
  const { token, at, locale, isGet } = await verifiedLink(event, 'confirm', loadSecrets);
  const copy = COPY[locale];
  if (isGet) return confirmActionPage(event, config.PUBLIC_BASE_URL, locale, copy);
  const requestedAt = confirmTokenRequestedAt(token);
  const outcome = await confirmConsent({ leadId: token.leadId, at, tokenRequestedAt: requestedAt }, { store });
  const status = statusOf(outcome);
  logger.info('consent confirmation', { leadId: token.leadId, status });
  if (!prefersHtml(event) && event.headers?.accept?.includes('application/json')) return json(200, { status });
  const messages = { confirmed: copy.done, already_confirmed: copy.already, outdated: copy.outdated, nothing_to_confirm: copy.nothing };
  const message = messages[status];
  const tone = status === 'confirmed' || status === 'already_confirmed' ? 'success' : 'info';
  return html(200, renderMessagePage({ locale, title: copy.title, message, status: tone }));
}
