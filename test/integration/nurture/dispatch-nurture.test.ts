/**
 * The nurture dispatcher's error paths, against the test stack's real DynamoDB table with only SES
 * mocked (aws-sdk-client-mock). Leads are created over HTTP with the real SES emulator; the mock is
 * installed just for the dispatcher runs, which are called directly with an explicit `now`, through the
 * DynamoDB nurture store and the real classification and sendEmail, wired as functions/nurture-dispatcher.ts does.
 */
import {
  BadRequestException,
  MessageRejected,
  NotFoundException,
  SendEmailCommand,
  SESv2Client,
  SESv2ServiceException,
  TooManyRequestsException,
  type SendEmailCommandInput,
} from '@aws-sdk/client-sesv2';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readEnv } from '../../../shared/config/read-env';
import { FUNCTION_ENV } from '../../../shared/wiring/function-config';
import type { NurtureConfig } from '../../../shared/domain/nurture';
import type { DispatchDeps, DispatchReport } from '../../../shared/nurture/dispatch-nurture';
import type { LeadPartition } from '../../../shared/storage/lead-partition';
import { startTestStack, uniqueEmail, type TestStack } from '../../support/test-stack';
import { download, signUpConfirmed } from './nurture-helpers';

const HOUR_MS = 3_600_000;
const $metadata = {};
const CONFIGURATION_SET = 'leadpipe-nurture-test';

