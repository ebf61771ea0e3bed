import { QUEUES } from '../shared/wiring/app-wiring';
import { QUEUE_URL_ENV } from '../shared/wiring/function-config';
import { LOCAL_QUEUE_ACCOUNT } from './queue/local-queue';
import { LOCAL_ASSETS_BUCKET, S3RVER_CREDENTIALS } from './s3-emulator';

/**
 * The environment the local stack gives the functions: the same variables CDK sets on AWS, with
 * emulator endpoints in the SDK's own AWS_ENDPOINT_URL_<SERVICE> variables. Function code has no
 * notion of "local".
 */
export const LOCAL_TABLE_NAME = 'leadpipe-local';
export const LOCAL_BUS_NAME = 'leadpipe-local';
export const LOCAL_REGION = 'eu-central-1';
/** Development-only secrets; README states them. Never used on AWS, where Secrets Manager holds generated ones. */
export const DEV_SIGNING_KEY = 'leadpipe-dev-signing-key-not-for-production';
export const DEV_INGEST_SECRET = 'leadpipe-dev-ingest-secret';

/** Where the local SQS (local/queue/local-queue.ts) is not running yet: nothing listens, a send fails fast. */
const NO_LOCAL_SQS = 'http://127.0.0.1:1';

/**
 * The SES emulator's GetAccount answer (aws-ses-v2-local reads it from AWS_SES_ACCOUNT in its own process, the local
 * stack's): a production account's shape with MaxSendRate LEADPIPE_LOCAL_SES_MAX_SEND_RATE (default 100 per second),
 * so the campaign sender paces itself locally as on AWS, without slowing a local campaign to a real account's 14/s.
 */
export function localSesAccount(maxSendRate: number): string {
  return JSON.stringify({
    DedicatedIpAutoWarmupEnabled: false,
    Details: {
      AdditionalContactEmailAddresses: [],
      ContactLanguage: 'EN',
      MailType: 'MARKETING',
      ReviewDetails: { CaseId: 'local', Status: 'GRANTED' },
      UseCaseDescription: 'leadpipe local stack',
      WebsiteURL: 'https://leadpipe.example',
    },
    EnforcementStatus: 'HEALTHY',
    ProductionAccessEnabled: true,
    SendingEnabled: true,
    SendQuota: { Max24HourSend: 50_000, MaxSendRate: maxSendRate, SentLast24Hours: 0 },
    SuppressionAttributes: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
  });
}

export function localEnvironment(
  endpoints: { dynamodb: string; ses: string; eventBridge: string; s3: string; sqs?: string },
  publicBaseUrl: string,
  env: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const sqs = endpoints.sqs ?? NO_LOCAL_SQS;
  return {
    AWS_REGION: LOCAL_REGION,
    // DynamoDB Local and the SES emulator take any key; s3rver insists on its own.
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_DYNAMODB_STREAMS: endpoints.dynamodb,
    AWS_ENDPOINT_URL_SESV2: endpoints.ses,
    AWS_ENDPOINT_URL_EVENTBRIDGE: endpoints.eventBridge,
    AWS_ENDPOINT_URL_S3: endpoints.s3,
    AWS_ENDPOINT_URL_SQS: sqs,
    // the queue URLs the 'queue:send:*' bindings set on AWS, for the local queues (LOCAL_QUEUE_ACCOUNT)
    ...Object.fromEntries(Object.entries(QUEUE_URL_ENV).map(([name, variable]) => [variable, `${sqs}/${LOCAL_QUEUE_ACCOUNT}/${name}`])),
    CAMPAIGN_SENDS_MAX_CONCURRENCY: String(QUEUES.find((queue) => queue.name === 'campaign-sends')!.maxConcurrency),
    AWS_SES_ACCOUNT: env.AWS_SES_ACCOUNT ?? localSesAccount(Number(env.LEADPIPE_LOCAL_SES_MAX_SEND_RATE ?? 100)),
    ASSETS_BUCKET: LOCAL_ASSETS_BUCKET,
    TABLE_NAME: LOCAL_TABLE_NAME,
    EVENT_BUS_NAME: LOCAL_BUS_NAME,
    PUBLIC_BASE_URL: publicBaseUrl,
    // the console the local stack serves (local/console-static.ts): the sales mail links a lead's page there
    CONSOLE_URL: `${publicBaseUrl}/console/`,
    SENDER_ADDRESS: env.SENDER_ADDRESS ?? 'Leadpipe <hello@leadpipe.example>',
    SALES_RECIPIENTS: env.SALES_RECIPIENTS ?? 'sales@example.com',
    ALLOWED_ORIGINS: env.ALLOWED_ORIGINS ?? publicBaseUrl,
    REDIRECT_ALLOWED_ORIGINS: env.REDIRECT_ALLOWED_ORIGINS ?? publicBaseUrl,
    THANK_YOU_URL: env.THANK_YOU_URL ?? `${publicBaseUrl}/thanks`,
    IMPRINT: env.IMPRINT ?? 'Leadpipe Example GmbH · Musterstraße 1 · 10115 Berlin · Geschäftsführer: Erika Mustermann · HRB 000000 B',
    COMPANY_NAME: env.COMPANY_NAME ?? 'Leadpipe Example GmbH',
    SENDER_NAME: env.SENDER_NAME ?? 'Erika Mustermann, Leadpipe Example GmbH',
    // Lead ids under .leadpipe/ were derived from the signing key: the lead-id key defaults to it, and must never change.
    LEADPIPE_LEAD_ID_KEY: env.LEADPIPE_LEAD_ID_KEY ?? env.LEADPIPE_SIGNING_KEY ?? DEV_SIGNING_KEY,
    LEADPIPE_SIGNING_KEY: env.LEADPIPE_SIGNING_KEY ?? DEV_SIGNING_KEY,
    LEADPIPE_INGEST_SECRET: env.LEADPIPE_INGEST_SECRET ?? DEV_INGEST_SECRET,
    // Rotation: the previous values stay accepted while they are given (see shared/security/app-secrets.ts).
    ...(env.LEADPIPE_PREVIOUS_SIGNING_KEY ? { LEADPIPE_PREVIOUS_SIGNING_KEY: env.LEADPIPE_PREVIOUS_SIGNING_KEY } : {}),
    ...(env.LEADPIPE_PREVIOUS_INGEST_SECRET ? { LEADPIPE_PREVIOUS_INGEST_SECRET: env.LEADPIPE_PREVIOUS_INGEST_SECRET } : {}),
    POWERTOOLS_LOG_LEVEL: env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    POWERTOOLS_METRICS_NAMESPACE: 'leadpipe',
    POWERTOOLS_METRICS_DISABLED: 'true',
  };
}
