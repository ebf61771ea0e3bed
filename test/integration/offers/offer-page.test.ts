/**
 * The offer page behind every nurture CTA, driven as a person would: the link is taken from the mail
 * the dispatcher really sent, GET shows the page, the button POSTs. Virtual time only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Interaction } from '../../../shared/domain/lead';
import { linkIn, startTestStack, uniqueEmail, type DevMail, type TestStack } from '../../support/test-stack';
import { download, nurtureMails, sesEvent, signUpConfirmed } from '../nurture/nurture-helpers';

const BROWSER = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8', 'accept-language': 'de-DE,de;q=0.9' };

function get(url: string, headers: Record<string, string> = BROWSER): Promise<Response> {
  return fetch(url, { headers, redirect: 'manual' });
}

/** What the page's button sends: a form POST with no fields, back to the same URL. */
function press(url: string, headers: Record<string, string> = BROWSER): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
    body: '',
    redirect: 'manual',
  });
}

function decodeHtml(value: string): string {
  return value
    .replace(/&#x([0-9a-f]+);/gi, (_entity, hex: string) => String.fromCodePoint(Number.parseInt(hex, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

function withToken(link: string, token: string): string {
  const url = new URL(link);
  url.searchParams.set('token', token);
  return url.toString();
}

describe('offer page (GET /offers shows, POST delivers)', () => {
  let stack: TestStack;
  let storedInteractions: (email: string) => Promise<Interaction[]>;
  let erase: (email: string) => Promise<void>;
  let sign: (payload: { purpose: 'offer'; leadId: string; data: Record<string, string> }) => string;
  let leadIdOf: (email: string) => string;

  beforeAll(async () => {
    // The default webinar (config/webinars.json) has a date: the stack's clock starts well before it,
    // so the registration cases hold whenever the suite runs.
    stack = await startTestStack({ clockStartsAt: '2027-01-04T08:00:00.000Z' });
    // Storage modules create their SDK client at import, so import them once the stack has set the endpoints.
    const { loadLeadPartition } = await import('../../../shared/storage/lead-partition');
    const { eraseLead } = await import('../../../shared/storage/erase-lead');
    const { leadIdFor } = await import('../../../shared/security/lead-id');
    const { signToken } = await import('../../../shared/security/signed-token');
    const key = stack.stack.environment.LEADPIPE_SIGNING_KEY!;
    leadIdOf = (email) => leadIdFor(email.trim().toLowerCase(), key);
    storedInteractions = async (email) => (await loadLeadPartition(stack.stack.tableName, leadIdOf(email))).interactions;
    erase = async (email) => {
      await eraseLead(stack.stack.tableName, leadIdOf(email), stack.stack.clock.now().toISOString());
    };
    sign = (payload) => signToken(payload, key);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** A confirmed newsletter lead (tofu) that has just received tofu-1, and that mail's offer link. */
  async function leadWithTofu1(label: string): Promise<{ email: string; mail: DevMail; offerUrl: string }> {
    const email = uniqueEmail(label, 'gmail.com');
    await signUpConfirmed(stack, email);
    await stack.tick(49);
    const mails = await nurtureMails(stack, email);
    expect(mails.map((mail) => mail.subject)).toEqual(['Cold, warm, MQL, SQL: Welcher Lead ist welcher?']);
    return { email, mail: mails[0]!, offerUrl: linkIn(mails[0]!, '/offers?token=') };
  }

  /** A lead that read the case study (mofu) and has just received mofu-1, the webinar invitation. */
  async function leadWithMofu1(label: string): Promise<{ email: string; mail: DevMail; offerUrl: string }> {
    const email = uniqueEmail(label, 'gmail.com');
    await signUpConfirmed(stack, email);
    await download(stack, email, 'case-study-b2b');
    await stack.tick(3 * 24 + 1);
    const mails = await nurtureMails(stack, email);
    expect(mails.map((mail) => mail.subject)).toEqual(['Webinar: Lead-Scoring in der Praxis']);
    return { email, mail: mails[0]!, offerUrl: linkIn(mails[0]!, '/offers?token=') };
  }

  describe('a download offer (tofu-1: the e-book)', () => {
    it('GET shows the offer with one button that posts back, and changes nothing', async () => {
      // Prepare
      const { email, mail, offerUrl } = await leadWithTofu1('offer-get');
      const before = await stack.lead(email);

      // Act
      const response = await get(offerUrl);
      await stack.drain();

      // Assess
      const page = await response.text();
      expect(response.status).toBe(200);
      expect(page).toContain('<html lang="de">');
      expect(page).toContain('E-Book: Lead-Typen im B2B-Marketing');
      expect(page).toContain('PDF herunterladen');
      expect(page.match(/<form /g)).toHaveLength(1);
      expect(decodeHtml(/<form method="post" action="([^"]+)"/.exec(page)![1]!)).toBe(offerUrl);
      expect(mail.html).toContain('E-Book herunterladen');
      expect(await stack.lead(email)).toEqual(before);
    });

    it('POST records the download (channel email, message id) and the click, then hands over the PDF', async () => {
      // Prepare
      const { email, mail, offerUrl } = await leadWithTofu1('offer-post');
      const scoreBefore = (await stack.lead(email))!.score as number;

      // Act
      const pressed = await press(offerUrl);
      const location = pressed.headers.get('location') ?? '';
      const delivered = await get(location);
      const pdf = await fetch(delivered.headers.get('location')!);
      await stack.drain();

      // Assess
      expect(pressed.status).toBe(303);
      expect(location.startsWith(`${stack.url}/downloads/ebook-lead-types?token=`)).toBe(true);
      expect(delivered.status).toBe(302);
      expect(pdf.status).toBe(200);
      expect(pdf.headers.get('content-type')).toBe('application/pdf');
      expect(
        Buffer.from(await pdf.arrayBuffer())
          .subarray(0, 5)
          .toString('latin1'),
      ).toBe('%PDF-');
      const stored = await storedInteractions(email);
      expect(stored.filter((interaction) => interaction.type === 'download')).toEqual([
        expect.objectContaining({ assetId: 'ebook-lead-types', funnelStage: 'tofu', channel: 'email', messageId: mail.messageId }),
      ]);
      expect(stored.filter((interaction) => interaction.type === 'email_click')).toEqual([
        expect.objectContaining({ messageId: mail.messageId }),
      ]);
      const lead = await stack.lead(email);
      expect(lead!.score).toBe(scoreBefore + 15 + 5);
      expect(lead!.interactions).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ type: 'download', assetId: 'ebook-lead-types', messageId: mail.messageId, points: 15 }),
          expect.objectContaining({ type: 'email_click', messageId: mail.messageId, points: 5 }),
        ]),
      );
    });

    it('counts the click once: a double press, and then SES reporting the same click, add nothing', async () => {
      // Prepare
      const { email, mail, offerUrl } = await leadWithTofu1('offer-twice');
      await press(offerUrl);
      await stack.drain();
      const afterFirst = await stack.lead(email);

      // Act
      const [second, third] = await Promise.all([press(offerUrl), press(offerUrl)]);
      await sesEvent(stack, { type: 'click', messageId: mail.messageId });
      await stack.drain();

      // Assess
      expect([second.status, third.status]).toEqual([303, 303]);
      expect(second.headers.get('location')).toMatch(/\/downloads\/ebook-lead-types\?token=/);
      const stored = await storedInteractions(email);
      expect(stored.filter((interaction) => interaction.type === 'email_click')).toHaveLength(1);
      expect(stored.filter((interaction) => interaction.type === 'download')).toHaveLength(1);
      expect((await stack.lead(email))!.score).toBe(afterFirst!.score);
    });

    it('counts an SES click that came first, and the offer page then adds no second click', async () => {
      // Prepare
      const { email, mail, offerUrl } = await leadWithTofu1('offer-ses-first');
      await sesEvent(stack, { type: 'click', messageId: mail.messageId });

      // Act
      const pressed = await press(offerUrl);
      await stack.drain();

      // Assess
      expect(pressed.status).toBe(303);
      const stored = await storedInteractions(email);
      expect(stored.filter((interaction) => interaction.type === 'email_click')).toHaveLength(1);
      expect(stored.filter((interaction) => interaction.type === 'download')).toHaveLength(1);
    });
  });

  describe('a webinar offer (mofu-1)', () => {
    it('GET shows the date; POST registers once (+10) and says so, in the lead language', async () => {
      // Prepare
      const { email, mail, offerUrl } = await leadWithMofu1('offer-webinar');
      const before = await stack.lead(email);

      // Act
      const page = await (await get(offerUrl)).text();
      await stack.drain();
      const afterGet = await stack.lead(email);
      const first = await press(offerUrl);
      await stack.drain();
      const afterFirst = await stack.lead(email);
      const second = await press(offerUrl);
      await stack.drain();

      // Assess
      expect(afterGet).toEqual(before);
      expect(page).toContain('Webinar: Lead-Scoring in der Praxis');
      expect(page).toContain('Donnerstag, 17. Juni 2027, 10:00–10:45 Uhr (Europe/Berlin)');
      expect(page).toContain('Jetzt anmelden');
      expect(first.status).toBe(200);
      const firstPage = await first.text();
      expect(firstPage).toContain('Sie sind angemeldet');
      expect(firstPage).toContain('Donnerstag, 17. Juni 2027, 10:00–10:45 Uhr (Europe/Berlin)');
      expect(await second.text()).toContain('bereits');
      expect(afterFirst!.score).toBe((before!.score as number) + 10 + 5);
      expect((await stack.lead(email))!.score).toBe(afterFirst!.score);
      const registrations = (await storedInteractions(email)).filter((interaction) => interaction.type === 'webinar_registered');
      expect(registrations).toEqual([
        expect.objectContaining({ externalId: 'lead-scoring-praxis', channel: 'email', messageId: mail.messageId }),
      ]);
      expect(afterFirst!.scoreExplanation).toContainEqual(
        expect.objectContaining({ reason: 'webinar registered: lead-scoring-praxis', points: 10 }),
      );
    });
  });

  describe('links that do not hold', () => {
    it.each([
      ['a tampered signature', (link: string) => withToken(link, `${new URL(link).searchParams.get('token')!.slice(0, -2)}AA`)],
      ['no token', (link: string) => link.split('?')[0]!],
      [
        'a token of another purpose',
        (link: string, mail: DevMail) => withToken(link, new URL(linkIn(mail, '/unsubscribe?token=')).searchParams.get('token')!),
      ],
    ])('%s: a 400 page in the reader language, nothing stored', async (_name, mangle) => {
      // Prepare
      const { email, mail, offerUrl } = await leadWithTofu1('offer-bad');
      const bad = mangle(offerUrl, mail);
      const before = await storedInteractions(email);

      // Act
      const shown = await get(bad, { ...BROWSER, 'accept-language': 'en-GB,en;q=0.9' });
      const pressed = await press(bad);
      await stack.drain();

      // Assess
      expect(shown.status).toBe(400);
      expect(await shown.text()).toContain('<html lang="en">');
      expect(pressed.status).toBe(400);
      expect(await pressed.text()).toContain('<html lang="de">');
      expect(await storedInteractions(email)).toEqual(before);
    });

    it('a validly signed expert-call offer (the call has its own page) is a 400 naming the offer, nothing stored', async () => {
      // Prepare
      const { email } = await leadWithTofu1('offer-forged');
      const forged = `${stack.url}/offers?token=${encodeURIComponent(
        sign({ purpose: 'offer', leadId: leadIdOf(email), data: { offer: 'expert-call', ref: 'bofu-1', locale: 'de' } }),
      )}`;
      const before = await storedInteractions(email);

      // Act
      const shown = await get(forged);
      const pressed = await press(forged);
      await stack.drain();

      // Assess
      expect(shown.status).toBe(400);
      expect(pressed.status).toBe(400);
      const page = await pressed.text();
      expect(page).toContain('Bitte prüfen Sie Ihre Eingaben');
      // The field is named (as "offer", or by its label once html-pages.ts has one).
      expect(page).toMatch(/<li><strong>(offer|Angebot)<\/strong>: /);
      expect(await storedInteractions(email)).toEqual(before);
    });

    it('an erased lead gets a neutral page on GET and POST, and nothing is stored again', async () => {
      // Prepare
      const { email, offerUrl } = await leadWithTofu1('offer-erased');
      await erase(email);

      // Act
      const shown = await get(offerUrl);
      const pressed = await press(offerUrl);
      await stack.drain();

      // Assess
      expect(shown.status).toBe(200);
      expect(await shown.text()).toContain('Dieses Angebot ist nicht mehr verfügbar.');
      expect(pressed.status).toBe(200);
      expect(pressed.headers.get('location')).toBeNull();
      expect(await pressed.text()).toContain('Dieses Angebot ist nicht mehr verfügbar.');
      expect(await storedInteractions(email)).toEqual([]);
      expect(await stack.lead(email)).toBeUndefined();
    });

    // Last: it moves the shared virtual clock by two months.
    it('an expired link (after 60 days): a 400 page, nothing stored', async () => {
      // Prepare
      const { email, offerUrl } = await leadWithTofu1('offer-expired');
      await stack.tick(61 * 24);
      const before = await storedInteractions(email);

      // Act
      const shown = await get(offerUrl);
      const pressed = await press(offerUrl);
      await stack.drain();

      // Assess
      expect(shown.status).toBe(400);
      expect(pressed.status).toBe(400);
      expect(await pressed.text()).toContain('<html lang="de">');
      expect(await storedInteractions(email)).toEqual(before);
    });
  });
});
