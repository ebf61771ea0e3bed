/**
 * sendEmail counts a setup error as the EmailSetupError metric (CloudWatch EMF on stdout, the line
 * the EmailSetupErrors alarm reads) and rethrows it; other errors are not counted. Only SES is
 * mocked; the send fails before anything is stored, so no table is needed.
 */
import { MessageRejected, SendEmailCommand, SESv2Client, SESv2ServiceException, TooManyRequestsException } from '@aws-sdk/client-sesv2';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

describe('sendEmail: the EmailSetupError metric', () => {
  let ses: AwsClientStub<SESv2Client>;
  let sendEmail: typeof import('../../../shared/email/send-email').sendEmail;
  let lines: string[];

  beforeAll(async () => {
    // The metrics module reads this at import; the suite disables metrics elsewhere.
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', 'leadpipe');
    ({ sendEmail } = await import('../../../shared/email/send-email'));
    ses = mockClient(SESv2Client);
  });
  afterEach(() => {
    ses.reset();
    vi.restoreAllMocks();
  });
  afterAll(() => {
    ses.restore();
    vi.unstubAllEnvs();
  });

  async function sendFailingWith(error: Error): Promise<Array<Record<string, any>>> {
    ses.on(SendEmailCommand).rejects(error);
    lines = [];
    // Captured, not printed: the EMF lines are what this test reads.
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    const send = sendEmail({
      store: { recordSentEmail: () => Promise.reject(new Error('never recorded: the send fails first')) },
      sending: { senderAddress: 'Leadpipe <hello@leadpipe.example>', leadConfigurationSet: 'lead', salesConfigurationSet: 'sales' },
      leadId: 'L1',
      to: ['jane@acme.example'],
      templateId: 'opt-in',
      locale: 'en',
      vars: {
        firstName: 'Jane',
        confirmUrl: 'https://leadpipe.example/confirm?token=t',
        companyName: 'Leadpipe Example GmbH',
        senderName: 'Erika Mustermann',
        imprint: 'Leadpipe Example GmbH, Berlin',
      },
      category: 'system',
      at: '2026-11-02T10:00:00.000Z',
    });
    await expect(send).rejects.toBe(error);
    return lines.filter((line) => line.includes('"_aws"')).map((line) => JSON.parse(line) as Record<string, any>);
  }

  it.each([
    ['MessageRejected (sandbox)', new MessageRejected({ message: 'Email address is not verified.', $metadata: {} })],
    [
      'AccessDeniedException',
      new SESv2ServiceException({ name: 'AccessDeniedException', $fault: 'client', message: 'not authorized', $metadata: {} }),
    ],
  ])('counts %s once, with the service dimension only, and rethrows it', async (_label, error) => {
    // Prepare: the error

    // Act
    const metrics = await sendFailingWith(error);

    // Assess
    expect(metrics).toHaveLength(1);
    expect(metrics[0]).toMatchObject({ EmailSetupError: 1, service: 'leadpipe' });
    expect(metrics[0]!._aws.CloudWatchMetrics).toEqual([
      { Namespace: 'leadpipe', Dimensions: [['service']], Metrics: [{ Name: 'EmailSetupError', Unit: 'Count' }] },
    ]);
  });

  it('does not count a transient error', async () => {
    // Prepare
    const error = new TooManyRequestsException({ message: 'Maximum sending rate exceeded.', $metadata: {} });

    // Act
    const metrics = await sendFailingWith(error);

    // Assess
    expect(metrics).toEqual([]);
  });
});
