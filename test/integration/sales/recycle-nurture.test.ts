import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkIn, uniqueEmail, type DevMail, type TestStack, startTestStack } from '../../support/test-stack';
import { attendWebinars, decisionLink, eventsFor, pressButton, salesMailsAbout, stackNow } from './sales-helpers';

const HOUR_MS = 3_600_000;

describe('nurture after a sales recycle', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  async function nurtureMails(email: string): Promise<DevMail[]> {
    return (await stack.mailTo(email)).filter((mail) => mail.headers.some((header) => header.name.toLowerCase() === 'list-unsubscribe'));
  }

  async function marketingSends(email: string): Promise<string[]> {
    return ((await stack.lead(email))!.emails as Array<{ category: string; templateId: string }>)
      .filter((sent) => sent.category === 'marketing')
      .map((sent) => sent.templateId);
  }

  /** Moves the clock to `hours` after `from`. */
  async function tickTo(from: number, hours: number): Promise<void> {
    const now = (await stackNow(stack)).getTime();
    await stack.tick((from + hours * HOUR_MS - now) / HOUR_MS);
  }

  it('sends no nurture mail during the 30-day cool-off and resumes nurture after it', async () => {
    // Prepare: a confirmed subscriber who becomes an MQL by webinars (10 fit + 10 consent + 3 × 30)
    const email = uniqueEmail('cool-off');
    expect((await stack.postJson('/forms/newsletter', { email, marketingConsent: true, firstName: 'Nora' })).status).toBe(200);
    await stack.drain();
    const [optIn] = (await stack.mailTo(email)).filter((mail) => mail.text.includes('/confirm?token='));
    const confirmed = await pressButton(linkIn(optIn!, '/confirm?token='));
    expect(confirmed.status).toBe(200);
    await stack.drain();
    await attendWebinars(stack, email, ['cool-off-1', 'cool-off-2', 'cool-off-3']);
    await stack.drain();
    expect(await stack.lead(email)).toMatchObject({ lifecycle: 'mql', funnelStage: 'mofu', consent: { marketing: 'confirmed' } });
    const [salesMail] = await salesMailsAbout(stack, email);

    // Act: sales says "not now"
    const recycled = await pressButton(decisionLink(salesMail!, '/sales/recycle'), { reason: 'bad_timing' });
    expect(recycled.status).toBe(200);
    await stack.drain();
    const [event] = await eventsFor(stack, 'Lead Recycled', email);
    const recycledAt = Date.parse(event!.detail.at);
    const resumesAt = Date.parse(event!.detail.nurtureResumesAt);
    // subscribers (a CRM) get the lead as it is after the recycle: engagement reset, back to warm
    expect(event!.detail.lead).toMatchObject({
      email,
      lifecycle: 'warm',
      engagementScore: 0,
      score: 10,
      fitScore: 10,
      qualification: 'unqualified',
    });

    // Assess: without the cool-off mofu-1 would be due 3 days after the recycle; nothing goes out for 30 days
    expect(await stack.lead(email)).toMatchObject({
      lifecycle: 'warm',
      nurture: { track: 'mofu', nextStep: 0, resumeAt: event!.detail.nurtureResumesAt },
    });
    await tickTo(recycledAt, 3 * 24 + 1);
    expect(await nurtureMails(email)).toEqual([]);
    await tickTo(recycledAt, 15 * 24);
    expect(await nurtureMails(email)).toEqual([]);
    await tickTo(recycledAt, 30 * 24 - 1);
    expect(await nurtureMails(email)).toEqual([]);
    expect(await marketingSends(email)).toEqual([]);

    // Assess: the first run after the cool-off sends the first step of the lead's stage track, once
    await tickTo(resumesAt, 0.5);
    await stack.tick(1); // a later run does not send the step again
    const mails = await nurtureMails(email);
    expect(mails).toHaveLength(1);
    expect(await marketingSends(email)).toEqual(['mofu-1']);
    expect((await stack.lead(email))!.nurture).toMatchObject({ track: 'mofu', nextStep: 1 });
    expect(await salesMailsAbout(stack, email)).toHaveLength(1);
  });
});
