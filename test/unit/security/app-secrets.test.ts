import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../../shared/config/read-env';
import {
  APP_SECRETS_MAX_AGE_MS,
  APP_SECRETS_RETRY_AFTER_MS,
  clearAppSecretsCache,
  ingestSecrets,
  loadAppSecrets,
  parseSecretValue,
  tokenVerificationKeys,
  validateSecretsEnvironment,
} from '../../../shared/security/app-secrets';

const SIGNING = 'signing-key-0123456789abcdef';
const INGEST = 'ingest-secret-0123456789abc';
const VALID = { LEADPIPE_SIGNING_KEY: SIGNING, LEADPIPE_INGEST_SECRET: INGEST };
const ROTATED_SIGNING = 'new-signing-key-0123456789';

function configurationErrorOf(fn: () => unknown): ConfigurationError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error('expected a ConfigurationError');
}

describe('app secrets', () => {
  describe('validateSecretsEnvironment (what the local stack checks before it prints ready)', () => {
    it.each([
      ['LEADPIPE_INGEST_SECRET', { LEADPIPE_SIGNING_KEY: SIGNING, LEADPIPE_INGEST_SECRET: 'short' }],
      ['LEADPIPE_SIGNING_KEY', { LEADPIPE_SIGNING_KEY: 'short', LEADPIPE_INGEST_SECRET: INGEST }],
      ['LEADPIPE_LEAD_ID_KEY', { LEADPIPE_LEAD_ID_KEY: 'short', LEADPIPE_SIGNING_KEY: SIGNING, LEADPIPE_INGEST_SECRET: INGEST }],
      ['LEADPIPE_PREVIOUS_INGEST_SECRET', { ...VALID, LEADPIPE_PREVIOUS_INGEST_SECRET: 'x' }],
    ])('names %s when it is too short', (variable, env) => {
      // Act
      const error = configurationErrorOf(() => validateSecretsEnvironment(env));

      // Assess
      expect(error.message).toContain(`${variable} is too short (at least 16 characters)`);
    });

    it('names every missing required variable', () => {
      // Act
      const error = configurationErrorOf(() => validateSecretsEnvironment({}));

      // Assess
      expect(error.message).toMatch(/LEADPIPE_SIGNING_KEY, LEADPIPE_INGEST_SECRET not set/);
    });

    it('derives lead ids from the signing key when no lead-id key is given: existing lead ids stay what they were', () => {
      // Act
      const secrets = validateSecretsEnvironment({ LEADPIPE_SIGNING_KEY: SIGNING, LEADPIPE_INGEST_SECRET: INGEST });

      // Assess
      expect(secrets).toEqual({ leadIdKey: SIGNING, signingKey: SIGNING, ingestSecret: INGEST });
    });

    it('refuses a previous signing key without a lead-id key: a rotation must not change every lead id', () => {
      // Act
      const error = configurationErrorOf(() =>
        validateSecretsEnvironment({ ...VALID, LEADPIPE_SIGNING_KEY: ROTATED_SIGNING, LEADPIPE_PREVIOUS_SIGNING_KEY: SIGNING }),
      );

      // Assess
      expect(error.message).toContain('LEADPIPE_LEAD_ID_KEY must be set');
    });

    it('keeps the lead-id key through a rotation, and lists current then previous keys for verification', () => {
      // Act
      const secrets = validateSecretsEnvironment({
        LEADPIPE_LEAD_ID_KEY: SIGNING,
        LEADPIPE_SIGNING_KEY: 'new-signing-key-0123456789',
        LEADPIPE_PREVIOUS_SIGNING_KEY: SIGNING,
        LEADPIPE_INGEST_SECRET: 'new-ingest-secret-0123456',
        LEADPIPE_PREVIOUS_INGEST_SECRET: INGEST,
      });

      // Assess
      expect(secrets).toMatchObject({ leadIdKey: SIGNING, signingKey: 'new-signing-key-0123456789' });
      if ('fromSecretsManager' in secrets) throw new Error('expected secrets from the environment');
      expect(tokenVerificationKeys(secrets)).toEqual(['new-signing-key-0123456789', SIGNING]);
      expect(ingestSecrets(secrets)).toEqual(['new-ingest-secret-0123456', INGEST]);
    });

    it('leaves the secrets to Secrets Manager when APP_SECRETS_ARN is set', () => {
      // Act
      const result = validateSecretsEnvironment({ APP_SECRETS_ARN: 'arn:aws:secretsmanager:eu-central-1:1:secret:x' });

      // Assess
      expect(result).toEqual({ fromSecretsManager: 'arn:aws:secretsmanager:eu-central-1:1:secret:x' });
    });
  });

  describe('parseSecretValue (the Secrets Manager JSON)', () => {
    it('reads the shape existing deployments have, { signingKey, ingestSecret }, with lead ids from signingKey', () => {
      // Act
      const secrets = parseSecretValue(JSON.stringify({ signingKey: SIGNING, ingestSecret: INGEST }));

      // Assess
      expect(secrets).toEqual({ leadIdKey: SIGNING, signingKey: SIGNING, ingestSecret: INGEST });
    });

    it('reads the rotation shape', () => {
      // Prepare
      const value = { leadIdKey: SIGNING, signingKey: 'new-signing-key-0123456789', previousSigningKey: SIGNING, ingestSecret: INGEST };

      // Act
      const secrets = parseSecretValue(JSON.stringify(value));

      // Assess
      expect(secrets).toEqual(value);
    });

    it.each([
      ['not JSON', 'nope', /is not JSON/],
      [
        'a short ingestSecret',
        JSON.stringify({ signingKey: SIGNING, ingestSecret: 'short' }),
        /ingestSecret in the secret .* is too short/,
      ],
      [
        'a previousSigningKey without leadIdKey',
        JSON.stringify({ signingKey: ROTATED_SIGNING, previousSigningKey: SIGNING, ingestSecret: INGEST }),
        /leadIdKey in the secret .* must be set/,
      ],
    ])('rejects %s, naming the field', (_label, value, message) => {
      // Act
      const error = configurationErrorOf(() => parseSecretValue(value));

      // Assess
      expect(error.message).toMatch(message);
    });
  });

  describe('loadAppSecrets cache', () => {
    let clock = 0;
    const now = () => clock;
    beforeEach(() => {
      clock = 1_000_000;
      clearAppSecretsCache();
    });
    afterEach(() => clearAppSecretsCache());

    it('serves the cached secrets until they are older than the maximum age, then reads the rotated ones', async () => {
      // Prepare
      const env: NodeJS.ProcessEnv = { LEADPIPE_SIGNING_KEY: SIGNING, LEADPIPE_INGEST_SECRET: INGEST };
      const first = await loadAppSecrets(env, { now });
      env.LEADPIPE_INGEST_SECRET = 'rotated-ingest-secret-0123';
      env.LEADPIPE_PREVIOUS_INGEST_SECRET = INGEST;

      // Act
      clock += APP_SECRETS_MAX_AGE_MS - 1;
      const stillCached = await loadAppSecrets(env, { now });
      clock += 1;
      const refreshed = await loadAppSecrets(env, { now });

      // Assess
      expect(first.ingestSecret).toBe(INGEST);
      expect(stillCached.ingestSecret).toBe(INGEST);
      expect(refreshed).toMatchObject({ ingestSecret: 'rotated-ingest-secret-0123', previousIngestSecret: INGEST });
    });

    it('keeps serving the last good secrets when a refresh fails, and tries again shortly after', async () => {
      // Prepare
      const env: NodeJS.ProcessEnv = { LEADPIPE_SIGNING_KEY: SIGNING, LEADPIPE_INGEST_SECRET: INGEST };
      await loadAppSecrets(env, { now });
      env.LEADPIPE_INGEST_SECRET = 'short';

      // Act
      clock += APP_SECRETS_MAX_AGE_MS;
      const duringFailure = await loadAppSecrets(env, { now });
      env.LEADPIPE_INGEST_SECRET = 'fixed-ingest-secret-0123456';
      clock += APP_SECRETS_RETRY_AFTER_MS;
      const afterRetry = await loadAppSecrets(env, { now });

      // Assess
      expect(duringFailure.ingestSecret).toBe(INGEST);
      expect(afterRetry.ingestSecret).toBe('fixed-ingest-secret-0123456');
    });

    it('throws when the very first read fails, and reads again on the next call', async () => {
      // Prepare
      const env: NodeJS.ProcessEnv = { LEADPIPE_SIGNING_KEY: SIGNING, LEADPIPE_INGEST_SECRET: 'short' };

      // Act
      const failed = loadAppSecrets(env, { now });
      await expect(failed).rejects.toThrow(/LEADPIPE_INGEST_SECRET is too short/);
      env.LEADPIPE_INGEST_SECRET = INGEST;
      const next = await loadAppSecrets(env, { now });

      // Assess
      expect(next.ingestSecret).toBe(INGEST);
    });
  });
});
