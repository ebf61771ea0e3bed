import * as z from 'zod/mini';
import { ConfigurationError } from '../config/read-env';
import { logger } from '../observability/logger';
import { traced } from '../observability/tracer';

/**
 * The app's keys. Three jobs, three keys, because they rotate differently:
 * - `leadIdKey` derives lead ids (and so the erasure suppression hashes) from addresses. It must NEVER change:
 *   every stored lead, and every suppression entry, is keyed by it. Absent, it is `signingKey`, which is what
 *   every lead id was derived from before the keys were separated.
 * - `signingKey` signs token links. It can be rotated: move the old value to `previousSigningKey`, and tokens
 *   signed with it keep verifying until they expire (unsubscribe links never expire: see README "Reliability").
 * - `ingestSecret` verifies signed `POST /events`; during a coordinated rotation with the senders the old value
 *   sits in `previousIngestSecret`, and a signature made with either is accepted.
 */
export interface AppSecrets {
  leadIdKey: string;
  signingKey: string;
  previousSigningKey?: string;
  ingestSecret: string;
  previousIngestSecret?: string;
}

export const MIN_SECRET_LENGTH = 16;
/** A rotated secret reaches a warm function within this long; one GetSecretValue per container per period. */
export const APP_SECRETS_MAX_AGE_MS = 5 * 60_000;
/** After a failed refresh the last good secrets are served, and the refresh is tried again this much later. */
export const APP_SECRETS_RETRY_AFTER_MS = 10_000;

/** Keys that verify a token: the current signing key first, then the previous one during its grace period. */
export function tokenVerificationKeys(secrets: AppSecrets): string[] {
  return secrets.previousSigningKey ? [secrets.signingKey, secrets.previousSigningKey] : [secrets.signingKey];
}

/** Secrets a `POST /events` signature may be made with: the current one, and the previous one during a rotation. */
export function ingestSecrets(secrets: AppSecrets): string[] {
  return secrets.previousIngestSecret ? [secrets.ingestSecret, secrets.previousIngestSecret] : [secrets.ingestSecret];
}

/** The secret's JSON fields and the environment variables that carry the same values locally. */
const FIELDS = {
  leadIdKey: 'LEADPIPE_LEAD_ID_KEY',
  signingKey: 'LEADPIPE_SIGNING_KEY',
  previousSigningKey: 'LEADPIPE_PREVIOUS_SIGNING_KEY',
  ingestSecret: 'LEADPIPE_INGEST_SECRET',
  previousIngestSecret: 'LEADPIPE_PREVIOUS_INGEST_SECRET',
} as const satisfies Record<keyof AppSecrets, string>;
type Field = keyof typeof FIELDS;

/**
 * Validates the secrets given in the environment (the local stack, the CLI against it, the benchmarks) without
 * any I/O, and returns them. Throws a ConfigurationError that names each bad variable, so a start with a bad
 * secret stops before it serves a request. With APP_SECRETS_ARN set, the secrets come from Secrets Manager and
 * only the ARN is checked here; their shape is checked when loadAppSecrets reads them.
 */
export function validateSecretsEnvironment(env: NodeJS.ProcessEnv): AppSecrets | { fromSecretsManager: string } {
  const arn = env.APP_SECRETS_ARN?.trim();
  if (arn) return { fromSecretsManager: arn };
  if (env.APP_SECRETS_ARN !== undefined) throw new ConfigurationError('Invalid configuration: APP_SECRETS_ARN is empty');
  const missing = (['signingKey', 'ingestSecret'] as const).filter((field) => !env[FIELDS[field]]).map((field) => FIELDS[field]);
  if (missing.length > 0) {
    throw new ConfigurationError(`Invalid configuration: ${missing.join(', ')} not set (or set APP_SECRETS_ARN)`);
  }
  const values = Object.fromEntries(Object.entries(FIELDS).map(([field, name]) => [field, env[name]])) as Partial<Record<Field, string>>;
  return checkSecrets(values, (field) => FIELDS[field]);
}

/** Parses the Secrets Manager value: JSON `{leadIdKey?, signingKey, previousSigningKey?, ingestSecret, previousIngestSecret?}`. */
export function parseSecretValue(secretString: string | undefined, secretId = 'APP_SECRETS_ARN'): AppSecrets {
  let value: unknown;
  try {
    value = JSON.parse(secretString ?? '');
  } catch {
    throw new ConfigurationError(`Invalid configuration: the secret ${secretId} is not JSON`);
  }
  const parsed = z.looseObject(Object.fromEntries(Object.keys(FIELDS).map((field) => [field, z.optional(z.string())]))).safeParse(value);
  if (!parsed.success) throw new ConfigurationError(`Invalid configuration: the secret ${secretId} is not a JSON object of strings`);
  return checkSecrets(parsed.data as Partial<Record<Field, string>>, (field) => `${field} in the secret ${secretId}`);
}

