import type { ScheduledEvent } from 'aws-lambda';
import { readEnv } from '../shared/config/read-env';
import { FUNCTION_ENV } from '../shared/wiring/function-config';
import { reclassifyLead } from '../shared/classification/reclassify-lead';
import { defaultScoringConfig } from '../shared/domain/classification';
import { defaultNurtureConfig } from '../shared/domain/nurture';
import { emailSendingOf, sendEmail } from '../shared/email/send-email';
import { dispatchNurture, type DispatchDeps } from '../shared/nurture/dispatch-nurture';
import { logger } from '../shared/observability/logger';
import { countMetric } from '../shared/observability/metrics';
import { observedHandler } from '../shared/observability/observed-handler';
import { loadAppSecrets } from '../shared/security/app-secrets';
import { dynamoClassificationStore } from '../shared/storage/dynamo-classification-store';
import { dynamoNurtureStore } from '../shared/storage/dynamo-nurture-store';
import { dynamoSentEmailStore } from '../shared/storage/dynamo-sent-email-store';

const config = readEnv(FUNCTION_ENV['nurture-dispatcher']);
const store = dynamoNurtureStore(config.TABLE_NAME);
const sentEmails = dynamoSentEmailStore(config.TABLE_NAME);
const classificationStore = dynamoClassificationStore(config.TABLE_NAME);
const sending = emailSendingOf(config);
const classifyDeps = { store: classificationStore, retentionDays: config.RETENTION_DAYS };

/** Everything but the secret, which is loaded on the first run (and cached by loadAppSecrets). */
const deps: Omit<DispatchDeps, 'signingKey'> = {
  store,
  reclassify: (leadId, now, snapshot) => reclassifyLead(classifyDeps, leadId, now, defaultScoringConfig, snapshot),
  sendEmail: (email) => sendEmail({ ...email, store: sentEmails, sending }),
  retentionDays: config.RETENTION_DAYS,
  publicBaseUrl: config.PUBLIC_BASE_URL,
  imprint: config.IMPRINT,
  senderName: config.SENDER_NAME,
  scoring: defaultScoringConfig,
  nurture: defaultNurtureConfig,
};

/** The scheduled nurture run; "now" is the schedule event's own time. */
export const handler = observedHandler<ScheduledEvent, unknown>().handler(async (event) => {
  const { signingKey } = await loadAppSecrets(process.env);
  const report = await dispatchNurture(new Date(event.time).toISOString(), { ...deps, signingKey });
  countMetric('NurtureEmailSent', {}, report.outcomes.sent);
  logger.info('nurture run', { ...report });
  return report;
});