describe('dispatchNurture: SES input, error paths, claims and races (SES mocked, DynamoDB real)', () => {
  let stack: TestStack;
  let ses: AwsClientStub<SESv2Client> | undefined;
  let dispatchNurture: (now: string, deps: DispatchDeps) => Promise<DispatchReport>;
  let loadLeadPartition: (tableName: string, leadId: string) => Promise<LeadPartition>;
  let documentClient: typeof import('../../../shared/storage/dynamodb-client').documentClient;
  let keys: typeof import('../../../shared/storage/table-design').keys;
  let deps: DispatchDeps;

  beforeAll(async () => {
    stack = await startTestStack();
    // Modules read their configuration and create SDK clients at import: import them once the stack set the environment.
    ({ dispatchNurture } = await import('../../../shared/nurture/dispatch-nurture'));
    ({ loadLeadPartition } = await import('../../../shared/storage/lead-partition'));
    ({ documentClient } = await import('../../../shared/storage/dynamodb-client'));
    ({ keys } = await import('../../../shared/storage/table-design'));
    const { defaultScoringConfig } = await import('../../../shared/domain/classification');
    const { defaultNurtureConfig } = await import('../../../shared/domain/nurture');
    const { dynamoNurtureStore } = await import('../../../shared/storage/dynamo-nurture-store');
    const { dynamoSentEmailStore } = await import('../../../shared/storage/dynamo-sent-email-store');
    const { reclassifyLead } = await import('../../../shared/classification/reclassify-lead');
    const { dynamoClassificationStore } = await import('../../../shared/storage/dynamo-classification-store');
    const { emailSendingOf, sendEmail } = await import('../../../shared/email/send-email');
    // Read as functions/nurture-dispatcher.ts reads it; the lead mail's configuration set is this test's own.
    const config = readEnv(FUNCTION_ENV['nurture-dispatcher']);
    const sending = { ...emailSendingOf(config), leadConfigurationSet: CONFIGURATION_SET };
    const tableName = stack.stack.tableName;
    const sentEmails = dynamoSentEmailStore(tableName);
    const classificationStore = dynamoClassificationStore(tableName);
    const classifyDeps = { store: classificationStore, retentionDays: config.RETENTION_DAYS };
    deps = {
      store: dynamoNurtureStore(tableName),
      reclassify: (leadId, now, snapshot) => reclassifyLead(classifyDeps, leadId, now, defaultScoringConfig, snapshot),
      sendEmail: (email) => sendEmail({ ...email, store: sentEmails, sending }),
      retentionDays: config.RETENTION_DAYS,
      signingKey: process.env.LEADPIPE_SIGNING_KEY!,
      publicBaseUrl: stack.url,
      imprint: 'Leadpipe Example GmbH · Musterstraße 1 · 10115 Berlin',
      senderName: 'Erika Mustermann, Leadpipe Example GmbH',
      scoring: defaultScoringConfig,
      nurture: defaultNurtureConfig,
    };
  });
  afterEach(() => {
    ses?.restore();
    ses = undefined;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** A confirmed newsletter lead on the tofu track (created with the real SES emulator). */
  async function confirmedLead(label: string): Promise<{ email: string; leadId: string; enteredAt: string }> {
    const email = uniqueEmail(label, 'gmail.com');
    await signUpConfirmed(stack, email);
    const lead = (await stack.lead(email))!;
    return { email, leadId: lead.leadId, enteredAt: lead.nurture.enteredAt };
  }

  function hoursAfter(iso: string, hours: number): string {
    return new Date(Date.parse(iso) + hours * HOUR_MS).toISOString();
  }

  /** Replaces SES for the next dispatcher runs; every other send succeeds with a fresh message id. */
  function mockSes(): AwsClientStub<SESv2Client> {
    ses = mockClient(SESv2Client);
    let count = 0;
    ses.on(SendEmailCommand).callsFake(async () => ({ MessageId: `mock-${++count}-${crypto.randomUUID()}` }));
    return ses;
  }

  function sendsTo(email: string): SendEmailCommandInput[] {
    return (ses?.commandCalls(SendEmailCommand) ?? [])
      .map((call) => call.args[0].input)
      .filter((input) => input.Destination?.ToAddresses?.includes(email));
  }

  async function stored(leadId: string) {
    const { lead, emails } = await loadLeadPartition(stack.stack.tableName, leadId);
    return { lead: lead as unknown as Record<string, any>, marketing: emails.filter((email) => email.category === 'marketing') };
  }

  it('sends with the configuration set, EmailTags for lead and step, and the one-click headers', async () => {
    // Prepare
    const { email, leadId, enteredAt } = await confirmedLead('send-input');
    mockSes();

    // Act
    await dispatchNurture(hoursAfter(enteredAt, 49), deps);

    // Assess
    const [input] = sendsTo(email);
    expect(sendsTo(email)).toHaveLength(1);
    expect(input!.ConfigurationSetName).toBe(CONFIGURATION_SET);
    expect(input!.EmailTags).toEqual(
      expect.arrayContaining([
        { Name: 'leadId', Value: leadId },
        { Name: 'step', Value: 'tofu-1' },
      ]),
    );
    const headers = input!.Content!.Simple!.Headers!;
    expect(headers).toContainEqual({
      Name: 'List-Unsubscribe',
      Value: expect.stringMatching(new RegExp(`^<${stack.url}/unsubscribe\\?token=[^>]+>$`)),
    });
    expect(headers).toContainEqual({ Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' });
  });

  it('leaves the step due and records nothing on a retryable error, and sends it on the next run', async () => {
    // Prepare
    const { email, leadId, enteredAt } = await confirmedLead('retryable');
    const before = await stored(leadId);
    mockSes()
      .on(SendEmailCommand, { Destination: { ToAddresses: [email] } })
      .rejects(new TooManyRequestsException({ message: 'Maximum sending rate exceeded.', $metadata: {} }));
    const now = hoursAfter(enteredAt, 49);

    // Act
    const report = await dispatchNurture(now, deps);

    // Assess
    expect(report.outcomes['retry-later']).toBeGreaterThanOrEqual(1);
    expect(sendsTo(email)).toHaveLength(1);
    const after = await stored(leadId);
    expect(after.lead.nurture).toEqual(before.lead.nurture);
    expect(after.lead.nurture).toMatchObject({ track: 'tofu', nextStep: 0 });
    expect(after.lead.nurture.lastSentAt).toBeUndefined();
    expect(after.lead.nurtureDueAt <= now).toBe(true);
    expect(after.lead.dueShard).toBeDefined();
    expect(after.lead.nurtureSending).toBeUndefined();
    expect(after.lead.nurtureFailures).toBeUndefined();
    expect(after.marketing).toEqual([]);

    // Act: the next run, SES is back
    ses!.restore();
    mockSes();
    const next = hoursAfter(now, 0.25);
    await dispatchNurture(next, deps);

    // Assess
    expect(sendsTo(email)).toHaveLength(1);
    const sent = await stored(leadId);
    expect(sent.lead.nurture).toMatchObject({ track: 'tofu', nextStep: 1, lastSentAt: next });
    expect(sent.marketing).toEqual([expect.objectContaining({ templateId: 'tofu-1', sentAt: next, step: 'tofu-1' })]);
    expect(sent.lead.nurtureFailures).toBeUndefined();
  });

  it('counts an email SES accepted as sent even when recording it on the timeline fails: no second send', async () => {
    // Prepare: a message id longer than a sort key may be makes the timeline write fail after SES accepted
    const { email, leadId, enteredAt } = await confirmedLead('unrecorded');
    mockSes()
      .on(SendEmailCommand, { Destination: { ToAddresses: [email] } })
      .resolves({ MessageId: 'x'.repeat(1100) });
    const now = hoursAfter(enteredAt, 49);

    // Act
    const report = await dispatchNurture(now, deps);
    await dispatchNurture(hoursAfter(now, 0.25), deps);

    // Assess
    expect(report.outcomes.sent).toBeGreaterThanOrEqual(1);
    expect(sendsTo(email)).toHaveLength(1);
    const after = await stored(leadId);
    expect(after.lead.nurture).toMatchObject({ track: 'tofu', nextStep: 1, lastSentAt: now });
    expect(after.lead.nurtureFailures).toBeUndefined();
    expect(after.lead.nurtureSending).toBeUndefined();
  });

  it.each([
    ['MessageRejected (sandbox)', () => new MessageRejected({ message: 'Email address is not verified.', $metadata })],
    [
      'AccessDeniedException (unverified sending identity)',
      () => new SESv2ServiceException({ name: 'AccessDeniedException', $fault: 'client', message: 'not authorized', $metadata }),
    ],
    ['NotFoundException (set missing)', () => new NotFoundException({ message: 'Configuration set x is missing.', $metadata })],
  ])('keeps the step due on a setup error, %s: nothing held against the lead, one attempt per run', async (_label, setupError) => {
    // Prepare
    const { email, leadId, enteredAt } = await confirmedLead('setup-error');
    const before = await stored(leadId);
    mockSes()
      .on(SendEmailCommand, { Destination: { ToAddresses: [email] } })
      .callsFake(async () => {
        throw setupError();
      });
    const now = hoursAfter(enteredAt, 49);

    // Act: two runs while the setup is broken
    const report = await dispatchNurture(now, deps);
    const attemptsInFirstRun = sendsTo(email).length;
    const nextRun = hoursAfter(now, 0.25);
    await dispatchNurture(nextRun, deps);

    // Assess: attempted once per run, nothing held against the lead, the step still due
    expect(report.outcomes['setup-error']).toBeGreaterThanOrEqual(1);
    expect(report.outcomes.failed).toBe(0);
    expect(attemptsInFirstRun).toBe(1);
    expect(sendsTo(email)).toHaveLength(2);
    const after = await stored(leadId);
    expect(after.lead.nurtureFailures).toBeUndefined();
    expect(after.lead.nurture).toEqual(before.lead.nurture);
    expect(after.lead.nurtureDueAt <= nextRun).toBe(true);
    expect(after.lead.nurtureSending).toBeUndefined();
    expect(after.marketing).toEqual([]);

    // Act: the setup is fixed before the following run
    ses!.restore();
    mockSes();
    const fixed = hoursAfter(nextRun, 0.25);
    await dispatchNurture(fixed, deps);

    // Assess: the step that was due goes out, late but not lost
    expect(sendsTo(email).map((input) => input.EmailTags?.find((tag) => tag.Name === 'step')?.Value)).toEqual(['tofu-1']);
    const sent = await stored(leadId);
    expect(sent.marketing).toEqual([expect.objectContaining({ templateId: 'tofu-1', sentAt: fixed })]);
    expect(sent.lead.nurture).toMatchObject({ track: 'tofu', nextStep: 1, lastSentAt: fixed });
    expect(sent.lead.nurtureFailures).toBeUndefined();
  });

  it('records a permanent error on the lead and moves on to the next step', async () => {
    // Prepare: SES refuses this message itself (the address), which will fail the same way again
    const { email, leadId, enteredAt } = await confirmedLead('rejected');
    mockSes()
      .on(SendEmailCommand, { Destination: { ToAddresses: [email] } })
      .rejects(new BadRequestException({ message: 'Illegal address', $metadata: {} }));
    const now = hoursAfter(enteredAt, 49);

    // Act
    const report = await dispatchNurture(now, deps);

    // Assess: the failure is on the lead; tofu-2 is due 7 days after entry (no email went out, so no "previous email")
    expect(report.outcomes.failed).toBeGreaterThanOrEqual(1);
    const after = await stored(leadId);
    expect(after.lead.nurtureFailures).toEqual([
      { step: 'tofu-1', templateId: 'tofu-1', error: 'BadRequestException: Illegal address', at: now },
    ]);
    expect(after.lead.nurture).toMatchObject({ track: 'tofu', nextStep: 1 });
    expect(after.lead.nurture.lastSentAt).toBeUndefined();
    expect(after.lead.nurtureDueAt).toBe(hoursAfter(enteredAt, 7 * 24));
    expect(after.lead.nurtureSending).toBeUndefined();
    expect(after.marketing).toEqual([]);

    // Act: the next runs, SES accepts again
    ses!.restore();
    mockSes();
    await dispatchNurture(hoursAfter(now, 0.25), deps);
    const tofu2At = hoursAfter(enteredAt, 7 * 24 + 0.25);
    await dispatchNurture(tofu2At, deps);

    // Assess: tofu-1 is not retried; tofu-2 goes out on time
    expect(sendsTo(email).map((input) => input.EmailTags?.find((tag) => tag.Name === 'step')?.Value)).toEqual(['tofu-2']);
    const later = await stored(leadId);
    expect(later.marketing).toEqual([expect.objectContaining({ templateId: 'tofu-2', sentAt: tofu2At })]);
    expect(later.lead.nurtureFailures).toHaveLength(1);
  });

  it('does not send a step another run has claimed, and takes over a claim left stale for over an hour', async () => {
    // Prepare: a run claimed tofu-1 and died mid-send
    const { email, leadId, enteredAt } = await confirmedLead('stale-claim');
    const claimedAt = hoursAfter(enteredAt, 49);
    await documentClient.send(
      new UpdateCommand({
        TableName: stack.stack.tableName,
        Key: keys.lead(leadId),
        UpdateExpression: 'SET nurtureSending = :sending ADD #version :one',
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: { ':sending': { track: 'tofu', step: 0, claimedAt }, ':one': 1 },
      }),
    );
    mockSes();

    // Act: a run within the hour
    const report = await dispatchNurture(hoursAfter(claimedAt, 0.5), deps);

    // Assess
    expect(report.outcomes['claimed-elsewhere']).toBeGreaterThanOrEqual(1);
    expect(sendsTo(email)).toHaveLength(0);

    // Act: a run after the hour
    const takeover = hoursAfter(claimedAt, 1.25);
    await dispatchNurture(takeover, deps);

    // Assess
    expect(sendsTo(email)).toHaveLength(1);
    const after = await stored(leadId);
    expect(after.lead.nurtureSending).toBeUndefined();
    expect(after.marketing).toEqual([expect.objectContaining({ templateId: 'tofu-1', sentAt: takeover })]);
  });

  it('keeps the frequency cap when a configured step would follow the previous one sooner', async () => {
    // Prepare: tofu-2 one day after tofu-1, cap 48 h
    const { email, enteredAt } = await confirmedLead('tight-config');
    const tight: NurtureConfig = {
      ...deps.nurture,
      tracks: {
        ...deps.nurture.tracks,
        tofu: [
          { day: 2, templateId: 'tofu-1', offer: 'ebook-lead-types' },
          { day: 3, templateId: 'tofu-2', offer: 'case-study-b2b' },
        ],
      },
      frequencyCapHours: 48,
    };
    mockSes();
    const tofu1At = hoursAfter(enteredAt, 49);
    await dispatchNurture(tofu1At, { ...deps, nurture: tight });
    expect(sendsTo(email)).toHaveLength(1);

    // Act: runs at tofu-1 + 25 h (the step delay is over) and + 47.5 h (the cap is not)
    await dispatchNurture(hoursAfter(tofu1At, 25), { ...deps, nurture: tight });
    await dispatchNurture(hoursAfter(tofu1At, 47.5), { ...deps, nurture: tight });

    // Assess
    expect(sendsTo(email)).toHaveLength(1);

    // Act: past the cap
    await dispatchNurture(hoursAfter(tofu1At, 48.25), { ...deps, nurture: tight });

    // Assess
    expect(sendsTo(email).map((input) => input.EmailTags?.find((tag) => tag.Name === 'step')?.Value)).toEqual(['tofu-1', 'tofu-2']);
  });

  it('does not lose a stage change that lands while the email is being sent', async () => {
    // Prepare: the clock is at tofu-1's due time; SES is slow for this lead, and during the send the
    // lead downloads the mofu case study
    const { email, leadId } = await confirmedLead('stage-during-send');
    stack.stack.clock.advanceHours(49);
    const now = stack.stack.clock
      .now()
      .toISOString()
      .replace(/\.\d{3}Z$/, '.000Z');
    let downloaded = false;
    mockSes()
      .on(SendEmailCommand, { Destination: { ToAddresses: [email] } })
      .callsFake(async () => {
        if (!downloaded) {
          downloaded = true;
          await download(stack, email, 'case-study-b2b');
        }
        return { MessageId: `mock-${crypto.randomUUID()}` };
      });

    // Act
    await dispatchNurture(now, deps);

    // Assess: tofu-1 went out, and the lead is on the mofu track with mofu-1 due three days after the download
    const after = await stored(leadId);
    expect(after.lead.funnelStage).toBe('mofu');
    expect(after.marketing).toEqual([expect.objectContaining({ templateId: 'tofu-1', sentAt: now })]);
    expect(after.lead.nurture).toMatchObject({ track: 'mofu', nextStep: 0, lastSentAt: now });
    const downloadAt = (await stack.lead(email))!.interactions.find((interaction: { type: string }) => interaction.type === 'download')
      .at as string;
    expect(Math.abs(Date.parse(after.lead.nurture.enteredAt) - Date.parse(downloadAt))).toBeLessThan(1000);
    expect(after.lead.nurtureDueAt).toBe(hoursAfter(after.lead.nurture.enteredAt, 72));
  });
});
