import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '../../../shared/storage/dynamodb-client';
import { queueUndecidedMql } from '../../../shared/storage/dynamo-console-store';
import { keys } from '../../../shared/storage/table-design';
import { startTestStack, type TestStack, uniqueEmail } from '../../support/test-stack';
import { eventsFor, leadIdOf, raiseHand } from '../sales/sales-helpers';
import { consoleFetch, signIn } from './console-helpers';

/** A lead's page, sales' decision, the export and the erasure, through the console API as the console app calls it. */
describe('console lead page and actions', () => {
  let stack: TestStack;
  let sales: { email: string; token: string };
  let marketing: string;
  let admin: string;

  const leadPath = (email: string, rest = '') => `/console/api/leads/${encodeURIComponent(email)}${rest}`;

  async function call(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; body: any }> {
    const response = await consoleFetch(stack, { method, path, token, body });
    await stack.drain();
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  async function mqls(): Promise<string[]> {
    const { body } = await call('GET', '/console/api/leads?lifecycle=mql&limit=100', sales.token);
    return body.items.map((row: { email: string }) => row.email);
  }

  beforeAll(async () => {
    stack = await startTestStack();
    const seller = uniqueEmail('seller', 'console.example');
    sales = { email: seller, token: await signIn(stack, seller, ['sales']) };
    marketing = await signIn(stack, uniqueEmail('marketer', 'console.example'), ['marketing']);
    admin = await signIn(stack, uniqueEmail('admin', 'console.example'), ['admin']);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  describe('the lead page', () => {
    it('is the lead view, plus attribution per interaction, mail status and the consent evidence', async () => {
      // Prepare
      const email = uniqueEmail('page');
      const posted = await stack.postJson('/forms/download', {
        email,
        firstName: 'Paula',
        company: 'Acme GmbH',
        assetId: 'ebook-lead-types',
        marketingConsent: true,
        utm_source: 'linkedin',
        utm_campaign: 'spring',
      });
      expect(posted.status).toBe(200);
      await stack.drain();
      const view = await stack.lead(email);

      // Act
      const { status, body } = await call('GET', leadPath(email.toUpperCase()), sales.token);

      // Assess
      expect(status).toBe(200);
      expect(body).toMatchObject({ ...view, interactions: expect.any(Array), emails: expect.any(Array), consent: view!.consent });
      const download = body.interactions.find((interaction: { type: string }) => interaction.type === 'download');
      expect(download).toMatchObject({ form: 'download', assetId: 'ebook-lead-types', channel: 'web' });
      expect(download.attribution).toMatchObject({ utm_source: 'linkedin', utm_campaign: 'spring' });
      expect(body.emails.map((mail: { templateId: string }) => mail.templateId).sort()).toEqual(['download-link', 'opt-in']);
      expect(body.emails.every((mail: { status: string }) => mail.status === 'sent')).toBe(true);
      expect(body.consent.evidence).toEqual([expect.objectContaining({ form: 'download', textVersion: expect.any(String) })]);
      expect(body.consent.requestedAt).toEqual(expect.any(String));
    });

    it('shows a click on a mail as its status', async () => {
      // Prepare
      const email = uniqueEmail('clicker');
      await stack.postJson('/forms/download', { email, firstName: 'Cleo', assetId: 'ebook-lead-types' });
      await stack.drain();
      const { body: before } = await call('GET', leadPath(email), marketing);
      const messageId = before.emails[0].messageId as string;
      expect((await stack.postJson('/_dev/ses-event', { type: 'click', messageId })).status).toBe(202);
      await stack.drain();

      // Act
      const { body } = await call('GET', leadPath(email), marketing);

      // Assess
      expect(body.emails[0]).toMatchObject({ messageId, status: 'clicked', clickedAt: expect.any(String) });
    });

    it('is a 404 for an address without a lead, and a 400 naming email for something else', async () => {
      // Act
      const unknown = await call('GET', leadPath(uniqueEmail('nobody')), sales.token);
      const notAnAddress = await call('GET', leadPath('nobody'), sales.token);

      // Assess
      expect(unknown.status).toBe(404);
      expect(notAnAddress.status).toBe(400);
      expect(notAnAddress.body.error.fields).toHaveProperty('email');
    });
  });

  describe('the sales decision', () => {
    it('accepting an MQL makes it an SQL, decided by the signed-in user, and takes it out of the sales queue', async () => {
      // Prepare
      const email = uniqueEmail('accept');
      await raiseHand(stack, email);
      expect(await mqls()).toContain(email);

      // Act
      const { status, body } = await call('POST', leadPath(email, '/decision'), sales.token, { decision: 'accept' });

      // Assess
      expect(status).toBe(200);
      expect(body).toMatchObject({ email, lifecycle: 'sql', decision: { decision: 'accepted', by: sales.email, kind: 'MQL', seq: 1 } });
      expect(await stack.lead(email)).toMatchObject({ lifecycle: 'sql', salesDecision: { decision: 'accepted', by: sales.email } });
      expect(await mqls()).not.toContain(email);
      const accepted = await eventsFor(stack, 'Lead Accepted', email);
      expect(accepted).toHaveLength(1);
      expect(accepted[0]!.detail.decidedBy).toBe(sales.email);
    });

    it('recycling with a reason makes it warm again, out of the queue; a second decision is a 409', async () => {
      // Prepare
      const email = uniqueEmail('recycle');
      await raiseHand(stack, email);

      // Act
      const recycled = await call('POST', leadPath(email, '/decision'), sales.token, { decision: 'recycle', reason: 'bad_timing' });
      const again = await call('POST', leadPath(email, '/decision'), sales.token, { decision: 'accept' });

      // Assess
      expect(recycled.status).toBe(200);
      expect(recycled.body).toMatchObject({ lifecycle: 'warm', decision: { decision: 'recycled', reason: 'bad_timing', by: sales.email } });
      expect(await stack.lead(email)).toMatchObject({ lifecycle: 'warm', salesDecision: { reason: 'bad_timing' } });
      expect(await mqls()).not.toContain(email);
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('conflict');
    });

    it.each([
      [{ decision: 'maybe' }, 'decision'],
      [{}, 'decision'],
      [{ decision: 'recycle' }, 'reason'],
      [{ decision: 'recycle', reason: 'too expensive' }, 'reason'],
      [{ decision: 'accept', reason: 'bad_timing' }, 'reason'],
    ])('%o is a 400 naming %s, and decides nothing', async (body, field) => {
      // Prepare
      const email = uniqueEmail('bad-body');
      await raiseHand(stack, email);

      // Act
      const response = await call('POST', leadPath(email, '/decision'), sales.token, body);

      // Assess
      expect(response.status).toBe(400);
      expect(Object.keys(response.body.error.fields)).toEqual([field]);
      expect(await stack.lead(email)).toMatchObject({ lifecycle: 'mql', salesDecision: null });
    });

    it('a lead that is not an MQL is a 409; an unknown one a 404', async () => {
      // Prepare
      const email = uniqueEmail('cold');
      await stack.postJson('/forms/download', { email, firstName: 'Cora', assetId: 'ebook-lead-types' });
      await stack.drain();

      // Act
      const cold = await call('POST', leadPath(email, '/decision'), sales.token, { decision: 'accept' });
      const unknown = await call('POST', leadPath(uniqueEmail('nobody'), '/decision'), sales.token, { decision: 'accept' });

      // Assess
      expect(cold.status).toBe(409);
      expect(unknown.status).toBe(404);
    });
  });

  it('an MQL from before the sales queue joins it once queued, and only an undecided MQL does', async () => {
    // Prepare: an MQL without salesQueue, as every MQL of an installation before the console was
    const [old, decided] = [uniqueEmail('old-mql'), uniqueEmail('decided')];
    await raiseHand(stack, old);
    await raiseHand(stack, decided);
    await call('POST', leadPath(decided, '/decision'), sales.token, { decision: 'accept' });
    const table = stack.stack.tableName;
    await documentClient.send(
      new UpdateCommand({ TableName: table, Key: keys.lead(leadIdOf(stack, old)), UpdateExpression: 'REMOVE salesQueue' }),
    );
    expect(await mqls()).not.toContain(old);

    // Act
    const queued = await queueUndecidedMql(table, leadIdOf(stack, old));
    const again = await queueUndecidedMql(table, leadIdOf(stack, old));
    const notMql = await queueUndecidedMql(table, leadIdOf(stack, decided));

    // Assess
    expect([queued, again, notMql]).toEqual([true, false, false]);
    expect(await mqls()).toContain(old);
    expect(await mqls()).not.toContain(decided);
  });

  describe('export and erasure', () => {
    it('exports what `lead export` exports', async () => {
      // Prepare
      const email = uniqueEmail('export');
      await raiseHand(stack, email);

      // Act
      const { status, body } = await call('GET', leadPath(email, '/export'), marketing);

      // Assess
      expect(status).toBe(200);
      expect(body).toMatchObject({ subject: { email }, profile: { email, lifecycle: 'mql' }, consent: expect.any(Object) });
      expect(body.interactions.map((interaction: { type: string }) => interaction.type)).toContain('contact');
    });

    it('an admin erases the lead; marketing may not (403) and the lead stays', async () => {
      // Prepare
      const email = uniqueEmail('erase');
      await raiseHand(stack, email);

      // Act
      const byMarketing = await call('DELETE', leadPath(email), marketing);
      const kept = await stack.lead(email);
      const byAdmin = await call('DELETE', leadPath(email), admin);
      const again = await call('DELETE', leadPath(email), admin);

      // Assess
      expect(byMarketing.status).toBe(403);
      expect(kept).toMatchObject({ email });
      expect(byAdmin.status).toBe(200);
      expect(byAdmin.body).toMatchObject({ email, deleted: { profile: 1 } });
      expect(await stack.lead(email)).toBeUndefined();
      expect(await mqls()).not.toContain(email);
      expect(again.status).toBe(404);
    });
  });
});