function checkSecrets(values: Partial<Record<Field, string>>, nameOf: (field: Field) => string): AppSecrets {
  const problems: string[] = [];
  for (const field of Object.keys(FIELDS) as Field[]) {
    const value = values[field];
    const required = field === 'signingKey' || field === 'ingestSecret';
    if (value === undefined || value === '') {
      if (required) problems.push(`${nameOf(field)} is not set`);
    } else if (value.length < MIN_SECRET_LENGTH) {
      problems.push(`${nameOf(field)} is too short (at least ${MIN_SECRET_LENGTH} characters)`);
    }
  }
  // Rotating the signing key without pinning the lead-id key would silently give every address a new lead id.
  if (values.previousSigningKey && !values.leadIdKey) {
    problems.push(`${nameOf('leadIdKey')} must be set (to the key lead ids were derived from) before the signing key is rotated`);
  }
  if (problems.length > 0) throw new ConfigurationError(`Invalid configuration: ${problems.join('; ')}`);
  return {
    leadIdKey: values.leadIdKey || values.signingKey!,
    signingKey: values.signingKey!,
    ...(values.previousSigningKey ? { previousSigningKey: values.previousSigningKey } : {}),
    ingestSecret: values.ingestSecret!,
    ...(values.previousIngestSecret ? { previousIngestSecret: values.previousIngestSecret } : {}),
  };
}

interface CacheEntry {
  secrets: Promise<AppSecrets>;
  /** epoch ms after which the next call refreshes */
  refreshAt: number;
  /** the last secrets read successfully, served while a refresh fails */
  lastGood?: AppSecrets;
}

let cache: CacheEntry | undefined;

/**
 * On AWS the secrets live in Secrets Manager (APP_SECRETS_ARN); locally they are given in the environment, which the
 * entry point (a handler, the local stack, the CLI) passes in: shared code reads no environment of its own.
 * The result is cached per container for APP_SECRETS_MAX_AGE_MS, so a rotated secret reaches warm functions.
 * The cache's clock is the wall clock: this is infrastructure, not domain time. A refresh that fails keeps the
 * last good secrets (a Secrets Manager outage must not fail requests that worked a minute ago) and is retried
 * after APP_SECRETS_RETRY_AFTER_MS; with nothing cached yet the error is thrown.
 */
export function loadAppSecrets(env: NodeJS.ProcessEnv, options: { now?: () => number; maxAgeMs?: number } = {}): Promise<AppSecrets> {
  const now = options.now ?? Date.now;
  const current = now();
  if (cache && current < cache.refreshAt) return cache.secrets;
  const lastGood = cache?.lastGood;
  // The callbacks run after `entry` is assigned below (a promise never settles synchronously).
  let entry: CacheEntry;
  const secrets = readSecrets(env).then(
    (read) => {
      entry.lastGood = read;
      return read;
    },
    (error: unknown) => {
      if (!lastGood) {
        if (cache === entry) cache = undefined;
        throw error;
      }
      logger.warn('app secrets refresh failed; serving the last good secrets', { error: (error as Error).message });
      entry.refreshAt = Math.min(entry.refreshAt, now() + APP_SECRETS_RETRY_AFTER_MS);
      return lastGood;
    },
  );
  entry = { secrets, refreshAt: current + (options.maxAgeMs ?? APP_SECRETS_MAX_AGE_MS), ...(lastGood ? { lastGood } : {}) };
  cache = entry;
  return entry.secrets;
}

/** Forgets the cached secrets (tests that change the environment between stacks). */
export function clearAppSecretsCache(): void {
  cache = undefined;
}

async function readSecrets(env: NodeJS.ProcessEnv): Promise<AppSecrets> {
  const validated = validateSecretsEnvironment(env);
  if (!('fromSecretsManager' in validated)) return validated;
  const { GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
  const response = await (await secretsManager()).send(new GetSecretValueCommand({ SecretId: validated.fromSecretsManager }));
  return parseSecretValue(response.SecretString);
}

let client: Promise<import('@aws-sdk/client-secrets-manager').SecretsManagerClient> | undefined;

/** Created once per container, on first use: functions and local runs without APP_SECRETS_ARN never load the SDK. */
function secretsManager(): Promise<import('@aws-sdk/client-secrets-manager').SecretsManagerClient> {
  client ??= import('@aws-sdk/client-secrets-manager').then(({ SecretsManagerClient }) => traced(new SecretsManagerClient({})));
  return client;
}
