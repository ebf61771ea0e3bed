/**
 * notifySales claims each recipient on its own (AWS review item 10), against the test stack's real
 * DynamoDB table with only SES mocked (aws-sdk-client-mock): a retry after a partial send mails only
 * the recipients not yet mailed. Leads are created over HTTP with the real SES emulator.
 */
import {
  MessageRejected,
  SendEmailCommand,
  SESv2Client,
  TooManyRequestsException,
  type SendEmailCommandInput,
} from '@aws-sdk/client-sesv2';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readEnv } from '../../../shared/config/read-env';
import { FUNCTION_ENV } from '../../../shared/wiring/function-config';
import type { NotifyDeps, NotifyOutcome } from '../../../shared/sales/notify-sales';
import { startTestStack, uniqueEmail, type TestStack } from '../../support/test-stack';

const FIRST = 'first@sales.example';
const SECOND = 'second@sales.example';
const THIRD = 'third@sales.example';

describe('notifySales: one claim per recipient (SES mocked, DynamoDB real)', () => {
  let stack: TestStack;
  let ses: AwsClientStub<SESv2Client> | undefined;
  let notifySales: typeof import('../../../shared/sales/notify-sales').notifySales;
  let documentClient: typeof import('../../../shared/storage/dynamodb-client').documentClient;
  let deps: NotifyDeps;

  beforeAll(async () => {
    stack = await startTestStack();
    // Modules read their configuration and create SDK clients at import: import them once the stack set the environment.
    ({ notifySales } = await import('../../../shared/sales/notify-sales'));
    ({ documentClient } = await import('../../../shared/storage/dynamodb-client'));
    const { dynamoSalesStore } = await import('../../../shared/storage/dynamo-sales-store');
    const { emailSendingOf } = await import('../../../shared/email/send-email');
    deps = {
      store: dynamoSalesStore(stack.stack.tableName),
      sending: emailSendingOf(readEnv(FUNCTION_ENV['notify-sales'])),
      signingKey: process.env.LEADPIPE_SIGNING_KEY!,
      consoleUrl: 'http://localhost/console/',
      publicBaseUrl: stack.url,
      salesRecipients: [FIRST, SECOND, THIRD],
      salesLocale: 'en',
    };
  });
  afterEach(() => {
    ses?.restore();
    ses = undefined;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** A lead that exists (newsletter signup, real SES emulator); sales has not been notified about it. */
  async function lead(label: string): Promise<string> {
    const email = uniqueEmail(label);
    expect((await stack.postJson('/forms/newsletter', { email, marketingConsent: true, firstName: 'Hanna' })).status).toBe(200);
    await stack.drain();
    return (await stack.lead(email))!.leadId as string;
  }

  /** Replaces SES; `fail(to, attempt)` returns an error to throw for that recipient's n-th send, else the send succeeds. */
  function mockSes(fail: (to: string, attempt: number) => Error | undefined = () => undefined): AwsClientStub<SESv2Client> {
    ses = mockClient(SESv2Client);
    const attempts = new Map<string, number>();
    ses.on(SendEmailCommand).callsFake(async (input: SendEmailCommandInput) => {
      const to = input.Destination!.ToAddresses![0]!;
      const attempt = (attempts.get(to) ?? 0) + 1;
      attempts.set(to, attempt);
      const error = fail(to, attempt);
      if (error) throw error;
      return { MessageId: `mock-${attempt}-${crypto.randomUUID()}` };
    });
    return ses;
  }

  function sendsTo(address: string): SendEmailCommandInput[] {
    return (ses?.commandCalls(SendEmailCommand) ?? [])
      .map((call) => call.args[0].input)
      .filter((input) => input.Destination?.ToAddresses?.includes(address));
  }

  async function salesEmailsOnTimeline(leadId: string): Promise<number> {
    const result = await documentClient.send(
      new QueryCommand({
        TableName: stack.stack.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :email)',
        ExpressionAttributeValues: { ':pk': `LEAD#${leadId}`, ':email': 'EMAIL#' },
      }),
    );
    return (result.Items ?? []).filter((item) => item.category === 'sales').length;
  }

  function input(leadId: string, eventId: string) {
    return { leadId, kind: 'MQL' as const, qualificationSeq: 1, eventId, at: '2026-11-02T10:00:00.000Z' };
  }

  it('mails only the recipients not yet mailed when the event is retried after SES failed for the second recipient', async () => {
    // Prepare: SES throttles the second recipient on the first attempt only
    const leadId = await lead('partial');
    const throttled = new TooManyRequestsException({ message: 'Maximum sending rate exceeded.', $metadata: {} });
    mockSes((to, attempt) => (to === SECOND && attempt === 1 ? throttled : undefined));

    // Act: the first attempt fails (so the event is retried), the retry of the same event succeeds
    const first = notifySales(input(leadId, 'event-1'), deps);
    await expect(first).rejects.toThrow('Maximum sending rate exceeded.');
    const retried: NotifyOutcome = await notifySales(input(leadId, 'event-1'), deps);

    // Assess
    expect(retried).toBe('sent');
    expect(sendsTo(FIRST)).toHaveLength(1);
    expect(sendsTo(SECOND)).toHaveLength(2);
    expect(sendsTo(THIRD)).toHaveLength(1);
    expect(await salesEmailsOnTimeline(leadId)).toBe(3);
  });

  it('sends nothing more on a further retry, or for another event about the same qualification', async () => {
    // Prepare
    const leadId = await lead('settled');
    mockSes();
    await notifySales(input(leadId, 'event-a'), deps);

    // Act
    const again = await notifySales(input(leadId, 'event-a'), deps);
    const other = await notifySales(input(leadId, 'event-b'), deps);

    // Assess
    expect([again, other]).toEqual(['sent', 'already-notified']);
    expect([sendsTo(FIRST), sendsTo(SECOND), sendsTo(THIRD)].map((sends) => sends.length)).toEqual([1, 1, 1]);
  });

  it('keeps a recipient SES refused for a setup reason due: the retry mails them once the setup is fixed', async () => {
    // Prepare: the sandbox refuses every recipient at first
    const leadId = await lead('setup');
    let sandbox = true;
    mockSes(() => (sandbox ? new MessageRejected({ message: 'Email address is not verified.', $metadata: {} }) : undefined));

    // Act
    await expect(notifySales(input(leadId, 'event-s'), deps)).rejects.toThrow(/3 recipients/);
    sandbox = false;
    const retried = await notifySales(input(leadId, 'event-s'), deps);

    // Assess
    expect(retried).toBe('sent');
    expect([sendsTo(FIRST), sendsTo(SECOND), sendsTo(THIRD)].map((sends) => sends.length)).toEqual([2, 2, 2]);
    expect(await salesEmailsOnTimeline(leadId)).toBe(3);
  });

  it('does not mail a recipient again whose mail SES accepted but the timeline missed', async () => {
    // Prepare: a message id longer than a sort key may be makes the timeline write fail after SES accepted
    const leadId = await lead('unrecorded');
    mockSes();
    ses!.on(SendEmailCommand, { Destination: { ToAddresses: [FIRST] } }).resolves({ MessageId: 'x'.repeat(1100) });

    // Act
    await notifySales(input(leadId, 'event-u'), deps);
    await notifySales(input(leadId, 'event-u'), deps);

    // Assess
    expect([sendsTo(FIRST), sendsTo(SECOND), sendsTo(THIRD)].map((sends) => sends.length)).toEqual([1, 1, 1]);
  });

  it('sends sales mail through the untracked configuration set, without the lead id in its tags', async () => {
    // Prepare
    const leadId = await lead('tags');
    mockSes();

    // Act
    await notifySales(input(leadId, 'event-t'), deps);

    // Assess
    const [sent] = sendsTo(FIRST);
    expect(sent!.ConfigurationSetName).toBe('leadpipe-sales-mail');
    expect(sent!.EmailTags).toEqual(expect.arrayContaining([{ Name: 'category', Value: 'sales' }]));
    expect(sent!.EmailTags!.map((tag) => tag.Name)).not.toContain('leadId');
  });
});
