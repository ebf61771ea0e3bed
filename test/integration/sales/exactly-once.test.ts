import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueEmail, type TestStack, startTestStack } from '../../support/test-stack';
import { type BusEvent, eventsFor, jsonOf, qualifiedLead, salesMailsAbout, sendSignal } from './sales-helpers';

describe('sales notification: exactly once per qualification', () => {
  let stack: TestStack;
  let eventBridge: EventBridgeClient;

  beforeAll(async () => {
    stack = await startTestStack();
    // The stack has put the local bus endpoint into AWS_ENDPOINT_URL_EVENTBRIDGE.
    eventBridge = new EventBridgeClient({});
  });
  afterAll(async () => {
    eventBridge?.destroy();
    await stack?.stop();
  });

  /** Puts an event's detail on the app bus again, as an at-least-once relay or a replay would. */
  async function putAgain(event: BusEvent, times: number): Promise<void> {
    const entry = {
      EventBusName: process.env.EVENT_BUS_NAME,
      Source: 'leadpipe',
      DetailType: event['detail-type'],
      Detail: JSON.stringify(event.detail),
    };
    const results = await Promise.all(Array.from({ length: times }, () => eventBridge.send(new PutEventsCommand({ Entries: [entry] }))));
    expect(results.map((result) => result.FailedEntryCount ?? 0)).toEqual(Array(times).fill(0));
  }

  it('sends one sales mail when the same Lead Qualified event arrives again, one by one and in parallel', async () => {
    // Prepare
    const email = uniqueEmail('dup-mql');
    await qualifiedLead(stack, email);
    const [qualified] = await eventsFor(stack, 'Lead Qualified', email);
    const before = await stack.lead(email);

    // Act
    await putAgain(qualified!, 1);
    await stack.drain();
    await putAgain(qualified!, 5);
    await stack.drain();

    // Assess
    expect(await eventsFor(stack, 'Lead Qualified', email)).toHaveLength(7);
    expect(await salesMailsAbout(stack, email)).toHaveLength(1);
    const after = await stack.lead(email);
    expect(after!.salesNotifiedAt).toBe(before!.salesNotifiedAt);
    expect(after!.emails.filter((mail: { category: string }) => mail.category === 'sales')).toHaveLength(1);
  });

  it('sends one sales mail when a Lead Qualified event and its duplicates arrive at the same moment', async () => {
    // Prepare: a lead that has not been notified yet, and a Lead Qualified event about it
    const template = uniqueEmail('template');
    await qualifiedLead(stack, template);
    const [qualified] = await eventsFor(stack, 'Lead Qualified', template);
    const email = uniqueEmail('simultaneous');
    expect((await stack.postJson('/forms/newsletter', { email, marketingConsent: true })).status).toBe(200);
    await stack.drain();
    const leadId = (await stack.lead(email))!.leadId;
    const event: BusEvent = {
      ...qualified!,
      detail: { ...qualified!.detail, qualificationSeq: 1, lead: { ...qualified!.detail.lead, leadId, email } },
    };

    // Act
    await putAgain(event, 6);
    await stack.drain();

    // Assess
    expect(await salesMailsAbout(stack, email)).toHaveLength(1);
    expect((await stack.lead(email))!.salesNotifiedAt).not.toBeNull();
  });

  it('sends one PQL mail when the same Lead Product Qualified event arrives again', async () => {
    // Prepare
    const email = uniqueEmail('dup-pql');
    expect((await sendSignal(stack, { email, type: 'trial_started', id: 'trial-dup' })).status).toBe(202);
    await stack.drain();
    const [productQualified] = await eventsFor(stack, 'Lead Product Qualified', email);
    expect(await salesMailsAbout(stack, email)).toHaveLength(1);

    // Act
    await putAgain(productQualified!, 3);
    await stack.drain();

    // Assess
    expect(await salesMailsAbout(stack, email)).toHaveLength(1);
  });

  it('gives one Lead Qualified event and one sales mail when 30 parallel webinar signals cross the MQL threshold together', async () => {
    // Prepare: a known lead at 10 points (business email), 90 below the MQL threshold
    const email = uniqueEmail('parallel');
    expect((await stack.postJson('/forms/newsletter', { email, marketingConsent: true })).status).toBe(200);
    await stack.drain();
    expect(await stack.lead(email)).toMatchObject({ lifecycle: 'warm', score: 10 });

    // Act
    const responses = await Promise.all(
      Array.from({ length: 30 }, (_, index) => sendSignal(stack, { email, type: 'webinar_attended', id: `webinar-${index}` })),
    );
    const statuses = await Promise.all(responses.map(async (response) => `${response.status} ${(await jsonOf(response)).status}`));
    await stack.drain();

    // Assess
    expect(statuses).toEqual(Array(30).fill('202 recorded'));
    const lead = await stack.lead(email);
    expect(lead).toMatchObject({ lifecycle: 'mql', score: 10 + 30 * 30, funnelStage: 'mofu' });
    expect(lead!.interactions.filter((interaction: { type: string }) => interaction.type === 'webinar_attended')).toHaveLength(30);
    expect(await eventsFor(stack, 'Lead Qualified', email)).toHaveLength(1);
    const mails = await salesMailsAbout(stack, email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject.startsWith('MQL:')).toBe(true);
    expect(lead!.salesNotifiedAt).not.toBeNull();
  });
});
