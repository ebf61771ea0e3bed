import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leadErase } from '../../../cli/commands/lead-erase';
import { uniqueEmail, type TestStack, startTestStack } from '../../support/test-stack';
import { contextFor, partitionItems } from '../cli/cli-kit';
import {
  decisionLink,
  eventsFor,
  jsonOf,
  post,
  pressButton,
  SALES_INBOX,
  salesMailsAbout,
  sendSignal,
  type SignalOptions,
  signedRequest,
  stackNow,
  tokenPayload,
} from './sales-helpers';

describe('signals on POST /events', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  async function expectNothingStored(email: string): Promise<void> {
    await stack.drain();
    expect(await stack.lead(email)).toBeUndefined();
    expect(await stack.mailTo(email)).toEqual([]);
    expect(await salesMailsAbout(stack, email)).toEqual([]);
  }

  describe('signature', () => {
    const rejected: Array<[string, SignalOptions]> = [
      ['signed with another secret', { secret: 'not-the-ingest-secret' }],
      ['without the signature header', { unsigned: true }],
      ['signed 6 minutes ago', { skewSeconds: -360 }],
      ['signed 6 minutes in the future', { skewSeconds: 360 }],
    ];

    it.each(rejected)('rejects a request %s with 401 and stores nothing', async (_label, options) => {
      // Prepare
      const email = uniqueEmail('unsigned');

      // Act
      const response = await sendSignal(stack, { email, type: 'trial_started', id: 'trial-1' }, options);

      // Assess
      expect(response.status).toBe(401);
      expect((await jsonOf(response)).error.code).toBe('unauthorized');
      await expectNothingStored(email);
    });

    it('rejects a body other than the one signed with 401 and stores nothing', async () => {
      // Prepare
      const signedFor = uniqueEmail('signed-for');
      const sentFor = uniqueEmail('tampered');
      const request = await signedRequest(stack, JSON.stringify({ email: sentFor, type: 'trial_started', id: 'trial-1' }), {
        signedBody: JSON.stringify({ email: signedFor, type: 'trial_started', id: 'trial-1' }),
      });

      // Act
      const response = await post(stack, request);

      // Assess
      expect(response.status).toBe(401);
      await expectNothingStored(sentFor);
      await expectNothingStored(signedFor);
    });

    it('rejects a malformed signature header with 401 and stores nothing', async () => {
      // Prepare
      const email = uniqueEmail('malformed-header');
      const body = JSON.stringify({ email, type: 'webinar_attended', id: 'w-1' });
      const t = Math.floor((await stackNow(stack)).getTime() / 1000);

      // Act
      const responses = await Promise.all(
        [`t=${t}`, `v1=${'a'.repeat(64)}`, `t=${t},v1=xyz`, 'garbage'].map((header) =>
          fetch(`${stack.url}/events`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-leadpipe-signature': header },
            body,
          }),
        ),
      );

      // Assess
      expect(responses.map((response) => response.status)).toEqual([401, 401, 401, 401]);
      await expectNothingStored(email);
    });

    it('accepts a signature 4 minutes old: the tolerance is 5 minutes', async () => {
      // Prepare
      const email = uniqueEmail('tolerated');

      // Act
      const response = await sendSignal(stack, { email, type: 'webinar_attended', id: 'w-1' }, { skewSeconds: -240 });
      await stack.drain();

      // Assess
      expect(response.status).toBe(202);
      expect((await stack.lead(email))!.interactions).toHaveLength(1);
    });

    it('records a replayed request (same signed body twice) once and answers duplicate', async () => {
      // Prepare
      const email = uniqueEmail('replayed');
      const request = await signedRequest(stack, JSON.stringify({ email, type: 'webinar_attended', id: 'webinar-replay' }));

      // Act
      const first = await post(stack, request);
      await stack.drain();
      const second = await post(stack, request);
      await stack.drain();

      // Assess
      expect([first.status, second.status]).toEqual([202, 202]);
      expect([(await jsonOf(first)).status, (await jsonOf(second)).status]).toEqual(['recorded', 'duplicate']);
      const lead = await stack.lead(email);
      expect(lead!.interactions).toEqual([expect.objectContaining({ type: 'webinar_attended', externalId: 'webinar-replay', points: 30 })]);
      expect(await eventsFor(stack, 'Interaction Recorded', email)).toHaveLength(1);
    });
  });

  describe('validation', () => {
    const invalid: Array<[string, Record<string, unknown>, string]> = [
      ['an invalid email', { email: 'not-an-email', type: 'webinar_attended', id: 'w-1' }, 'email'],
      ['an unknown type', { type: 'demo_booked', id: 'w-1' }, 'type'],
      ['a missing id', { type: 'webinar_attended' }, 'id'],
      ['an invalid at', { type: 'webinar_attended', id: 'w-1', at: 'yesterday' }, 'at'],
      ['an unknown field', { type: 'webinar_attended', id: 'w-1', score: 100 }, 'score'],
    ];

    it.each(invalid)('answers a signed body with %s with 400 naming the field, and stores nothing', async (_label, fields, field) => {
      // Prepare
      const email = uniqueEmail('invalid');

      // Act
      const response = await sendSignal(stack, { email, ...fields });

      // Assess
      expect(response.status).toBe(400);
      const body = await jsonOf(response);
      expect(body.error.code).toBe('validation_failed');
      expect(Object.keys(body.error.fields)).toEqual([field]);
      await expectNothingStored(email);
    });

    it('answers a signed body that is not JSON with 400', async () => {
      // Prepare
      const request = await signedRequest(stack, '{"email": "broken@acme-gmbh.example", "type": ');

      // Act
      const response = await post(stack, request);

      // Assess
      expect(response.status).toBe(400);
      expect((await jsonOf(response)).error.code).toBe('malformed_body');
    });

    it.each(['application/jsonx', 'application/json-seq'])(
      'answers a signed JSON body sent as %s with 415, and stores nothing',
      async (type) => {
        // Prepare: a prefix test of the Content-Type would let these through
        const email = uniqueEmail('mediatype');
        const request = await signedRequest(stack, JSON.stringify({ email, type: 'webinar_attended', id: 'w-media' }));

        // Act
        const response = await post(stack, { ...request, headers: { ...request.headers, 'content-type': type } });

        // Assess
        expect(response.status).toBe(415);
        expect((await jsonOf(response)).error.code).toBe('unsupported_media_type');
        await expectNothingStored(email);
      },
    );

    it('accepts application/json in any case, with parameters', async () => {
      // Prepare
      const email = uniqueEmail('mediatype-ok');
      const request = await signedRequest(stack, JSON.stringify({ email, type: 'webinar_attended', id: 'w-media' }));

      // Act
      const response = await post(stack, {
        ...request,
        headers: { ...request.headers, 'content-type': 'Application/JSON ; charset=utf-8' },
      });

      // Assess
      expect(response.status).toBe(202);
      expect(await response.json()).toEqual({ status: 'recorded' });
    });
  });

  describe('scoring and qualification', () => {
    it('makes an unknown address a warm lead without marketing consent, and sends it nothing', async () => {
      // Prepare
      const email = uniqueEmail('stranger');

      // Act
      const response = await sendSignal(stack, { email: `  ${email.toUpperCase()} `, type: 'webinar_attended', id: 'webinar-stranger' });
      await stack.drain();

      // Assess
      expect(response.status).toBe(202);
      const lead = await stack.lead(email);
      expect(lead).toMatchObject({ email, lifecycle: 'warm', consent: { marketing: 'none' }, pql: false });
      expect(await stack.mailTo(email)).toEqual([]);
    });

    it('scores a webinar +30 at mofu; the same webinar id again is the same interaction, another id scores again', async () => {
      // Prepare
      const email = uniqueEmail('webinar');
      const earlier = new Date((await stackNow(stack)).getTime() - 3_600_000).toISOString();

      // Act
      const first = await sendSignal(stack, { email, type: 'webinar_attended', id: 'webinar-2026-11', at: earlier });
      await stack.drain();
      const afterFirst = await stack.lead(email);
      const again = await sendSignal(stack, { email, type: 'webinar_attended', id: 'webinar-2026-11' });
      await stack.drain();
      const afterAgain = await stack.lead(email);
      const other = await sendSignal(stack, { email, type: 'webinar_attended', id: 'webinar-2026-12' });
      await stack.drain();

      // Assess
      expect([first.status, again.status, other.status]).toEqual([202, 202, 202]);
      expect((await jsonOf(again)).status).toBe('duplicate');
      expect(afterFirst).toMatchObject({ fitScore: 10, engagementScore: 30, score: 40, funnelStage: 'mofu', qualification: 'qualified' });
      expect(afterAgain).toMatchObject({ engagementScore: 30, score: 40 });
      expect(
        afterAgain!.interactions.map((interaction: { externalId: string; points: number }) => [interaction.externalId, interaction.points]),
      ).toEqual([['webinar-2026-11', 30]]);
      expect(afterAgain!.scoreExplanation.filter((entry: { reason: string }) => entry.reason.startsWith('webinar attended'))).toEqual([
        expect.objectContaining({ reason: 'webinar attended: webinar-2026-11', points: 30 }),
      ]);
      expect(await stack.lead(email)).toMatchObject({ engagementScore: 60, score: 70, lifecycle: 'warm' });
    });

    it('makes a started trial a PQL and notifies sales with a PQL mail whose Accept link works', async () => {
      // Prepare
      const email = uniqueEmail('trial');

      // Act
      const response = await sendSignal(stack, { email, type: 'trial_started', id: 'trial-42' });
      await stack.drain();

      // Assess
      expect(response.status).toBe(202);
      expect(await stack.lead(email)).toMatchObject({ pql: true, funnelStage: 'bofu', lifecycle: 'warm', consent: { marketing: 'none' } });
      expect(await eventsFor(stack, 'Lead Product Qualified', email)).toHaveLength(1);
      expect(await eventsFor(stack, 'Lead Qualified', email)).toEqual([]);
      const mails = await salesMailsAbout(stack, email);
      expect(mails).toHaveLength(1);
      expect(mails[0]!.subject).toBe(`PQL: ${email}`);
      expect(mails[0]!.to).toEqual([SALES_INBOX]);
      // The timeline in the sales locale: the interaction type translated, the trial's own reference kept.
      expect(mails[0]!.text).toContain('Testversion gestartet: trial-42');
      const accept = decisionLink(mails[0]!, '/sales/accept');
      expect(tokenPayload(accept).data).toMatchObject({ kind: 'PQL' });
      expect((await pressButton(accept)).status).toBe(200);
      await stack.drain();
      expect(await stack.lead(email)).toMatchObject({ lifecycle: 'sql', salesDecision: { decision: 'accepted', kind: 'PQL' } });
      expect(await eventsFor(stack, 'Lead Accepted', email)).toHaveLength(1);
    });
  });
  describe('identity and time of a signal', () => {
    it('records a sender retry with a fresh signature timestamp once: the identity is (lead, type, id), never t', async () => {
      // Prepare
      const email = uniqueEmail('retried');
      const signal = { email, type: 'webinar_attended', id: 'webinar-retry' };

      // Act
      const first = await sendSignal(stack, signal, { skewSeconds: -120 });
      await stack.drain();
      const retry = await sendSignal(stack, signal);
      await stack.drain();

      // Assess
      expect([first.status, retry.status]).toEqual([202, 202]);
      expect([(await jsonOf(first)).status, (await jsonOf(retry)).status]).toEqual(['recorded', 'duplicate']);
      const recorded = expect.objectContaining({ type: 'webinar_attended', externalId: 'webinar-retry', points: 30 });
      expect((await stack.lead(email))!.interactions).toEqual([recorded]);
      expect(await eventsFor(stack, 'Interaction Recorded', email)).toHaveLength(1);
    });

    it('takes the time from the one parse of the header: "t =<ts>" (a space) is recorded at t, not a 500', async () => {
      // Prepare
      const email = uniqueEmail('spaced-header');
      const body = JSON.stringify({ email, type: 'webinar_attended', id: 'webinar-spaced' });
      const t = Math.floor((await stackNow(stack)).getTime() / 1000);
      const v1 = createHmac('sha256', stack.stack.environment.LEADPIPE_INGEST_SECRET!).update(`${t}.${body}`).digest('hex');

      // Act
      const headers = { 'content-type': 'application/json', 'x-leadpipe-signature': `t =${t},v1=${v1}` };
      const response = await post(stack, { body, headers });
      await stack.drain();

      // Assess
      expect(response.status).toBe(202);
      expect(await jsonOf(response)).toEqual({ status: 'recorded' });
      const at = new Date(t * 1000).toISOString();
      expect((await stack.lead(email))!.interactions).toEqual([expect.objectContaining({ externalId: 'webinar-spaced', at })]);
    });

    it.each([
      ['9999-12-31', () => '9999-12-31T00:00:00Z'],
      ['6 minutes ahead', (now: Date) => new Date(now.getTime() + 6 * 60_000).toISOString()],
      ['31 days ago', (now: Date) => new Date(now.getTime() - 31 * 86_400_000).toISOString()],
    ])('answers an `at` of %s with 400 naming the field at, and stores nothing', async (_label, atFor) => {
      // Prepare
      const email = uniqueEmail('bad-at');
      const at = atFor(await stackNow(stack));

      // Act
      const response = await sendSignal(stack, { email, type: 'trial_started', id: 'trial-at', at });

      // Assess
      expect(response.status).toBe(400);
      const body = await jsonOf(response);
      expect(body.error.code).toBe('validation_failed');
      expect(Object.keys(body.error.fields)).toEqual(['at']);
      await expectNothingStored(email);
    });

    it('accepts an `at` 29 days ago and records the interaction at that time', async () => {
      // Prepare
      const email = uniqueEmail('backlog');
      const at = new Date((await stackNow(stack)).getTime() - 29 * 86_400_000).toISOString();

      // Act
      const response = await sendSignal(stack, { email, type: 'webinar_attended', id: 'webinar-backlog', at });
      await stack.drain();

      // Assess
      expect(response.status).toBe(202);
      expect((await stack.lead(email))!.interactions).toEqual([expect.objectContaining({ externalId: 'webinar-backlog', at })]);
    });
  });

  describe('erasure', () => {
    it('ignores a replayed signed trial_started for an erased address: 202 "ignored", no lead, nothing stored, no sales mail', async () => {
      // Prepare: a PQL whose sales mail went out, then erased
      const email = uniqueEmail('erased-pql');
      const request = await signedRequest(stack, JSON.stringify({ email, type: 'trial_started', id: 'trial-erased' }));
      expect((await post(stack, request)).status).toBe(202);
      await stack.drain();
      expect(await salesMailsAbout(stack, email)).toHaveLength(1);
      await leadErase(contextFor(stack).ctx, { email });
      expect(await stack.lead(email)).toBeUndefined();

      // Act: the same signed request again, and a new signal for the address
      const replay = await post(stack, request);
      const fresh = await sendSignal(stack, { email, type: 'webinar_attended', id: 'webinar-after-erasure' });
      await stack.drain();

      // Assess
      expect([replay.status, fresh.status]).toEqual([202, 202]);
      expect([await jsonOf(replay), await jsonOf(fresh)]).toEqual([{ status: 'ignored' }, { status: 'ignored' }]);
      expect(await stack.lead(email)).toBeUndefined();
      expect(await partitionItems(stack, email)).toEqual([]);
      expect(await salesMailsAbout(stack, email)).toHaveLength(1);
      expect(await stack.mailTo(email)).toEqual([]);
      expect(await eventsFor(stack, 'Interaction Recorded', email)).toHaveLength(1);
    });
  });
});
