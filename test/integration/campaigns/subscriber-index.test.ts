/**
 * The subscribers index (GSI `subscribers`, the campaign audience) follows every write that changes whether a
 * lead may get marketing mail: confirmation in, unsubscribe, bounce, complaint and erasure out. Leads are made
 * and changed through the local stack's HTTP endpoints and SES events, and the index is read as the engine reads it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscriberShardFor } from '../../../shared/campaigns/campaign';
import { startTestStack, uniqueEmail, type TestStack } from '../../support/test-stack';
import { contextFor } from '../cli/cli-kit';
import { bounceOptIn, importColdLeads, leadIdOf, signUpConfirmed, subscriberRow, unsubscribe } from './campaign-helpers';

describe('the subscribers index', () => {
  let stack: TestStack;
  const dir = mkdtempSync(path.join(tmpdir(), 'subscriber-index-'));

  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('takes a lead in when it confirms marketing consent, in its shard, with what the audience filter reads', async () => {
    // Prepare
    const email = uniqueEmail('confirmed');
    const signup = await stack.postJson('/forms/newsletter', { email, marketingConsent: true, firstName: 'Nora', locale: 'en' });
    expect(signup.status).toBe(200);
    await stack.drain();
    expect(await subscriberRow(stack, email)).toBeUndefined();

    // Act
    const optIn = (await stack.mailTo(email)).find((mail) => mail.text.includes('/confirm?token='))!;
    const link = /https?:\/\/\S*\/confirm\?token=\S+/.exec(optIn.text)![0];
    const confirmed = await fetch(link, { method: 'POST', headers: { accept: 'text/html' }, redirect: 'manual' });
    await stack.drain();

    // Assess
    expect(confirmed.status).toBe(200);
    const leadId = leadIdOf(stack, email);
    const lead = await stack.lead(email);
    expect(await subscriberRow(stack, email)).toEqual({
      pk: `LEAD#${leadId}`,
      sk: 'PROFILE',
      subscriberShard: subscriberShardFor(leadId),
      leadId,
      locale: 'en',
      lifecycle: lead!.lifecycle,
      funnelStage: 'tofu',
      score: lead!.score,
      createdAt: lead!.createdAt,
    });
  });

  it('never holds imported cold leads or unconfirmed sign-ups', async () => {
    // Prepare
    const imported = await importColdLeads(stack, dir, 3, 'cold');
    const pending = uniqueEmail('pending');
    await stack.postJson('/forms/newsletter', { email: pending, marketingConsent: true });
    await stack.drain();

    // Assess
    for (const email of [...imported, pending]) expect(await subscriberRow(stack, email)).toBeUndefined();
  });

  it('drops a subscriber who unsubscribes with the one-click link', async () => {
    // Prepare
    const email = uniqueEmail('unsubscribes');
    await signUpConfirmed(stack, email);
    expect(await subscriberRow(stack, email)).toBeDefined();

    // Act
    await unsubscribe(stack, email);

    // Assess
    expect(await subscriberRow(stack, email)).toBeUndefined();
    expect(await stack.lead(email)).toMatchObject({ consent: { marketing: 'withdrawn' } });
  });

  it.each(['bounce', 'complaint'] as const)('drops a subscriber whose address SES reports as a %s', async (type) => {
    // Prepare
    const email = uniqueEmail(type);
    await signUpConfirmed(stack, email);
    expect(await subscriberRow(stack, email)).toBeDefined();

    // Act
    await bounceOptIn(stack, email, type);

    // Assess
    expect(await subscriberRow(stack, email)).toBeUndefined();
    expect(await stack.lead(email)).toMatchObject({ suppressed: type });
  });

  it('does not take in a lead that confirms after its address bounced', async () => {
    // Prepare: the opt-in mail bounced, then the link in it is used anyway (a forwarded mail, an alias)
    const email = uniqueEmail('bounced-then-confirms');
    await stack.postJson('/forms/newsletter', { email, marketingConsent: true });
    await stack.drain();
    await bounceOptIn(stack, email);
    const optIn = (await stack.mailTo(email)).find((mail) => mail.text.includes('/confirm?token='))!;
    const link = /https?:\/\/\S*\/confirm\?token=\S+/.exec(optIn.text)![0];

    // Act
    await fetch(link, { method: 'POST', headers: { accept: 'text/html' }, redirect: 'manual' });
    await stack.drain();

    // Assess: the consent is recorded, but the address gets no campaign
    expect(await stack.lead(email)).toMatchObject({ suppressed: 'bounce', consent: { marketing: 'confirmed' } });
    expect(await subscriberRow(stack, email)).toBeUndefined();
  });

  it('campaign reindex puts earlier subscribers in and stale entries out, once', async () => {
    // Prepare: a subscriber from before the index (no shard), and a bounced lead that still has one
    const { UpdateCommand } = await import('@aws-sdk/lib-dynamodb');
    const { documentClient } = await import('../../../shared/storage/dynamodb-client');
    const { keys } = await import('../../../shared/storage/table-design');
    const earlier = uniqueEmail('earlier-subscriber');
    const stale = uniqueEmail('stale-entry');
    await signUpConfirmed(stack, earlier);
    await signUpConfirmed(stack, stale);
    await bounceOptIn(stack, stale);
    const update = (email: string, expression: string, values?: Record<string, unknown>) =>
      documentClient.send(
        new UpdateCommand({
          TableName: stack.stack.tableName,
          Key: keys.lead(leadIdOf(stack, email)),
          UpdateExpression: expression,
          ...(values ? { ExpressionAttributeValues: values } : {}),
        }),
      );
    await update(earlier, 'REMOVE subscriberShard');
    await update(stale, 'SET subscriberShard = :shard', { ':shard': subscriberShardFor(leadIdOf(stack, stale)) });
    expect(await subscriberRow(stack, earlier)).toBeUndefined();
    expect(await subscriberRow(stack, stale)).toBeDefined();
    const { campaignReindex } = await import('../../../cli/commands/campaign-reindex');
    const first = contextFor(stack);
    const second = contextFor(stack);

    // Act
    await campaignReindex(first.ctx);
    await campaignReindex(second.ctx);

    // Assess
    expect(await subscriberRow(stack, earlier)).toBeDefined();
    expect(await subscriberRow(stack, stale)).toBeUndefined();
    expect(first.out()).toMatch(/^Subscribers index: \d+ leads read, 1 added, 1 removed\.\n$/);
    expect(second.out()).toMatch(/^Subscribers index: \d+ leads read, 0 added, 0 removed\.\n$/);
  });

  it('loses an erased subscriber with the lead', async () => {
    // Prepare
    const email = uniqueEmail('erased');
    await signUpConfirmed(stack, email);
    expect(await subscriberRow(stack, email)).toBeDefined();
    const { eraseLead } = await import('../../../shared/storage/erase-lead');

    // Act
    await eraseLead(stack.stack.tableName, leadIdOf(stack, email), stack.stack.clock.now().toISOString());

    // Assess
    expect(await subscriberRow(stack, email)).toBeUndefined();
  });
});
