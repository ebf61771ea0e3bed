/**
 * sendEmail sends as, and through the configuration sets of, the function that calls it: its caller passes them in
 * (issue 12: configuration reaches shared/ code one way, from the handler's readEnv). Real SES emulator; the record
 * goes to an in-memory SentEmailStore, which is the port sendEmail writes through.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SentEmail } from '../../../shared/email/sent-email-store';
import { startTestStack, uniqueEmail, type TestStack } from '../../support/test-stack';

describe('sendEmail: sender and configuration sets come from the caller', () => {
  let stack: TestStack;
  let sendEmail: typeof import('../../../shared/email/send-email').sendEmail;

  beforeAll(async () => {
    stack = await startTestStack();
    // The SES client is created at import from AWS_ENDPOINT_URL_SESV2, which the stack has just set.
    ({ sendEmail } = await import('../../../shared/email/send-email'));
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it.each([
    ['system mail to the lead', 'system', 'caller-lead-set'],
    ['sales mail', 'sales', 'caller-sales-set'],
  ] as const)('sends %s from the given address and records the given configuration set', async (_label, category, expectedSet) => {
    // Prepare: a sender that is not the environment's SENDER_ADDRESS
    const to = uniqueEmail('sender');
    const records: SentEmail[] = [];
    const senderAddress = 'Caller Sender <caller@sender-config.example>';
    expect(process.env.SENDER_ADDRESS).not.toBe(senderAddress);

    // Act
    await sendEmail({
      store: { recordSentEmail: async (record) => void records.push(record) },
      sending: { senderAddress, leadConfigurationSet: 'caller-lead-set', salesConfigurationSet: 'caller-sales-set' },
      leadId: 'L-sender',
      to: [to],
      templateId: 'opt-in',
      locale: 'en',
      vars: {
        firstName: 'Jane',
        confirmUrl: 'https://leadpipe.example/confirm?token=t',
        companyName: 'Leadpipe Example GmbH',
        senderName: 'Erika Mustermann',
        imprint: 'Leadpipe Example GmbH, Berlin',
      },
      category,
      at: '2026-11-02T10:00:00.000Z',
    });

    // Assess
    const mails = await stack.mailTo(to);
    expect(mails.map((mail) => mail.from)).toEqual([senderAddress]);
    expect(records.map((record) => record.configurationSet)).toEqual([expectedSet]);
  });
});
