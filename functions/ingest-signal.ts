import { nonEmpty, readEnv } from '../shared/config/read-env';
import { MalformedBodyError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../shared/http/http-errors';
import { DEFAULT_MAX_BODY_BYTES } from '../shared/capture/parse-form-body';
import { httpHandler, json } from '../shared/http/http-handler';
import { header, requestTime } from '../shared/http/request-info';
import { logger } from '../shared/observability/logger';
import { loadAppSecrets } from '../shared/security/app-secrets';
import { WEBHOOK_SIGNATURE_HEADER, verifyWebhookSignature } from '../shared/security/webhook-signature';
import { ingestSignal, parseSignal } from '../shared/signals/ingest-signal';

const config = readEnv({ TABLE_NAME: nonEmpty() });

/** POST /events: signed product and webinar signals. The signature covers the raw body, checked first. */
export const handler = httpHandler(async (event) => {
  const rawBody = event.body === undefined ? '' : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (Buffer.byteLength(rawBody) > DEFAULT_MAX_BODY_BYTES) throw new PayloadTooLargeError(DEFAULT_MAX_BODY_BYTES);
  const { ingestSecret, signingKey } = await loadAppSecrets();
  const signatureHeader = header(event, WEBHOOK_SIGNATURE_HEADER);
  verifyWebhookSignature({ header: signatureHeader, rawBody, secret: ingestSecret, now: requestTime(event) });
  if (!(header(event, 'content-type') ?? '').toLowerCase().startsWith('application/json')) throw new UnsupportedMediaTypeError();
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    throw new MalformedBodyError('invalid_json');
  }
  const signal = parseSignal(body);
  const signedAt = new Date(Number(/(?:^|,)\s*t=(\d+)/.exec(signatureHeader ?? '')?.[1]) * 1000).toISOString();
  const { leadId, result } = await ingestSignal(signal, signedAt, { tableName: config.TABLE_NAME, signingKey });
  logger.info('signal', { leadId, type: signal.type, result });
  return json(202, { status: result });
});
