import { captureSubmission } from '../shared/capture/capture-submission';
import { validateForm, type FormName } from '../shared/capture/form-schemas';
import { parseFormBody } from '../shared/capture/parse-form-body';
import { resolveRedirect } from '../shared/capture/redirect-allowlist';
import { readEnv } from '../shared/config/read-env';
import { FUNCTION_ENV } from '../shared/wiring/function-config';
import { httpHandler, json, seeOther } from '../shared/http/http-handler';
import { NotFoundError } from '../shared/http/http-errors';
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
export const handler = httpHandler(async (event) => {
  const form = FORM_BY_PATH[event.rawPath];
  if (!form) throw new NotFoundError(`No form at ${event.rawPath}`);
  const body = parseFormBody({ contentType: header(event, 'content-type'), body: event.body, isBase64Encoded: event.isBase64Encoded });
  const valid = validateForm(form, body.fields, { acceptLanguage: header(event, 'accept-language') });
  const { leadIdKey, signingKey } = await loadAppSecrets(process.env);
  const outcome = await captureSubmission(
    valid,
    { at: requestTime(event), ip: sourceIp(event), userAgent: userAgent(event) },
    { store, leadIdKey, signingKey, publicBaseUrl: config.PUBLIC_BASE_URL },
  );
  if (outcome.stored) countMetric('FormSubmitted', { form });
  logger.info('form captured', { form, leadId: outcome.leadId, stored: outcome.stored, honeypot: valid.honeypotFilled });
  if (body.format === 'form') {
    return seeOther(resolveRedirect(valid.redirect, config.REDIRECT_ALLOWED_ORIGINS, config.THANK_YOU_URL));
  }
  return json(200, { ok: true, ...(outcome.downloadUrl ? { downloadUrl: outcome.downloadUrl } : {}) });
});
