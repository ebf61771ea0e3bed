import { absoluteUrl, nonEmpty, readEnv } from '../shared/config/read-env';
import { html, httpHandler, json } from '../shared/http/http-handler';
import { renderActionPage, renderMessagePage } from '../shared/http/html-pages';
import { prefersHtml } from '../shared/http/request-info';
import { selfUrl, verifiedLink } from '../shared/http/token-page';
import { logger } from '../shared/observability/logger';
import { recordConsentConfirmation } from '../shared/storage/record-consent-confirmation';

const config = readEnv({ TABLE_NAME: nonEmpty(), PUBLIC_BASE_URL: absoluteUrl() });

const COPY = {
  de: {
    title: 'Anmeldung bestätigen',
    ask: 'Bitte bestätigen Sie, dass Sie unsere E-Mails erhalten möchten.',
    button: 'Jetzt bestätigen',
    done: 'Vielen Dank! Ihre Anmeldung ist bestätigt.',
    already: 'Ihre Anmeldung war bereits bestätigt.',
    nothing: 'Für diesen Link gibt es nichts mehr zu bestätigen.',
  },
  en: {
    title: 'Confirm your subscription',
    ask: 'Please confirm that you would like to receive our emails.',
    button: 'Confirm now',
    done: 'Thank you! Your subscription is confirmed.',
    already: 'Your subscription was already confirmed.',
    nothing: 'There is nothing left to confirm for this link.',
  },
} as const;

/**
 * GET shows a page whose button POSTs: mail scanners follow links, so a GET never changes state.
 * POST confirms the double opt-in.
 */
export const handler = httpHandler(async (event) => {
  const { token, at, locale, isGet } = await verifiedLink(event, 'confirm');
  const copy = COPY[locale];
  if (isGet) {
    return html(200, renderActionPage({ locale, title: copy.title, message: copy.ask, actionUrl: selfUrl(config.PUBLIC_BASE_URL, event), buttonLabel: copy.button }));
  }
  const outcome = await recordConsentConfirmation(config.TABLE_NAME, token.leadId, at);
  logger.info('consent confirmation', { leadId: token.leadId, confirmed: outcome.confirmed });
  const status = outcome.confirmed ? 'confirmed' : outcome.state === 'confirmed' ? 'already_confirmed' : 'nothing_to_confirm';
  if (!prefersHtml(event) && event.headers?.accept?.includes('application/json')) return json(200, { status });
  const message = outcome.confirmed ? copy.done : outcome.state === 'confirmed' ? copy.already : copy.nothing;
  return html(200, renderMessagePage({ locale, title: copy.title, message, status: outcome.confirmed || outcome.state === 'confirmed' ? 'success' : 'info' }));
});
