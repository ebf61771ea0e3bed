/**
 * The local stack stands in for SES's event destination of the lead-mail configuration set: every mail its own
 * functions send through that set is followed by one "Email Sent" and one "Email Delivered" event on the default
 * bus, which the forward rule brings to the app bus, as on AWS. Sales mail (the untracked set) and mail of other
 * stacks in the shared emulator publish nothing. Real local stack, real shared emulator throughout.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalEventBus } from '../../../local/event-bus/local-event-bus';
import { LOCAL_BUS_NAME, LOCAL_REGION } from '../../../local/local-environment';
import { LOOKUP_GRACE_SECONDS, SesEventPublisher } from '../../../local/ses-event-publisher';
import { VirtualClock } from '../../../local/virtual-clock';
import { SES_CONFIGURATION_SET_TAG, SES_CONFIGURATION_SETS } from '../../../shared/email/configuration-sets';
import { readEmailPerformance } from '../../../shared/reporting/funnel-read-model';
import { ensureLeadTable } from '../../../shared/storage/create-lead-table';
import { keys } from '../../../shared/storage/table-design';
import { qualifiedLead, stackNow } from '../sales/sales-helpers';
import { startTestStack, uniqueEmail, type DevMail, type TestStack } from '../../support/test-stack';

interface LoggedEvent {
  id: string;
  bus: string;
  source: string;
  'detail-type': string;
  detail: { eventType: string; mail: { messageId: string; destination?: string[]; tags?: Record<string, string[]> } };
}

describe('SES sending events of the local stack', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  function sesEventsAbout(messageId: string): LoggedEvent[] {
    return (stack.stack.bus.log as unknown as LoggedEvent[]).filter(
      (event) => event.source === 'aws.ses' && event.detail.mail?.messageId === messageId,
    );
  }

  /** A mail as some function sends it through the lead-mail set, straight to the shared emulator. */
  async function sendDirectly(leadId: string): Promise<string> {
    const ses = new SESv2Client({
      endpoint: stack.stack.sesEndpoint,
      region: LOCAL_REGION,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const sent = await ses.send(
      new SendEmailCommand({
        FromEmailAddress: 'hello@leadpipe.example',
        Destination: { ToAddresses: [uniqueEmail('ses-events-direct')] },
        ConfigurationSetName: SES_CONFIGURATION_SETS.leadMail,
        EmailTags: [
          { Name: 'leadId', Value: leadId },
          { Name: 'template', Value: 'opt-in' },
          { Name: 'category', Value: 'system' },
        ],
        Content: { Simple: { Subject: { Data: 'Hello' }, Body: { Text: { Data: 'Hello' } } } },
      }),
    );
    ses.destroy();
    expect(sent.MessageId).toBeDefined();
    return sent.MessageId!;
  }

  async function signUp(email: string): Promise<DevMail> {
    expect((await stack.postJson('/forms/newsletter', { email, marketingConsent: true })).status).toBe(200);
    await stack.drain();
    const mails = await stack.mailTo(email);
    expect(mails).toHaveLength(1);
    return mails[0]!;
  }

  it("publishes one Send and one Delivery for the opt-in mail, with SES's tags, forwarded to the app bus", async () => {
    // Prepare
    const email = uniqueEmail('ses-events');

    // Act
    const optIn = await signUp(email);
    await stack.drain();

    // Assess
    const { leadId } = (await stack.lead(email))!;
    const events = sesEventsAbout(optIn.messageId);
    const onDefault = events.filter((event) => event.bus === 'default');
    expect(onDefault.map((event) => [event['detail-type'], event.detail.eventType])).toEqual([
      ['Email Sent', 'Send'],
      ['Email Delivered', 'Delivery'],
    ]);
    for (const event of onDefault) {
      expect(event.detail.mail.tags).toEqual({
        leadId: [leadId],
        template: ['opt-in'],
        category: ['system'],
        [SES_CONFIGURATION_SET_TAG]: [SES_CONFIGURATION_SETS.leadMail],
      });
      expect(event.detail.mail.destination).toEqual([email]);
    }
    // the forward rule passes each on once, unchanged
    const onApp = events.filter((event) => event.bus === LOCAL_BUS_NAME);
    expect(onApp.map((event) => event.id)).toEqual(onDefault.map((event) => event.id));
    expect(stack.stack.bus.deadLetters.filter((letter) => letter.event.source === 'aws.ses')).toEqual([]);
  });

  it("counts the opt-in mail as sent in the funnel's email performance", async () => {
    // Prepare
    const { dynamoFunnelProjectionStore } = await import('../../../shared/storage/dynamo-funnel-projection-store');
    const store = dynamoFunnelProjectionStore(stack.stack.tableName);
    const today = (await stackNow(stack)).toISOString().slice(0, 10);

    // Act: one more signup on top of the first test's
    await signUp(uniqueEmail('ses-events-funnel'));

    // Assess: both opt-in mails of this stack, each once
    const performance = await readEmailPerformance(store, { from: today, to: today });
    expect(performance['opt-in']).toMatchObject({ sent: 2, bounced: 0, complained: 0 });
  });

  it('publishes nothing for sales mail, which goes through the untracked configuration set', async () => {
    // Act
    const salesMail = await qualifiedLead(stack, uniqueEmail('ses-events-sales'));
    await stack.drain();

    // Assess
    expect(sesEventsAbout(salesMail.messageId)).toEqual([]);
  });

  it("publishes nothing for another stack's mail in the shared emulator, even one sent through the lead-mail set", async () => {
    // Prepare: a mail as another stack's function sends it; its message lookup is in that stack's table, not in this one
    const messageId = await sendDirectly('another-stacks-lead');

    // Act
    await stack.drain();

    // Assess
    expect(sesEventsAbout(messageId)).toEqual([]);
  });

  it('reads the shared store from a moving position: each mail once, and remembers only the mails at that position', async () => {
    // Prepare: a second publisher for this stack's table from the store's very start, publishing to a bus of its own;
    // its clock is past the grace window, so every mail without a lookup here is settled at once as another stack's
    const optIns = stack.stack.bus.log.filter((event) => event.bus === 'default' && event['detail-type'] === 'Email Sent').length;
    const clock = new VirtualClock();
    const bus = new LocalEventBus({ appBusName: LOCAL_BUS_NAME, region: LOCAL_REGION, clock, rules: [], deliver: async () => undefined });
    const dynamo = new DynamoDBClient({ endpoint: stack.stack.environment.AWS_ENDPOINT_URL_DYNAMODB, region: LOCAL_REGION });
    const publisher = new SesEventPublisher({
      sesEndpoint: stack.stack.sesEndpoint,
      tableName: stack.stack.tableName,
      dynamo,
      bus,
      clock,
      since: 0,
      nowSeconds: () => Math.floor(Date.now() / 1000) + LOOKUP_GRACE_SECONDS + 1,
    });

    // Act
    const first = await publisher.publishOnce();
    const second = await publisher.publishOnce();
    const position = publisher.position;
    const atPosition = await (await fetch(`${stack.stack.sesEndpoint}/store?since=${position.since}`)).json();
    dynamo.destroy();

    // Assess: this stack's lead mail exactly (the opt-in mails, the sales test's hand-raiser mails), none twice
    expect(first).toBe(optIns);
    expect(second).toBe(0);
    expect(bus.log.filter((event) => event.bus === 'default' && event['detail-type'] === 'Email Sent')).toHaveLength(optIns);
    expect(position.since).toBeGreaterThan(0);
    expect(position.remembered).toBeLessThanOrEqual((atPosition as { emails: unknown[] }).emails.length);
  });

  it('publishes a mail whose lookup was written after the mail was first seen, once', async () => {
    // Prepare: a publisher on a table of its own, publishing to a bus of its own
    const clock = new VirtualClock();
    const bus = new LocalEventBus({ appBusName: LOCAL_BUS_NAME, region: LOCAL_REGION, clock, rules: [], deliver: async () => undefined });
    const dynamo = new DynamoDBClient({ endpoint: stack.stack.environment.AWS_ENDPOINT_URL_DYNAMODB, region: LOCAL_REGION });
    const tableName = `leadpipe-test-${crypto.randomUUID().slice(0, 8)}`;
    await ensureLeadTable(dynamo, tableName);
    const since = Math.floor(Date.now() / 1000);
    const publisher = new SesEventPublisher({ sesEndpoint: stack.stack.sesEndpoint, tableName, dynamo, bus, clock, since });
    const messageId = await sendDirectly('late-lookup-lead');
    const lookup = {
      ...keys.messageLookup(messageId),
      leadId: 'late-lookup-lead',
      templateId: 'opt-in',
      sentAt: clock.now().toISOString(),
      category: 'system',
      configurationSet: SES_CONFIGURATION_SETS.leadMail,
      tags: { leadId: 'late-lookup-lead', template: 'opt-in', category: 'system' },
    };

    // Act
    const before = await publisher.publishOnce();
    await DynamoDBDocumentClient.from(dynamo).send(new PutCommand({ TableName: tableName, Item: lookup }));
    const after = await publisher.publishOnce();
    const again = await publisher.publishOnce();
    dynamo.destroy();

    // Assess
    expect([before, after, again]).toEqual([0, 1, 0]);
    const published = bus.log.filter((event) => event.bus === 'default') as unknown as LoggedEvent[];
    expect(published.map((event) => [event['detail-type'], event.detail.mail.messageId])).toEqual([
      ['Email Sent', messageId],
      ['Email Delivered', messageId],
    ]);
    expect(published[0]!.detail.mail.tags).toEqual({
      leadId: ['late-lookup-lead'],
      template: ['opt-in'],
      category: ['system'],
      [SES_CONFIGURATION_SET_TAG]: [SES_CONFIGURATION_SETS.leadMail],
    });
  });
});
