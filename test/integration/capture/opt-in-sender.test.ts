import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, uniqueEmail, type TestStack } from '../../support/test-stack';
import { optInMails, validBody } from './capture-helpers';

describe('the opt-in mail as the stack sends it', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it.each([
    ['de', 'Interesse an Leadpipe Example GmbH', 'Tipps und Inhalte zu B2B-Lead-Management, etwa alle ein bis zwei Wochen'],
    ['en', 'interest in Leadpipe Example GmbH', 'tips and content on B2B lead management, about every one to two weeks'],
  ] as const)(
    '(%s) names the company and what the reader signs up for, is signed by the sender and carries the imprint',
    async (locale, company, what) => {
      // Prepare
      const email = uniqueEmail(`opt-in-sender-${locale}`);

      // Act
      const response = await stack.postJson('/forms/newsletter', { ...validBody('newsletter', email), locale });
      await stack.drain();

      // Assess
      expect(response.status).toBe(200);
      const mails = await optInMails(stack, email);
      expect(mails).toHaveLength(1);
      for (const part of [mails[0]!.text, mails[0]!.html]) {
        expect(part).toContain(company);
        expect(part).toContain(what);
        expect(part).toContain('Erika Mustermann, Leadpipe Example GmbH');
        expect(part).toContain('Musterstraße 1');
        expect(part).not.toMatch(/Ihr Team|Your team/);
      }
    },
  );
});
