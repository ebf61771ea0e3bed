import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, uniqueEmail, type TestStack } from '../support/test-stack';

describe('newsletter signup through the whole local pipeline', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('stores the lead and its interaction and sends one double-opt-in email', async () => {
    // Prepare
    const email = uniqueEmail('skeleton');

    // Act
    const response = await stack.postJson('/forms/newsletter', { email: email.toUpperCase(), marketingConsent: true });
    await stack.drain();

    // Assess
    expect(response.status).toBe(200);
    const lead = await stack.lead(email);
    expect(lead).toMatchObject({ email, lifecycle: 'warm', consent: { marketing: 'pending' } });
    expect(lead!.interactions).toEqual([expect.objectContaining({ type: 'newsletter_signup' })]);
    const mails = await stack.mailTo(email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.text).toMatch(/\/confirm\?token=/);
  });

  it('answers 404 for an unknown lead', async () => {
    // Prepare
    const email = uniqueEmail('nobody');

    // Act
    const response = await fetch(`${stack.url}/_dev/leads/${email}`);

    // Assess
    expect(response.status).toBe(404);
  });
});
