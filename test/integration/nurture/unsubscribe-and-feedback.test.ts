import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, uniqueEmail, type DevMail, type TestStack } from '../../support/test-stack';
import {
  nurtureEmails,
  nurtureMails,
  nurtureTemplates,
  oneClickUnsubscribe,
  sesEvent,
  signUpConfirmed,
  unsubscribeLink,
  type TimelineEmail,
} from './nurture-helpers';

/** tofu-2 is due five days after tofu-1; this tick passes that point by a couple of hours. */
const PAST_TOFU_2_HOURS = 5 * 24 + 2;

function decodeHtmlAttribute(value: string): string {
  return value
    .replace(/&#x([0-9a-f]+);/gi, (_entity, hex: string) => String.fromCodePoint(Number.parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_entity, dec: string) => String.fromCodePoint(Number.parseInt(dec, 10)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function withToken(link: string, token: string): string {
  const url = new URL(link);
  url.searchParams.set('token', token);
  return url.toString();
}

/** One character of the signature replaced: the HMAC no longer matches. */
function withTamperedSignature(link: string): string {
  const [payload, signature] = new URL(link).searchParams.get('token')!.split('.');
  const last = signature!.at(-2) === 'A' ? 'B' : 'A';
  return withToken(link, `${payload}.${signature!.slice(0, -2)}${last}${signature!.at(-1)}`);
}

/** The payload re-encoded for another lead, the old signature kept. */
function withOtherLead(link: string, leadId: string): string {
  const [payload, signature] = new URL(link).searchParams.get('token')!.split('.');
  const decoded = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as Record<string, unknown>;
  return withToken(link, `${Buffer.from(JSON.stringify({ ...decoded, leadId }), 'utf8').toString('base64url')}.${signature}`);
}

describe('unsubscribe and SES feedback stop nurture', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** A confirmed newsletter lead that has just received tofu-1. */
  async function leadWithTofu1(label: string): Promise<{ email: string; mail: DevMail; entry: TimelineEmail }> {
    const email = uniqueEmail(label, 'gmail.com');
    await signUpConfirmed(stack, email);
    await stack.tick(49);
    const mails = await nurtureMails(stack, email);
    const entries = await nurtureEmails(stack, email);
    expect(mails).toHaveLength(1);
    expect(entries).toEqual([expect.objectContaining({ templateId: 'tofu-1', messageId: mails[0]!.messageId })]);
    return { email, mail: mails[0]!, entry: entries[0]! };
  }

  describe('unsubscribe', () => {
    it('withdraws consent at once on a one-click POST and stops further mail', async () => {
      // Prepare
      const { email, mail } = await leadWithTofu1('unsub-oneclick');

      // Act
      const response = await oneClickUnsubscribe(unsubscribeLink(mail));

      // Assess: withdrawn before any drain or run
      expect(response.status).toBe(200);
      expect(await stack.lead(email)).toMatchObject({ consent: { marketing: 'withdrawn' }, suppressed: null });
      await stack.tick(PAST_TOFU_2_HOURS);
      expect(await nurtureTemplates(stack, email)).toEqual(['tofu-1']);
      expect(await nurtureMails(stack, email)).toHaveLength(1);
    });

    it("counts the unsubscribe once in the figures of the mail's template, however often the link is used", async () => {
      // Prepare
      const { readEmailPerformance } = await import('../../../shared/reporting/funnel-read-model');
      const { dynamoFunnelProjectionStore } = await import('../../../shared/storage/dynamo-funnel-projection-store');
      const store = dynamoFunnelProjectionStore(stack.stack.tableName);
      const { mail } = await leadWithTofu1('unsub-counted');
      const day = stack.stack.clock.now().toISOString().slice(0, 10);
      const before = (await readEmailPerformance(store, { from: day, to: day }))['tofu-1']?.unsubscribed ?? 0;

      // Act
      await oneClickUnsubscribe(unsubscribeLink(mail));
      await oneClickUnsubscribe(unsubscribeLink(mail));

      // Assess
      expect((await readEmailPerformance(store, { from: day, to: day }))['tofu-1']?.unsubscribed).toBe(before + 1);
    });

    it('shows a page with a button on GET, changes nothing until the button is pressed, then stops mail', async () => {
      // Prepare
      const { email, mail } = await leadWithTofu1('unsub-page');

      // Act: open the link in a browser
      const page = await fetch(unsubscribeLink(mail), { headers: { accept: 'text/html' }, redirect: 'manual' });
      const html = await page.text();
      await stack.drain();

      // Assess: a form that posts back to the same link; consent untouched
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      const form = /<form method="post" action="([^"]+)">[\s\S]*?<button type="submit">([^<]+)<\/button>/.exec(html);
      expect(form).not.toBeNull();
      const action = decodeHtmlAttribute(form![1]!);
      expect(action).toBe(unsubscribeLink(mail));
      expect(await stack.lead(email)).toMatchObject({ consent: { marketing: 'confirmed' } });

      // Act: press the button
      const pressed = await fetch(action, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
        body: '',
        redirect: 'manual',
      });

      // Assess
      expect(pressed.status).toBe(200);
      expect(await stack.lead(email)).toMatchObject({ consent: { marketing: 'withdrawn' } });
      await stack.tick(PAST_TOFU_2_HOURS);
      expect(await nurtureTemplates(stack, email)).toEqual(['tofu-1']);
    });

    it('answers 400 to a tampered token and changes nothing, for this lead or another', async () => {
      // Prepare
      const { email, mail } = await leadWithTofu1('unsub-tampered');
      const other = await leadWithTofu1('unsub-victim');
      const otherLeadId = (await stack.lead(other.email))!.leadId as string;
      const link = unsubscribeLink(mail);

      // Act
      const responses = await Promise.all([
        oneClickUnsubscribe(withTamperedSignature(link)),
        oneClickUnsubscribe(withOtherLead(link, otherLeadId)),
        fetch(withTamperedSignature(link), { headers: { accept: 'text/html' } }),
      ]);
      await stack.drain();

      // Assess: both leads keep their consent and get tofu-2
      expect(responses.map((response) => response.status)).toEqual([400, 400, 400]);
      for (const address of [email, other.email]) {
        expect(await stack.lead(address)).toMatchObject({ consent: { marketing: 'confirmed' }, suppressed: null });
      }
      await stack.tick(PAST_TOFU_2_HOURS);
      expect(await nurtureTemplates(stack, email)).toEqual(['tofu-1', 'tofu-2']);
      expect(await nurtureTemplates(stack, other.email)).toEqual(['tofu-1', 'tofu-2']);
    });
  });

  describe('SES feedback', () => {
    it('suppresses the lead on a permanent bounce and sends nothing more', async () => {
      // Prepare
      const { email, entry } = await leadWithTofu1('bounce-permanent');

      // Act
      await sesEvent(stack, { type: 'bounce', messageId: entry.messageId, bounceType: 'Permanent' });
      await stack.tick(PAST_TOFU_2_HOURS);

      // Assess
      expect(await stack.lead(email)).toMatchObject({ suppressed: 'bounce' });
      expect(await nurtureTemplates(stack, email)).toEqual(['tofu-1']);
      expect(await nurtureMails(stack, email)).toHaveLength(1);
    });

    it('suppresses the lead on a complaint and sends nothing more', async () => {
      // Prepare
      const { email, entry } = await leadWithTofu1('complaint');

      // Act
      await sesEvent(stack, { type: 'complaint', messageId: entry.messageId });
      await stack.tick(PAST_TOFU_2_HOURS);

      // Assess
      expect(await stack.lead(email)).toMatchObject({ suppressed: 'complaint' });
      expect(await nurtureTemplates(stack, email)).toEqual(['tofu-1']);
      expect(await nurtureMails(stack, email)).toHaveLength(1);
    });

    it('does not suppress on a transient bounce: tofu-2 still goes out', async () => {
      // Prepare
      const { email, entry } = await leadWithTofu1('bounce-transient');

      // Act
      await sesEvent(stack, { type: 'bounce', messageId: entry.messageId, bounceType: 'Transient' });
      await stack.tick(PAST_TOFU_2_HOURS);

      // Assess
      expect(await stack.lead(email)).toMatchObject({ suppressed: null, consent: { marketing: 'confirmed' } });
      expect(await nurtureTemplates(stack, email)).toEqual(['tofu-1', 'tofu-2']);
    });

    it('records an open with 0 points and scores a click with 5', async () => {
      // Prepare
      const { email, entry } = await leadWithTofu1('engaged');
      const before = await stack.lead(email);
      expect(before).toMatchObject({ score: 10 });

      // Act: open
      await sesEvent(stack, { type: 'open', messageId: entry.messageId });

      // Assess
      const opened = await stack.lead(email);
      expect(opened!.score).toBe(10);
      expect(opened!.interactions).toContainEqual({ type: 'email_open', at: expect.any(String), messageId: entry.messageId, points: 0 });

      // Act: click
      await sesEvent(stack, { type: 'click', messageId: entry.messageId });

      // Assess
      const clicked = await stack.lead(email);
      expect(clicked).toMatchObject({ score: 15, engagementScore: 15, lifecycle: 'warm', suppressed: null });
      expect(clicked!.interactions).toContainEqual({ type: 'email_click', at: expect.any(String), messageId: entry.messageId, points: 5 });
      expect(clicked!.scoreExplanation).toContainEqual(expect.objectContaining({ reason: `email click: ${entry.messageId}`, points: 5 }));
    });
  });

  it('still unsubscribes with a link from a 400-day-old email', async () => {
    // Prepare
    const { email, mail } = await leadWithTofu1('unsub-old');
    await stack.tick(24 * 200);
    await stack.tick(24 * 200);
    expect(await stack.lead(email)).toMatchObject({ consent: { marketing: 'confirmed' } });

    // Act
    const response = await oneClickUnsubscribe(unsubscribeLink(mail));

    // Assess
    expect(response.status).toBe(200);
    expect(await stack.lead(email)).toMatchObject({ consent: { marketing: 'withdrawn' } });
  });
});
