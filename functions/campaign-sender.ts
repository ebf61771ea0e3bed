import { GetAccountCommand } from '@aws-sdk/client-sesv2';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { ses } from '../shared/adapters/ses-client';
import { firstReceivedAt } from '../shared/campaigns/campaign-engine';
import { Pacer, processSendRecords, SendQuota, sendRatePerInvocation } from '../shared/campaigns/campaign-engine-sender';
import { CampaignSendRetryableError, sendToRecipient, type CampaignMailDeps } from '../shared/campaigns/send-campaign-mail';
import { readEnv } from '../shared/config/read-env';
import { emailSendingOf } from '../shared/email/send-email';
import { logger } from '../shared/observability/logger';
import { observedHandler } from '../shared/observability/observed-handler';
import { loadAppSecrets } from '../shared/security/app-secrets';
import { dynamoCampaignEngineStore } from '../shared/storage/dynamo-campaign-engine-store';
import { dynamoCampaignStore } from '../shared/storage/dynamo-campaign-store';
import { getLead } from '../shared/storage/lead-store';
import { FUNCTION_ENV } from '../shared/wiring/function-config';

const config = readEnv(FUNCTION_ENV['campaign-sender']);
const campaigns = dynamoCampaignStore(config.TABLE_NAME);
const engine = dynamoCampaignEngineStore(config.TABLE_NAME);
const mailDeps: Omit<CampaignMailDeps, 'signingKey'> = {
  store: campaigns,
  readLead: (leadId) => getLead(config.TABLE_NAME, leadId),
  sending: emailSendingOf(config),
  publicBaseUrl: config.PUBLIC_BASE_URL,
  imprint: config.IMPRINT,
  senderName: config.SENDER_NAME,
  companyName: config.COMPANY_NAME,
};

/** The account's rate, read once per cold start and then every 5 minutes (SES raises it as the account grows). */
const quota = new SendQuota(
  async () => (await ses.send(new GetAccountCommand({}))).SendQuota?.MaxSendRate ?? 0,
  () => Date.now(),
  5 * 60_000,
  (error) => logger.warn('SES GetAccount failed; sending at 1 per second until the next read', { error: String(error) }),
);
/** Sends at once per invocation: SES answers in ~50-100 ms, so 10 in flight keep up with 100/s per invocation. */
const SENDS_IN_FLIGHT = 10;
const pacer = new Pacer(1, { nowMs: () => Date.now(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) });

/**
 * The sends queue's consumer: each recipient through sendToRecipient (claim, send, record), paced so that this
 * invocation's rate × the queue's maxConcurrency stays within SES MaxSendRate × CAMPAIGN_SEND_RATE_SHARE. A throttle
 * (or any SES condition that passes by waiting) stops the invocation: the messages not done are batch item failures.
 */
export const handler = observedHandler<SQSEvent, SQSBatchResponse>().handler(async (event, context) => {
  const { signingKey } = await loadAppSecrets(process.env);
  pacer.setRate(sendRatePerInvocation(await quota.maxSendRate(), config.CAMPAIGN_SEND_RATE_SHARE, config.CAMPAIGN_SENDS_MAX_CONCURRENCY));
  const records = event.Records.map((record) => ({
    messageId: record.messageId,
    body: record.body,
    now: firstReceivedAt(record.attributes),
  }));
  const report = await processSendRecords(records, {
    campaigns,
    engine,
    sendToRecipient: (campaign, leadId, now) => sendToRecipient({ ...mailDeps, signingKey }, campaign, leadId, now),
    isBackOff: (error) => error instanceof CampaignSendRetryableError,
    pace: () => pacer.take(),
    inFlight: SENDS_IN_FLIGHT,
    remainingMs: () => context.getRemainingTimeInMillis(),
    onBackOff: (error) => {
      if (error instanceof CampaignSendRetryableError && error.reason === 'throttled') quota.throttled();
      logger.warn('campaign sends back off', { error: String(error) });
    },
    onError: (error, campaignId, leadId) => logger.error('campaign send failed', { campaignId, leadId, error: String(error) }),
  });
  logger.info('campaign sends', {
    ...report.outcomes,
    failures: report.batchItemFailures.length,
    rate: pacer.rate,
    finished: report.finished,
  });
  return { batchItemFailures: report.batchItemFailures };
});
