import { readEnv } from '../shared/config/read-env';
import { FUNCTION_ENV } from '../shared/wiring/function-config';
import { requireConsoleAccess } from '../shared/console/console-access';
import { bodyFields } from '../shared/console/console-request';
import { previewLocale, renderSample, templateIdOf, testSend } from '../shared/console/email-previews';
import { defaultNurtureConfig } from '../shared/domain/nurture';
import { senderOf } from '../shared/email/email-templates';
import { emailSendingOf } from '../shared/email/send-email';
import { NotFoundError } from '../shared/http/http-errors';
import { httpHandler, json } from '../shared/http/http-handler';
import { logger } from '../shared/observability/logger';

const config = readEnv(FUNCTION_ENV['console-templates']);
const context = { sender: senderOf(config), publicBaseUrl: config.PUBLIC_BASE_URL, nurture: defaultNurtureConfig };
const sending = emailSendingOf(config);

/**
 * A mail's own HTML, shown in the console's sandboxed frame: its inline styles apply, nothing else runs or loads but
 * images; `sandbox` keeps it from running script or navigating even when opened on its own.
 */
const PREVIEW_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; base-uri 'none'; form-action 'none'; sandbox";

/** The console's email previews (rendered with sample data) and test sends to the signed-in user's own address. */
export const handler = httpHandler(async (event) => {
  const identity = requireConsoleAccess(event);
  switch (event.routeKey) {
    case 'GET /console/api/templates/{id}/preview': {
      const templateId = templateIdOf(event.pathParameters?.id);
      const rendered = await renderSample(templateId, previewLocale(event.queryStringParameters?.locale), context);
      return {
        statusCode: 200,
        headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': PREVIEW_POLICY },
        body: rendered.html,
      };
    }
    case 'POST /console/api/templates/{id}/test-send': {
      const templateId = templateIdOf(event.pathParameters?.id);
      const fields = bodyFields(event);
      const locale = previewLocale(fields.locale === undefined ? undefined : String(fields.locale));
      const sent = await testSend({ templateId, locale, to: fields.to, identity }, { context, sending });
      logger.info('template test sent', { templateId, locale });
      return json(202, { templateId, locale, ...sent });
    }
    default:
      throw new NotFoundError();
  }
});
