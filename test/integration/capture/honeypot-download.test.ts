import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, uniqueEmail, type TestStack } from '../../support/test-stack';
import { expectNothingStoredOrSent, tokenPayload, validBody } from './capture-helpers';

describe('a filled honeypot on /forms/download', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('answers with a link that looks like a real one but never opens the file', async () => {
    // Prepare
    const human = uniqueEmail('human-dl');
    const bot = uniqueEmail('bot-dl');

    // Act
    const real = (await (await stack.postJson('/forms/download', validBody('download', human))).json()) as { downloadUrl: string };
    const decoy = (await (
      await stack.postJson('/forms/download', { ...validBody('download', bot), website: 'https://spam.example' })
    ).json()) as { downloadUrl: string };
    const opensReal = await fetch(real.downloadUrl, { redirect: 'manual' });
    const opensDecoy = await fetch(decoy.downloadUrl, { redirect: 'manual' });

    // Assess: the same shape, the same kind of token, but only the real one redirects to the file
    expect(decoy.downloadUrl).toMatch(new RegExp(`^${stack.url}/downloads/ebook-lead-types\\?token=[A-Za-z0-9_%-]+\\.[A-Za-z0-9_-]+$`));
    expect(Object.keys(tokenPayload(decoy.downloadUrl)).sort()).toEqual(Object.keys(tokenPayload(real.downloadUrl)).sort());
    expect(opensReal.status).toBe(302);
    expect(opensDecoy.status).toBe(400);
    await expectNothingStoredOrSent(stack, bot);
  });
});
