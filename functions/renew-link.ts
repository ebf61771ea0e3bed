import { readEnv } from '../shared/config/read-env';
import { FUNCTION_ENV } from '../shared/wiring/function-config';
import { parseFormBody } from '../shared/capture/parse-form-body';
import { senderOf } from '../shared/email/email-templates';
import { emailSendingOf } from '../shared/email/send-email';
import { html, httpHandler, json } from '../shared/http/http-handler';
import { renderMessagePage } from '../shared/http/html-pages';
import { InvalidTokenError, TooManyRequestsError } from '../shared/http/http-errors';
import { header, prefersHtml, requestLocale, requestTime } from '../shared/http/request-info';
import { renewLink } from '../shared/links/renew-link';
import { logger } from '../shared/observability/logger';
import { loadAppSecrets, tokenVerificationKeys } from '../shared/security/app-secrets';
import { dynamoConsentStore } from '../shared/storage/dynamo-consent-store';
import { dynamoDownloadLinkStore } from '../shared/storage/dynamo-download-link-store';

const config = readEnv(FUNCTION_ENV['renew-link']);
const consentStore = dynamoConsentStore(config.TABLE_NAME);
const downloadStore = dynamoDownloadLinkStore(config.TABLE_NAME);
const sending = emailSendingOf(config);
const sender = senderOf(config);

const COPY = {
  de: {
    sentTitle: 'Neuer Link ist unterwegs',
    sent: 'Wir haben Ihnen einen neuen Link an Ihre E-Mail-Adresse gesendet. Bitte sehen Sie in Ihrem Postfach nach.',
    alreadyTitle: 'Bereits bestätigt',
    already: 'Ihre Anmeldung war bereits bestätigt. Sie brauchen keinen neuen Link.',
    nothingTitle: 'Kein neuer Link möglich',
    nothing: 'Für diesen Link können wir keinen neuen senden. Bitte nutzen Sie das Formular auf unserer Website erneut.',
  },
  en: {
    sentTitle: 'A new link is on its way',
    sent: 'We have sent a new link to your email address. Please check your inbox.',
    alreadyTitle: 'Already confirmed',
    already: 'Your subscription was already confirmed. You do not need a new link.',
    nothingTitle: 'No new link possible',
    nothing: 'We cannot send a new link for this one. Please use the form on our website again.',
  },
} as const;

/** POST /links/renew (the button on an expired confirm or download link's page): mails a fresh link to the lead's own address. */
export const handler = httpHandler(async (event) => {
  const { fields } = parseFormBody({
    contentType: header(event, 'content-type'),
    body: event.body,
    isBase64Encoded: event.isBase64Encoded,
  });
  const token = fields.token;
  if (typeof token !== 'string' || token === '') throw new InvalidTokenError('malformed');
  const secrets = await loadAppSecrets(process.env);
  const result = await renewLink(
    { token, at: requestTime(event), requestId: event.requestContext.requestId },
    {
      consentStore,
      downloadStore,
      sending,
      signingKey: secrets.signingKey,
      verificationKeys: tokenVerificationKeys(secrets),
      publicBaseUrl: config.PUBLIC_BASE_URL,
      sender,
    },
  );
  logger.info('link renewal', { outcome: result.outcome });
  if (result.outcome === 'rate-limited') throw new TooManyRequestsError(result.retryAfterSeconds);
  if (!prefersHtml(event)) return json(200, { status: result.outcome });
  const copy = COPY[result.locale ?? requestLocale(event)];
  const page = {
    sent: { title: copy.sentTitle, message: copy.sent, status: 'success' as const },
    'already-confirmed': { title: copy.alreadyTitle, message: copy.already, status: 'success' as const },
    'nothing-to-renew': { title: copy.nothingTitle, message: copy.nothing, status: 'info' as const },
  }[result.outcome];
  return html(200, renderMessagePage({ locale: result.locale ?? requestLocale(event), ...page }));
});
