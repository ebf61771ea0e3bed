import { captureSubmission } from '../shared/capture/capture-submission';
import { validateForm, negotiateLocale, type FormName, type ValidForm } from '../shared/capture/form-schemas';
import { parseFormBody } from '../shared/capture/parse-form-body';
import { resolveRedirect } from '../shared/capture/redirect-allowlist';
import { withThankYouParams } from '../shared/capture/redirect-params';
import { readEnv } from '../shared/config/read-env';
import { FUNCTION_ENV } from '../shared/wiring/function-config';
import { backLinkUrl } from '../shared/http/back-link';
import { html, httpHandler, json, seeOther, type HttpEvent } from '../shared/http/http-handler';
import { errorBody, NotFoundError, ValidationError } from '../shared/http/http-errors';
import { fieldMessage, renderFieldErrorsPage } from '../shared/http/html-pages';
import { header, requestTime, sourceIp, userAgent } from '../shared/http/request-info';
import { logger } from '../shared/observability/logger';
import { countMetric } from '../shared/observability/metrics';
import { loadAppSecrets } from '../shared/security/app-secrets';
import { dynamoCaptureStore } from '../shared/storage/dynamo-capture-store';

const config = readEnv(FUNCTION_ENV['capture-form']);
const store = dynamoCaptureStore(config.TABLE_NAME);

const FORM_BY_PATH: Record<string, FormName> = {
  '/forms/newsletter': 'newsletter',
  '/forms/download': 'download',
  '/forms/contact': 'contact',
};

/** Adapts a form POST: parse, validate, one use case call, then JSON or a 303 for plain HTML forms. */
export const handler = httpHandler(
  async (event) => {
    const form = FORM_BY_PATH[event.rawPath];
    if (!form) throw new NotFoundError(`No form at ${event.rawPath}`);
    const body = parseFormBody({ contentType: header(event, 'content-type'), body: event.body, isBase64Encoded: event.isBase64Encoded });
    const acceptLanguage = header(event, 'accept-language');
    let valid: ValidForm;
    try {
      valid = validateForm(form, body.fields, { acceptLanguage });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return invalidFields(
        event,
        error,
        body,
        negotiateLocale(typeof body.fields.locale === 'string' ? body.fields.locale : acceptLanguage),
      );
    }
    const { leadIdKey, signingKey } = await loadAppSecrets(process.env);
    const outcome = await captureSubmission(
      valid,
      { at: requestTime(event), ip: sourceIp(event), userAgent: userAgent(event) },
      { store, leadIdKey, signingKey, publicBaseUrl: config.PUBLIC_BASE_URL },
    );
    if (outcome.stored) countMetric('FormSubmitted', { form });
    logger.info('form captured', { form, leadId: outcome.leadId, stored: outcome.stored, honeypot: valid.honeypotFilled });
    if (body.format === 'form') {
      const target = resolveRedirect(valid.redirect, config.REDIRECT_ALLOWED_ORIGINS, config.THANK_YOU_URL);
      return seeOther(
        withThankYouParams(target, { form, locale: valid.locale, optIn: valid.marketingConsent, downloadUrl: outcome.downloadUrl }),
      );
    }
    return json(200, { ok: true, ...(outcome.downloadUrl ? { downloadUrl: outcome.downloadUrl } : {}) });
  },
  { backLinkOrigins: config.REDIRECT_ALLOWED_ORIGINS },
);

/**
 * The 400 for bad fields. JSON keeps `fields` (English, the API contract) and adds `messages`, the same keys in the
 * visitor's language, which forms.js shows next to each field; a plain form post gets the error page with a link
 * back to the page the form was on (its `page` field), when that page is on an allowed origin.
 */
function invalidFields(
  event: HttpEvent,
  error: ValidationError,
  body: { format: 'json' | 'form'; fields: Record<string, unknown> },
  locale: 'de' | 'en',
) {
  if (body.format === 'json') {
    const messages = Object.fromEntries(Object.entries(error.fields).map(([name, text]) => [name, fieldMessage(locale, name, text)]));
    const plain = errorBody(error);
    return json(400, { error: { ...plain.error, messages } });
  }
  const backUrl = backLinkUrl(event, body.fields.page, config.REDIRECT_ALLOWED_ORIGINS);
  return html(400, renderFieldErrorsPage({ locale, fields: error.fields, backUrl }));
}
