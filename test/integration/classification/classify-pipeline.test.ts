import { PutEventsCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyLead, defaultScoringConfig } from '../../../shared/domain/classification';
import type { Interaction } from '../../../shared/domain/lead';
import { startTestStack, uniqueEmail, type TestStack } from '../../support/test-stack';

describe('classification on the event bus, against DynamoDB Local', () => {
  let stack: TestStack;
  let recordInteraction: typeof import('../../../shared/storage/record-interaction').recordInteraction;
  let leadIdOf: (email: string) => string;

  beforeAll(async () => {
    stack = await startTestStack();
    // Storage modules create their SDK client at import, so import them once the stack has set the endpoints.
    ({ recordInteraction } = await import('../../../shared/storage/record-interaction'));
    const { leadIdFor } = await import('../../../shared/security/lead-id');
    leadIdOf = (email) => leadIdFor(email, process.env.LEADPIPE_SIGNING_KEY!);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  async function events(detailType: string, leadId: string) {
    const all = (await (await fetch(`${stack.url}/_dev/events?detail-type=${encodeURIComponent(detailType)}`)).json()) as Array<{
      detail: any;
    }>;
    return all.filter((event) => event.detail.leadId === leadId || event.detail.lead?.leadId === leadId);
  }

  function clicks(count: number, start: Date): Interaction[] {
    return Array.from({ length: count }, (_, index) => ({
      id: `click-${index}`,
      type: 'email_click' as const,
      at: new Date(start.getTime() + index * 1000).toISOString(),
      messageId: `message-${index}`,
    }));
  }

  it('scores 30 concurrent interactions exactly as the sequential run, and qualifies once', async () => {
    // Prepare
    const email = uniqueEmail('concurrent');
    const signup = await stack.postJson('/forms/newsletter', { email, marketingConsent: true });
    expect(signup.status).toBe(200);
    await stack.drain();
    const leadId = leadIdOf(email);
    const interactions = clicks(30, stack.stack.clock.now());
    const before = await stack.lead(email);

    // Act
    const results = await Promise.all(interactions.map((interaction) => recordInteraction(stack.stack.tableName, leadId, interaction)));
    await stack.drain();

    // Assess
    expect(results).toEqual(Array(30).fill('recorded'));
    const lead = await stack.lead(email);
    const sequential = classifyLead({
      lead: { email, lifecycle: 'warm', pql: false },
      interactions: [
        ...before!.interactions.map((i: { type: string; at: string }, n: number) => ({ ...i, id: `before-${n}` })),
        ...interactions,
      ],
      config: defaultScoringConfig,
      now: stack.stack.clock.now().toISOString(),
    });
    expect(lead!.score).toBe(sequential.score);
    expect(lead!.score).toBe(10 + 30 * 5);
    expect(lead!.lifecycle).toBe('mql');
    expect(await events('Lead Qualified', leadId)).toHaveLength(1);
  });

  it('ignores a duplicated interaction event: same state, no second Lead Qualified', async () => {
    // Prepare
    const email = uniqueEmail('duplicate');
    await stack.postJson('/forms/newsletter', { email, marketingConsent: true });
    await stack.drain();
    const leadId = leadIdOf(email);
    await Promise.all(
      clicks(20, stack.stack.clock.now()).map((interaction) => recordInteraction(stack.stack.tableName, leadId, interaction)),
    );
    await stack.drain();
    const before = await stack.lead(email);
    const [original] = await events('Interaction Recorded', leadId);

    // Act
    const client = new EventBridgeClient({});
    await client.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: process.env.EVENT_BUS_NAME,
            Source: 'leadpipe',
            DetailType: 'Interaction Recorded',
            Detail: JSON.stringify(original!.detail),
          },
        ],
      }),
    );
    await client.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: process.env.EVENT_BUS_NAME,
            Source: 'leadpipe',
            DetailType: 'Interaction Recorded',
            Detail: JSON.stringify(original!.detail),
          },
        ],
      }),
    );
    await stack.drain();
    client.destroy();

    // Assess
    const after = await stack.lead(email);
    expect(after).toEqual(before);
    expect(before!.lifecycle).toBe('mql');
    expect(await events('Lead Qualified', leadId)).toHaveLength(1);
  });

  it('recognises a redelivered source event as the same interaction', async () => {
    // Prepare
    const email = uniqueEmail('redelivered');
    await stack.postJson('/forms/newsletter', { email, marketingConsent: true });
    await stack.drain();
    const [click] = clicks(1, stack.stack.clock.now());

    // Act
    const first = await recordInteraction(stack.stack.tableName, leadIdOf(email), click!);
    const second = await recordInteraction(stack.stack.tableName, leadIdOf(email), click!);
    await stack.drain();

    // Assess
    expect([first, second]).toEqual(['recorded', 'duplicate']);
    const lead = await stack.lead(email);
    expect(lead!.interactions.filter((i: { type: string }) => i.type === 'email_click')).toHaveLength(1);
  });

  it('makes a contact-form hand-raiser an MQL at bofu at once, and emits the stage changes', async () => {
    // Prepare
    const email = uniqueEmail('handraiser', 'gmail.com');

    // Act
    const response = await stack.postJson('/forms/contact', { email, firstName: 'Hanna', lastName: 'Raiser', message: 'Please call me.' });
    await stack.drain();

    // Assess
    expect(response.status).toBe(200);
    const lead = await stack.lead(email);
    expect(lead).toMatchObject({ lifecycle: 'mql', qualification: 'qualified', funnelStage: 'bofu', fitScore: 0 });
    const changes = (await events('Lead Stage Changed', leadIdOf(email))).map(
      (event) => `${event.detail.field}:${event.detail.from}->${event.detail.to}`,
    );
    expect(changes.sort()).toEqual(['funnelStage:null->bofu', 'lifecycle:warm->mql', 'qualification:unqualified->qualified']);
    expect(await events('Lead Qualified', leadIdOf(email))).toHaveLength(1);
  });

  it('shows the points each interaction earned and the explanation in the lead view', async () => {
    // Prepare
    const email = uniqueEmail('explained');

    // Act
    await stack.postJson('/forms/download', { email, firstName: 'Erik', company: 'Acme GmbH', assetId: 'case-study-b2b' });
    await stack.drain();

    // Assess
    const lead = await stack.lead(email);
    expect(lead).toMatchObject({
      fitScore: 15,
      engagementScore: 25,
      score: 40,
      qualification: 'qualified',
      funnelStage: 'mofu',
      lifecycle: 'warm',
    });
    expect(lead!.interactions).toEqual([expect.objectContaining({ type: 'download', assetId: 'case-study-b2b', points: 25 })]);
    expect(lead!.scoreExplanation.map((entry: { reason: string; points: number }) => [entry.reason, entry.points])).toEqual([
      ['business email domain', 10],
      ['company given', 5],
      ['download: case-study-b2b (mofu)', 25],
    ]);
  });
});
