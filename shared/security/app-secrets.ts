import { z } from 'zod';
import { ConfigurationError, readEnv } from '../config/read-env';

export interface AppSecrets {
  /** signs token links and derives lead ids */
  signingKey: string;
  /** shared with product and webinar systems for signed POST /events */
  ingestSecret: string;
}

const secretValueSchema = z.object({ signingKey: z.string().min(16), ingestSecret: z.string().min(16) });

let cached: Promise<AppSecrets> | undefined;

/**
 * On AWS the secrets live in Secrets Manager (APP_SECRETS_ARN) and are read once per cold start;
 * locally they are given directly in the environment. Either way the result is cached per container.
 */
export function loadAppSecrets(env: NodeJS.ProcessEnv = process.env): Promise<AppSecrets> {
  cached ??= readSecrets(env).catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

async function readSecrets(env: NodeJS.ProcessEnv): Promise<AppSecrets> {
  const config = readEnv(
    {
      APP_SECRETS_ARN: z.string().optional(),
      LEADPIPE_SIGNING_KEY: z.string().min(16).optional(),
      LEADPIPE_INGEST_SECRET: z.string().min(16).optional(),
    },
    env,
  );
  if (config.APP_SECRETS_ARN) {
    const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
    const response = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: config.APP_SECRETS_ARN }));
    return secretValueSchema.parse(JSON.parse(response.SecretString ?? '{}'));
  }
  if (!config.LEADPIPE_SIGNING_KEY || !config.LEADPIPE_INGEST_SECRET) {
    const missing = ['LEADPIPE_SIGNING_KEY', 'LEADPIPE_INGEST_SECRET'].filter((name) => !env[name]);
    throw new ConfigurationError(`Invalid configuration: ${missing.join(', ')} not set (or set APP_SECRETS_ARN)`);
  }
  return { signingKey: config.LEADPIPE_SIGNING_KEY, ingestSecret: config.LEADPIPE_INGEST_SECRET };
}
