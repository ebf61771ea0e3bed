/**
 * The environment a benchmark worker process runs the function code with. Functions read their
 * configuration and create their SDK clients once, at import, so it is set before the worker starts
 * (never changed afterwards). The variables are those CDK sets on AWS (infra/stacks/leadpipe-stack.ts
 * commonEnvironment + bindings), with DynamoDB Local and the SES emulator in the SDK's own
 * AWS_ENDPOINT_URL_<SERVICE> variables, as local/local-environment.ts does.
 */
export const BENCH_REGION = 'eu-central-1';
export const BENCH_SIGNING_KEY = 'leadpipe-bench-signing-key-not-for-production';
export const BENCH_INGEST_SECRET = 'leadpipe-bench-ingest-secret-value';
export const BENCH_PUBLIC_BASE_URL = 'https://forms.leadpipe.example';
/** Nothing listens here: a call that should not happen fails fast instead of reaching AWS. */
const UNUSED_ENDPOINT = 'http://127.0.0.1:9';

export interface Endpoints {
  dynamodb: string;
  ses: string;
}

export function benchEnvironment(endpoints: Endpoints, tableName: string): Record<string, string> {
  return {
    AWS_REGION: BENCH_REGION,
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_DYNAMODB_STREAMS: endpoints.dynamodb,
    AWS_ENDPOINT_URL_SESV2: endpoints.ses,
    AWS_ENDPOINT_URL_EVENTBRIDGE: UNUSED_ENDPOINT,
    AWS_ENDPOINT_URL_S3: UNUSED_ENDPOINT,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: UNUSED_ENDPOINT,
    TABLE_NAME: tableName,
    EVENT_BUS_NAME: 'leadpipe-bench',
    ASSETS_BUCKET: 'leadpipe-bench-assets',
    PUBLIC_BASE_URL: BENCH_PUBLIC_BASE_URL,
    THANK_YOU_URL: 'https://www.leadpipe.example/thank-you',
    ALLOWED_ORIGINS: 'https://www.leadpipe.example',
    REDIRECT_ALLOWED_ORIGINS: 'https://www.leadpipe.example',
    SENDER_ADDRESS: 'Leadpipe <hello@leadpipe.example>',
    SALES_RECIPIENTS: 'sales@leadpipe.example',
    IMPRINT: 'Leadpipe Example GmbH · Musterstraße 1 · 10115 Berlin · HRB 000000 B',
    RETENTION_DAYS: '30',
    // Locally the secrets come from the environment; on AWS, one GetSecretValue per cold start (APP_SECRETS_ARN).
    LEADPIPE_SIGNING_KEY: BENCH_SIGNING_KEY,
    LEADPIPE_INGEST_SECRET: BENCH_INGEST_SECRET,
    // As deployed: INFO logs and EMF metrics on stdout (the worker's stdout goes to /dev/null).
    POWERTOOLS_SERVICE_NAME: 'leadpipe',
    POWERTOOLS_METRICS_NAMESPACE: 'leadpipe',
    POWERTOOLS_LOG_LEVEL: 'INFO',
  };
}
