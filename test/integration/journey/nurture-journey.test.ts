import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevMail, linkIn, startTestStack, type TestStack, uniqueEmail } from '../../support/test-stack';
import { nurtureMails, signUpConfirmed } from '../nurture/nurture-helpers';

/**
 * The whole funnel the way a person walks it: only the links in our own emails, opened in a browser
 * (GET shows a page, its button POSTs), and virtual time in between. Newsletter signup and opt-in,
 * then each nurture mail's offer: the e-book (tofu), the case study (mofu), the pricing guide (bofu),
 * and the bofu mail's 15 minutes with an expert, booked on the call page. The booking is what makes
 * the lead an MQL (consent 10 + e-book 15 + case study 25 + pricing guide 30 + a click per mail 5 × 3 = 95).
 */

/** What escapeHtml writes into attribute values: named and numeric character references. */
function decodeAttribute(value: string): string {
  return value
    .replace(/&#x([0-9a-f]+);/gi, (_m, hex: string) => String.fromCodePoint(Number.parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_m, dec: string) => String.fromCodePoint(Number(dec)))
    .replaceAll('&quot;', '"')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}

interface PageForm {
  action: string;
  fields: Record<string, string>;
  /** the values of the radio buttons named `slot`, in page order */
  slots: string[];
}

/** The page's form that POSTs, with its hidden fields; the page is fetched as a browser would (HTML). */
async function formOn(url: string): Promise<{ status: number; form: PageForm; html: string }> {
  const response = await fetch(url, { headers: { accept: 'text/html' }, redirect: 'manual' });
  const html = await response.text();
  const match = /<form\b[^>]*method="post"[^>]*>([\s\S]*?)<\/form>/i.exec(html) ?? /<form\b[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!match) throw new Error(`no form on ${url}: ${html.slice(0, 300)}`);
  const rawAction = /action="([^"]*)"/.exec(match[0])?.[1];
  const action = rawAction === undefined ? url : decodeAttribute(rawAction);
  const fields: Record<string, string> = {};
  for (const input of match[1]!.matchAll(/<input\b[^>]*type="hidden"[^>]*>/gi)) {
    const name = /name="([^"]*)"/.exec(input[0])?.[1];
    const value = /value="([^"]*)"/.exec(input[0])?.[1] ?? '';
    if (name) fields[name] = decodeAttribute(value);
  }
  const slots = [...html.matchAll(/<input\b[^>]*type="radio"[^>]*name="slot"[^>]*value="([^"]*)"/gi)].map((m) => decodeAttribute(m[1]!));
  return { status: response.status, form: { action: new URL(action, url).href, fields, slots }, html };
}

async function press(form: PageForm, extra: Record<string, string> = {}): Promise<Response> {
  return fetch(form.action, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    body: new URLSearchParams({ ...form.fields, ...extra }).toString(),
    redirect: 'manual',
  });
}

/** The call to action of a nurture mail: its one link to an offer page or the call page. */
function offerLinkIn(mail: DevMail): string {
  const offer = /https?:\/\/[^\s"<>]*\/(offers|call)\?token=[^\s"<>]*/.exec(mail.text);
  if (!offer) throw new Error(`no offer link in "${mail.subject}"`);
  return offer[0];
}

describe('the nurture journey, following only the links in our own mails', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** Ticks the clock a day at a time until the lead has `count` nurture mails; returns the newest. */
  async function nextNurtureMail(email: string, count: number): Promise<DevMail> {
    for (let day = 0; day < 30; day += 1) {
      const mails = await nurtureMails(stack, email);
      if (mails.length >= count) return mails[count - 1]!;
      await stack.tick(24);
    }
    throw new Error(`no nurture mail #${count} for ${email} within 30 days`);
  }

  /** Opens an offer link (GET changes nothing), presses its button and follows a redirect to the PDF. */
  async function takeOffer(email: string, mail: DevMail, expectedAsset: string): Promise<void> {
    const link = offerLinkIn(mail);
    expect(new URL(link).pathname).toBe('/offers');
    const before = await stack.lead(email);
    const page = await formOn(link);
    expect(page.status).toBe(200);
    expect((await stack.lead(email))!.interactions).toHaveLength(before!.interactions.length);
    const pressed = await press(page.form);
    expect(pressed.status).toBe(303);
    const download = await fetch(new URL(pressed.headers.get('location')!, link), { redirect: 'follow' });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toContain('application/pdf');
    await stack.drain();
    const after = await stack.lead(email);
    expect(after!.interactions).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'download', assetId: expectedAsset, channel: 'email' })]),
    );
  }

  it('signup, opt-in, e-book, case study, pricing guide, then a booked call: MQL, one sales mail naming the slot, the .ics', async () => {
    const email = uniqueEmail('journey', 'gmail.com');
    await signUpConfirmed(stack, email, 'Jana');

    // tofu: the e-book
    const tofu1 = await nextNurtureMail(email, 1);
    await takeOffer(email, tofu1, 'ebook-lead-types');
    expect(await stack.lead(email)).toMatchObject({ funnelStage: 'tofu', lifecycle: 'warm' });

    // the next tofu mail offers the case study, which moves the lead to mofu
    const tofu2 = await nextNurtureMail(email, 2);
    await takeOffer(email, tofu2, 'case-study-b2b');
    expect(await stack.lead(email)).toMatchObject({ funnelStage: 'mofu' });

    // the mofu track: its first mail invites to the webinar (not taken), the second offers the pricing guide
    await nextNurtureMail(email, 3);
    const mofu2 = await nextNurtureMail(email, 4);
    await takeOffer(email, mofu2, 'pricing-guide');
    const bofuLead = await stack.lead(email);
    expect(bofuLead).toMatchObject({ funnelStage: 'bofu', lifecycle: 'warm', score: 95 });

    // bofu: the expert call
    const bofu1 = await nextNurtureMail(email, 5);
    const callLink = offerLinkIn(bofu1);
    expect(new URL(callLink).pathname).toBe('/call');
    const callPage = await formOn(callLink);
    expect(callPage.status).toBe(200);
    expect(callPage.form.slots.length).toBeGreaterThan(0);
    const slot = callPage.form.slots[0]!;
    const booked = await press(callPage.form, { slot });
    expect([200, 303]).toContain(booked.status);
    await stack.drain();

    const mql = await stack.lead(email);
    expect(mql).toMatchObject({ lifecycle: 'mql', funnelStage: 'bofu' });
    expect(mql!.interactions).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'call_requested', slot })]));

    const toSales = (await (await fetch(`${stack.url}/_dev/mail`)).json()) as DevMail[];
    const salesMails = toSales.filter((mail) => mail.subject.startsWith('MQL:') && mail.text.includes(email));
    expect(salesMails).toHaveLength(1);
    const berlin = new Intl.DateTimeFormat('de-DE', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit' }).format(
      new Date(slot),
    );
    expect(salesMails[0]!.subject).toContain(berlin);

    const confirmation = (await stack.mailTo(email)).find((mail) => mail.text.includes('/call/event.ics'));
    expect(confirmation, 'the call confirmation mail').toBeDefined();
    const ics = await fetch(linkIn(confirmation!, '/call/event.ics'));
    expect(ics.status).toBe(200);
    expect(ics.headers.get('content-type')).toContain('text/calendar');
    const calendar = await ics.text();
    expect(calendar).toContain('BEGIN:VCALENDAR');
    const start = slot.replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
    expect(calendar).toContain(`DTSTART:${start}`);
  });
});
