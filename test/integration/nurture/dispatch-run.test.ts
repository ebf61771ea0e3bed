import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultNurtureConfig } from '../../../shared/domain/nurture';
import { dueShardFor } from '../../../shared/nurture/nurture-schedule';
import { leadTableDefinition } from '../../../shared/storage/table-design';
import { linkIn, startTestStack, uniqueEmail, type TestStack } from '../../support/test-stack';
import { header, hoursBetween, nurtureEmails, nurtureMails, signUpConfirmed, tickFor, unsubscribeLink } from './nurture-helpers';

const DAY_MS = 86_400_000;

describe('the scheduled nurture run', () => {
  let stack: TestStack;
  let handler: (event: ScheduledEvent, context: Context) => Promise<unknown>;
  let index: DynamoDBDocumentClient;

  beforeAll(async () => {
    stack = await startTestStack();
    // The dispatcher reads its configuration at import: import it once the stack has set the environment.
    ({ handler } = (await import('../../../functions/nurture-dispatcher')) as unknown as { handler: typeof handler });
    index = DynamoDBDocumentClient.from(
      new DynamoDBClient({ endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB, region: process.env.AWS_REGION }),
    );
  });
  afterAll(async () => {
    index?.destroy();
    await stack?.stop();
  });

  function scheduledEvent(time: Date): ScheduledEvent {
    return {
      version: '0',
      id: crypto.randomUUID(),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: '000000000000',
      time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: process.env.AWS_REGION!,
      resources: ['arn:aws:events:eu-central-1:000000000000:rule/nurture-dispatch'],
      detail: {},
    };
  }

  function context(): Context {
    return {
      functionName: 'nurture-dispatcher',
      awsRequestId: crypto.randomUUID(),
      getRemainingTimeInMillis: () => 300_000,
    } as unknown as Context;
  }

  /** The lead's entry in the sharded due index (GSI nurture-due), read the way the dispatcher reads it. */
  async function dueEntry(leadId: string): Promise<string | undefined> {
    const { dueIndex } = leadTableDefinition;
    const page = await index.send(
      new QueryCommand({
        TableName: stack.stack.tableName,
        IndexName: dueIndex.name,
        KeyConditionExpression: '#shard = :shard',
        ExpressionAttributeNames: { '#shard': dueIndex.partitionKey },
        ExpressionAttributeValues: { ':shard': dueShardFor(leadId, defaultNurtureConfig.dueIndexShards) },
      }),
    );
    const entries = (page.Items ?? []).filter((item) => item.pk === `LEAD#${leadId}`);
    expect(entries.length).toBeLessThanOrEqual(1);
    return entries[0]?.[dueIndex.sortKey] as string | undefined;
  }

  it('sends a due step once when two runs with the same Scheduled Event overlap', async () => {
    // Prepare: tofu-1 is due, no scheduled run has seen it yet
    const email = uniqueEmail('duplicate-run', 'gmail.com');
    await signUpConfirmed(stack, email);
    await stack.tick(47);
    stack.stack.clock.advanceHours(2);
    const event = scheduledEvent(stack.stack.clock.now());

    // Act
    const reports = (await Promise.all([handler(event, context()), handler(event, context())])) as Array<{
      outcomes: Record<string, number>;
    }>;
    await stack.drain();

    // Assess
    expect(reports.reduce((sum, report) => sum + report.outcomes.sent!, 0)).toBe(1);
    expect(await nurtureMails(stack, email)).toHaveLength(1);
    expect(await nurtureEmails(stack, email)).toEqual([
      expect.objectContaining({ templateId: 'tofu-1', sentAt: new Date(event.time).toISOString() }),
    ]);

    // Act: the same event delivered once more, later
    await handler(event, context());
    await stack.drain();

    // Assess
    expect(await nurtureMails(stack, email)).toHaveLength(1);
    expect((await stack.lead(email))!.nurture).toMatchObject({
      track: 'tofu',
      nextStep: 1,
      lastSentAt: new Date(event.time).toISOString(),
    });
  });

  it('sends nurture mail with one-click List-Unsubscribe headers and records it on the timeline', async () => {
    // Prepare
    const email = uniqueEmail('headers', 'gmail.com');
    await signUpConfirmed(stack, email);
    const before = stack.stack.clock.now();

    // Act
    const tickedTo = await stack.tick(49);

    // Assess: the mail
    const mails = await nurtureMails(stack, email);
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail.subject).toBe('Cold, warm, MQL, SQL: Welcher Lead ist welcher?');
    expect(header(mail, 'List-Unsubscribe')).toMatch(new RegExp(`^<${stack.url}/unsubscribe\\?token=[A-Za-z0-9_%-]+\\.[A-Za-z0-9_-]+>$`));
    expect(header(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    const link = unsubscribeLink(mail);
    expect(linkIn(mail, '/unsubscribe?token=')).toBe(link);
    const lead = await stack.lead(email);
    const [payload] = new URL(link).searchParams.get('token')!.split('.');
    expect(JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'))).toEqual({
      purpose: 'unsubscribe',
      leadId: lead!.leadId,
      // the template: an unsubscribe counts in that mail's figures
      data: { locale: 'de', template: 'tofu-1' },
    });

    // Assess: the timeline entry, stamped with the run's (event) time
    const marketing = lead!.emails.filter((entry: { category: string }) => entry.category === 'marketing');
    expect(marketing).toEqual([
      { messageId: mail.messageId, templateId: 'tofu-1', category: 'marketing', sentAt: expect.stringMatching(/:\d\d\.000Z$/) },
    ]);
    const sentAt = Date.parse(marketing[0].sentAt);
    expect(sentAt).toBeGreaterThanOrEqual(before.getTime() + 49 * 3_600_000 - 1000);
    expect(sentAt).toBeLessThanOrEqual(Date.parse(tickedTo));
  });

  it('keeps the due index on the next due time, and takes the lead out when nothing is due any more', async () => {
    // Prepare
    const email = uniqueEmail('due-index', 'gmail.com');
    await signUpConfirmed(stack, email);
    const lead = (await stack.lead(email))!;
    const consentAt = lead.interactions.find((interaction: { type: string }) => interaction.type === 'consent_confirmed').at as string;

    // Assess: waiting for tofu-1, two days after entering the track
    expect(await dueEntry(lead.leadId)).toBe(new Date(Date.parse(lead.nurture.enteredAt) + 2 * DAY_MS).toISOString());

    // Act + Assess: after tofu-1, due at tofu-1 + 5 days
    await stack.tick(49);
    const [tofu1] = await nurtureEmails(stack, email);
    expect(await dueEntry(lead.leadId)).toBe(new Date(Date.parse(tofu1!.sentAt) + 5 * DAY_MS).toISOString());

    // Act + Assess: after tofu-2 the track is done; only the score review of the consent (180 days) stays due
    await stack.tick(5 * 24 + 1);
    expect((await nurtureEmails(stack, email)).map((entry) => entry.templateId)).toEqual(['tofu-1', 'tofu-2']);
    expect(await dueEntry(lead.leadId)).toBe(new Date(Date.parse(consentAt) + 180 * DAY_MS).toISOString());

    // Act: past the decay of the last scored interaction
    await tickFor(stack, 180 * 24, 90 * 24);

    // Assess: the score decayed and nothing is due any more
    expect(hoursBetween(consentAt, stack.stack.clock.now().toISOString())).toBeGreaterThan(180 * 24);
    expect(await stack.lead(email)).toMatchObject({ score: 0, lifecycle: 'warm' });
    expect(await dueEntry(lead.leadId)).toBeUndefined();
    expect(await nurtureMails(stack, email)).toHaveLength(2);
  });
});
