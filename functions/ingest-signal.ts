import { readEnv } from '../shared/config/read-env';
import { FUNCTION_ENV } from '../shared/wiring/function-config';
import { MalformedBodyError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../shared/http/http-errors';
import { DEFAULT_MAX_BODY_BYTES } from '../shared/capture/parse-form-body';
import { httpHandler, json } from '../shared/http/http-handler';
import { header, requestTime } from '../shared/http/request-info';
import { logger } from '../shared/observability/logger';
import { ingestSecrets, loadAppSecrets } from '../shared/security/app-secrets';
import { WEBHOOK_SIGNATURE_HEADER, verifyWebhookSignature } from '../shared/security/webhook-signature';
import { ingestSignal, parseSignal } from '../shared/signals/ingest-signal';

const config = readEnv(FUNCTION_ENV['ingest-signal']);

/**
 * POST /events: signed product and webinar signals. The signature covers the raw body, checked first.
 * Answered 202 with `status`: `recorded`, `duplicate` (already recorded: a retry or replay) or `ignored`
 * (the address was erased: nothing is stored, and the sender should not retry).
 */
export const handler = httpHandler(async (event) => {
  const rawBody = event.body === undefined ? '' : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (Buffer.byteLength(rawBody) > DEFAULT_MAX_BODY_BYTES) throw new PayloadTooLargeError(DEFAULT_MAX_BODY_BYTES);
  const secrets = await loadAppSecrets();
  const now = requestTime(event);
  const signatureHeader = header(event, WEBHOOK_SIGNATURE_HEADER);
  const { signedAt } = verifyWebhookSignature({ header: signatureHeader, rawBody, secret: ingestSecrets(secrets), now });
  if (!(header(event, 'content-type') ?? '').toLowerCase().startsWith('application/json')) throw new UnsupportedMediaTypeError();
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    throw new MalformedBodyError('invalid_json');
  }
  const signal = parseSignal(body, now);
  const { leadId, result } = await ingestSignal(signal, signedAt, { tableName: config.TABLE_NAME, leadIdKey: secrets.leadIdKey });
  logger.info('signal', { leadId, type: signal.type, result });
  return json(202, { status: result === 'erased' ? 'ignored' : result });
});
