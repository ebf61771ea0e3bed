import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, uniqueEmail, type TestStack } from '../../support/test-stack';

/** Unconfirmed double opt-ins are not kept beyond the retention (RETENTION_DAYS, default 30). */
describe('unconfirmed opt-in retention', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('deletes a newsletter-only lead that never confirmed, keeps the others, and only after the retention', async () => {
    // Prepare
    const newsletterOnly = uniqueEmail('unconfirmed');
    const withDownload = uniqueEmail('unconfirmed-download');
    const confirmed = uniqueEmail('confirmed');
    await stack.postJson('/forms/newsletter', { email: newsletterOnly, marketingConsent: true });
    await stack.postJson('/forms/download', {
      email: withDownload,
      firstName: 'Dora',
      assetId: 'ebook-lead-types',
      marketingConsent: true,
    });
    await stack.postJson('/forms/newsletter', { email: confirmed, marketingConsent: true });
    await stack.drain();
    const [optIn] = await stack.mailTo(confirmed);
    const confirmUrl = /https?:\/\/\S+\/confirm\?token=\S+/.exec(optIn!.text)![0];
    await fetch(confirmUrl, { method: 'POST' });
    await stack.drain();

    // Act: just before and just after 30 days
    await stack.tick(29 * 24);
    const before = await Promise.all([newsletterOnly, withDownload, confirmed].map((email) => stack.lead(email)));
    await stack.tick(2 * 24);
    const after = await Promise.all([newsletterOnly, withDownload, confirmed].map((email) => stack.lead(email)));

    // Assess
    expect(before.map((lead) => lead?.consent.marketing)).toEqual(['pending', 'pending', 'confirmed']);
    expect(after[0]).toBeUndefined();
    expect(after[1]).toMatchObject({ consent: { marketing: 'none' }, interactions: [expect.objectContaining({ type: 'download' })] });
    expect(after[2]).toMatchObject({ consent: { marketing: 'confirmed' } });
  });
});
