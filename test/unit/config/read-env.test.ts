import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod/mini';
import { absoluteUrl, commaList, ConfigurationError, nonEmpty, readEnv } from '../../../shared/config/read-env';
import { loadAppSecrets } from '../../../shared/security/app-secrets';

describe('readEnv', () => {
  it('names every missing and every invalid variable at once', () => {
    // Prepare
    const shape = {
      TABLE_NAME: nonEmpty(),
      PUBLIC_BASE_URL: absoluteUrl(),
      SALES_RECIPIENTS: z.pipe(commaList(), z.array(z.email()).check(z.minLength(1))),
    };

    // Act
    const read = () => readEnv(shape, { PUBLIC_BASE_URL: 'not a url', SALES_RECIPIENTS: 'sales@example.com' });

    // Assess
    expect(read).toThrow(ConfigurationError);
    expect(read).toThrow(/TABLE_NAME is not set/);
    expect(read).toThrow(/PUBLIC_BASE_URL: /);
  });

  it('names the variable, not a path into its value, when an item of a list is bad', () => {
    // Act
    const shape = { SALES_RECIPIENTS: z.pipe(commaList(), z.array(z.email()).check(z.minLength(1))) };
    const read = () => readEnv(shape, { SALES_RECIPIENTS: 'sales@example.com,not-an-email' });

    // Assess
    expect(read).toThrow(/SALES_RECIPIENTS: .*email.* \(item 1\)/);
    expect(read).not.toThrow(/is not set/);
  });

  it("names the problem in zod's English words even when nothing else loaded a locale (zod/mini loads none)", async () => {
    // Prepare: forget any locale an earlier module set (the setting is global), then load read-env afresh
    z.config({ localeError: undefined });
    vi.resetModules();
    const fresh = await import('../../../shared/config/read-env');

    // Act
    const read = () =>
      fresh.readEnv({ PUBLIC_BASE_URL: fresh.absoluteUrl(), TABLE_NAME: fresh.nonEmpty() }, { PUBLIC_BASE_URL: 'x', TABLE_NAME: ' ' });

    // Assess
    expect(read).toThrow('PUBLIC_BASE_URL: Invalid URL; TABLE_NAME: Too small: expected string to have >=1 characters');
  });

  it('parses lists and trims a trailing slash from URLs', () => {
    // Act
    const config = readEnv(
      { PUBLIC_BASE_URL: absoluteUrl(), ORIGINS: commaList() },
      { PUBLIC_BASE_URL: 'https://forms.example.com/', ORIGINS: 'https://a.example, https://b.example,' },
    );

    // Assess
    expect(config).toEqual({ PUBLIC_BASE_URL: 'https://forms.example.com', ORIGINS: ['https://a.example', 'https://b.example'] });
  });

  it('fails fast when neither the secrets ARN nor the local secrets are set', async () => {
    // Act / Assess
    await expect(loadAppSecrets({})).rejects.toThrow(/LEADPIPE_SIGNING_KEY, LEADPIPE_INGEST_SECRET not set/);
  });
});
