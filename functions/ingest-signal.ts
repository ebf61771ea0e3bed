import { readEnv } from '../shared/config/read-env';
import { FUNCTION_ENV } from '../shared/wiring/function-config';
import { MalformedBodyError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../shared/http/http-errors';
import { DEFAULT_MAX_BODY_BYTES } from '../shared/capture/parse-form-body';
import { httpHandler, json } from '../shared/http/http-handler';
import { isMediaType } from '../shared/http/media-type';
import { header, requestTime } from '../shared/http/request-info';
import { logger } from '../shared/observability/logger';
import { ingestSecrets, loadAppSecrets } from '../shared/security/app-secrets';
import { WEBHOOK_SIGNATURE_HEADER, verifyWebhookSignature } from '../shared/security/webhook-signature';
import { ingestSignal, parseSignal } from '../shared/signals/ingest-signal';
import { dynamoSignalStore } from '../shared/storage/dynamo-signal-store';

const config = readEnv(FUNCTION_ENV['ingest-signal']);
const store = dynamoSignalStore(config.TABLE_NAME);

/**
 * POST /events: signed product and webinar signals. The signature covers the raw body, checked first.
 * Answered 202 with `status`: `recorded`, `duplicate` (already recorded: a retry or replay) or `ignored`
 * (the address was erased: nothing is stored, and the sender should not retry).
 */
export const handler = httpHandler(async (event) => {
  const rawBody = event.body === undefined ? '' : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (Buffer.byteLength(rawBody) > DEFAULT_MAX_BODY_BYTES) throw new PayloadTooLargeError(DEFAULT_MAX_BODY_BYTES);
  const secrets = await loadAppSecrets(process.env);
  const now = requestTime(event);
  const signatureHeader = header(event, WEBHOOK_SIGNATURE_HEADER);
  const { signedAt } = verifyWebhookSignature({ header: signatureHeader, rawBody, secret: ingestSecrets(secrets), now });
  if (!isMediaType(header(event, 'content-type'), 'application/json')) throw new UnsupportedMediaTypeError();
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    throw new MalformedBodyError('invalid_json');
  }
  const signal = parseSignal(body, now);
  const { leadId, result } = await ingestSignal(signal, signedAt, { store, leadIdKey: secrets.leadIdKey });
  logger.info('signal', { leadId, type: signal.type, result });
  return json(202, { status: result === 'erased' ? 'ignored' : result });
});
