import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkIn, startTestStack, uniqueEmail, type TestStack } from '../../support/test-stack';
import { styleHashSource } from '../../../shared/http/security-headers';
import {
  downloadMails,
  expectNothingStoredOrSent,
  optInMails,
  pressConfirmButton,
  RawTable,
  signUpAndGetConfirmLink,
  validFormFields,
} from './capture-helpers';
import { thankYouLocation } from './thank-you-location';

describe('capture forms posted as plain HTML forms (application/x-www-form-urlencoded)', () => {
  let stack: TestStack;
  let table: RawTable;
  let thankYouUrl: string;
  beforeAll(async () => {
    stack = await startTestStack();
    table = new RawTable(stack);
    thankYouUrl = `${stack.url}/thanks`;
  });
  afterAll(async () => {
    table?.destroy();
    await stack?.stop();
  });

  describe('success answers 303 See Other', () => {
    it.each(['on', 'true', 'TRUE'])(
      'newsletter with marketingConsent=%s goes to the thank-you page and sends the opt-in mail',
      async (checkbox) => {
        // Prepare
        const email = uniqueEmail('nl-form');

        // Act
        const response = await stack.postForm('/forms/newsletter', { email, marketingConsent: checkbox });
        await stack.drain();

        // Assess
        expect(response.status).toBe(303);
        expect(response.headers.get('location')).toBe(`${thankYouUrl}?form=newsletter&lang=de&optIn=1`);
        expect(await response.text()).toBe('');
        const lead = await stack.lead(email);
        expect(lead).toMatchObject({
          consent: { marketing: 'pending' },
          interactions: [expect.objectContaining({ type: 'newsletter_signup' })],
        });
        expect(await optInMails(stack, email)).toHaveLength(1);
      },
    );

    it('download goes to the thank-you page and the signed link arrives by mail', async () => {
      // Prepare
      const email = uniqueEmail('dl-form');

      // Act
      const response = await stack.postForm('/forms/download', { email, firstName: 'Franz', assetId: 'pricing-guide' });
      await stack.drain();

      // Assess
      expect(response.status).toBe(303);
      const location = thankYouLocation(response.headers.get('location'));
      // no optIn: the download form asked for no marketing consent
      expect(location).toEqual({ target: thankYouUrl, form: 'download', lang: 'de', optIn: undefined, downloadUrl: expect.any(String) });
      const lead = await stack.lead(email);
      expect(lead!.interactions).toEqual([expect.objectContaining({ type: 'download', assetId: 'pricing-guide', funnelStage: 'bofu' })]);
      const [mail] = await downloadMails(stack, email);
      expect(linkIn(mail!, '/downloads/')).toMatch(new RegExp(`^${stack.url}/downloads/pricing-guide\\?token=`));
      // the thank-you page shows the same document link the mail carries
      expect(location.downloadUrl).toBe(linkIn(mail!, '/downloads/'));
      expect(await optInMails(stack, email)).toHaveLength(0);
    });

    it('contact goes to the thank-you page and keeps a multi-line message', async () => {
      // Prepare
      const email = uniqueEmail('contact-form');

      // Act
      const response = await stack.postForm('/forms/contact', {
        email,
        firstName: 'Kai',
        lastName: 'Kontakt',
        message: 'Zeile eins\r\nZeile zwei',
        phone: '030 1234567',
      });

      // Assess
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe(`${thankYouUrl}?form=contact&lang=de`);
      const lead = await stack.lead(email);
      expect(lead).toMatchObject({ firstName: 'Kai', lastName: 'Kontakt', phone: '030 1234567', consent: { marketing: 'none' } });
      const [interaction] = await table.interactions(lead!.leadId);
      expect(interaction).toMatchObject({ type: 'contact', message: 'Zeile eins\nZeile zwei' });
    });

    it('decodes percent-encoded UTF-8 and "+" as space from the base64 body', async () => {
      // Prepare
      const email = uniqueEmail('form-utf8');

      // Act
      const response = await stack.postForm('/forms/newsletter', {
        email,
        marketingConsent: 'on',
        firstName: 'Jürgen Ölaf',
        company: 'Müller & Söhne + Co',
      });

      // Assess
      expect(response.status).toBe(303);
      expect(await stack.lead(email)).toMatchObject({ firstName: 'Jürgen Ölaf', company: 'Müller & Söhne + Co' });
    });

    it('stores attribution and consent evidence from a form post and ignores unknown fields', async () => {
      // Prepare
      const email = uniqueEmail('form-attr');

      // Act
      await stack.postForm(
        '/forms/newsletter',
        {
          email,
          marketingConsent: 'on',
          utm_source: 'xing',
          utm_medium: 'social',
          utm_campaign: 'spring',
          page: '/newsletter',
          referrer: 'https://xing.example/',
          submit: 'Anmelden',
          csrf_whatever: 'tracking-marker-42',
        },
        { 'user-agent': 'FormBrowser/1.0' },
      );

      // Assess
      const lead = await stack.lead(email);
      const partition = await table.partition(lead!.leadId);
      const interaction = partition.find((item) => String(item.sk).startsWith('INTERACTION#'));
      expect(interaction!.attribution).toEqual({
        utm_source: 'xing',
        utm_medium: 'social',
        utm_campaign: 'spring',
        page: '/newsletter',
        referrer: 'https://xing.example/',
      });
      const profile = partition.find((item) => item.sk === 'PROFILE');
      expect(profile!.consentEvidenceLatest).toEqual(expect.objectContaining({ form: 'newsletter', userAgent: 'FormBrowser/1.0' }));
      expect(interaction!.consentEvidence).toEqual(expect.objectContaining({ form: 'newsletter', userAgent: 'FormBrowser/1.0' }));
      const stored = JSON.stringify(partition);
      expect(stored).not.toContain('csrf_whatever');
      expect(stored).not.toContain('tracking-marker-42');
      expect(stored).not.toContain('Anmelden');
    });
  });

  describe('the redirect field (open-redirect guard)', () => {
    it('follows a redirect whose origin is on the allowlist', async () => {
      // Prepare
      const email = uniqueEmail('redir-ok');
      const target = `${stack.url}/danke?form=newsletter#top`;

      // Act
      const response = await stack.postForm('/forms/newsletter', { email, marketingConsent: 'on', redirect: target });

      // Assess
      expect(response.status).toBe(303);
      // the target's own parameter and fragment stay; `form` is set, not duplicated
      expect(response.headers.get('location')).toBe(`${stack.url}/danke?form=newsletter&lang=de&optIn=1#top`);
      expect(await stack.lead(email)).toBeDefined();
    });

    it('follows an allowed redirect for the download and contact forms too', async () => {
      // Prepare
      const download = uniqueEmail('redir-dl');
      const contact = uniqueEmail('redir-contact');

      // Act
      const downloadResponse = await stack.postForm('/forms/download', {
        ...validFormFields('download', download),
        redirect: `${stack.url}/download-danke`,
      });
      const contactResponse = await stack.postForm('/forms/contact', {
        ...validFormFields('contact', contact),
        redirect: `${stack.url}/kontakt-danke`,
      });

      // Assess
      expect(thankYouLocation(downloadResponse.headers.get('location'))).toEqual({
        target: `${stack.url}/download-danke`,
        form: 'download',
        lang: 'de',
        optIn: undefined,
        downloadUrl: expect.stringMatching(new RegExp(`^${stack.url}/downloads/ebook-lead-types\\?token=`)),
      });
      expect(contactResponse.headers.get('location')).toBe(`${stack.url}/kontakt-danke?form=contact&lang=de`);
    });

    it('percent-encodes a non-ASCII redirect target, since a Location header carries ASCII only', async () => {
      // Prepare
      const email = uniqueEmail('redir-utf8');

      // Act
      const redirect = `${stack.url}/danke-€?land=日本#größe`;
      const response = await stack.postForm('/forms/newsletter', { email, marketingConsent: 'on', redirect });

      // Assess
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe(
        `${stack.url}/danke-%E2%82%AC?land=%E6%97%A5%E6%9C%AC&form=newsletter&lang=de&optIn=1#gr%C3%B6%C3%9Fe`,
      );
      expect(await stack.lead(email)).toBeDefined();
    });

    const hostile: Array<[string, (url: string) => string]> = [
      ['an evil origin', () => 'https://evil.example/phish'],
      ['a protocol-relative URL', () => '//evil.example/phish'],
      ['a javascript: URL', () => 'javascript:alert(document.cookie)'],
      ['a JavaScript: URL in mixed case with leading space', () => ' JavaScript:alert(1)'],
      ['a data: URL', () => 'data:text/html,<script>alert(1)</script>'],
      ['credentials that hide another host', (url) => `${url}@evil.example/`],
      ['a look-alike host', (url) => `${url}.evil.example/`],
      ['a backslash trick', (url) => `${url}\\@evil.example/`],
      ['the allowed host on another scheme', (url) => url.replace('http://', 'https://')],
      ['the allowed host on another port', (url) => url.replace(/:\d+$/, ':1')],
      ['a relative path', () => '/danke'],
    ];

    it.each(hostile)('ignores %s and goes to the default thank-you page', async (_label, redirectFor) => {
      // Prepare
      const email = uniqueEmail('redir-evil');

      // Act
      const response = await stack.postForm('/forms/newsletter', { email, marketingConsent: 'on', redirect: redirectFor(stack.url) });

      // Assess
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe(`${thankYouUrl}?form=newsletter&lang=de&optIn=1`);
      // the submission itself is still valid and stored
      expect(await stack.lead(email)).toBeDefined();
    });

    it('ignores the redirect field for JSON requests', async () => {
      // Prepare
      const email = uniqueEmail('redir-json');

      // Act
      const response = await stack.postJson('/forms/newsletter', { email, marketingConsent: true, redirect: 'https://evil.example/' });

      // Assess
      expect(response.status).toBe(200);
      expect(response.headers.get('location')).toBeNull();
      expect(await response.json()).toEqual({ ok: true });
    });
  });

  describe('Content-Security-Policy of the pages', () => {
    /** The policy forbids framing and script, and allows exactly the page's own inline style. */
    function expectLockedDown(response: Response, page: string): void {
      const policy = response.headers.get('content-security-policy') ?? '';
      const directives = new Map(
        policy
          .split(';')
          .map((d) => d.trim().split(/\s+/))
          .map(([name, ...values]) => [name, values]),
      );
      const styles = [...page.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]!);
      expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
      expect(directives.get('default-src')).toEqual(["'none'"]);
      expect(directives.has('script-src')).toBe(false);
      expect(styles.length).toBeGreaterThan(0);
      for (const style of styles) expect(directives.get('style-src')).toContain(styleHashSource(style));
      expect(directives.get('style-src')).not.toContain("'unsafe-inline'");
      expect(page).not.toMatch(/<script|\sstyle=/i);
      expect(response.headers.get('x-frame-options')).toBe('DENY');
    }

    it('locks down the confirm action page, the page after pressing its button, and a field-error page', async () => {
      // Prepare
      const email = uniqueEmail('csp');
      const link = await signUpAndGetConfirmLink(stack, email);

      // Act
      const actionPage = await fetch(link, { headers: { accept: 'text/html' } });
      const actionHtml = await actionPage.text();
      const donePage = await pressConfirmButton(link);
      const doneHtml = await donePage.text();
      const errorPage = await stack.postForm('/forms/newsletter', { email: 'not-an-address' });
      const errorHtml = await errorPage.text();

      // Assess
      expect([actionPage.status, donePage.status, errorPage.status]).toEqual([200, 200, 400]);
      expect(actionHtml).toContain('<form method="post"');
      expectLockedDown(actionPage, actionHtml);
      expectLockedDown(donePage, doneHtml);
      expectLockedDown(errorPage, errorHtml);
    });
  });

  describe('field errors of a form post', () => {
    it('answer 400 with an HTML page listing every bad field, and store nothing', async () => {
      // Prepare
      const email = uniqueEmail('form-err');

      // Act
      const response = await stack.postForm('/forms/contact', { email, firstName: 'A\r\nB', lastName: '', message: '' });

      // Assess
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      const page = await response.text();
      expect(page).toContain('Bitte prüfen Sie Ihre Eingaben');
      expect(page).toContain('<li><strong>Vorname</strong>: Bitte ohne Zeilenumbrüche oder Steuerzeichen.</li>');
      expect(page).toContain('<li><strong>Nachname</strong>: Bitte ausfüllen.</li>');
      expect(page).toContain('<li><strong>Nachricht</strong>: Bitte ausfüllen.</li>');
      expect(page).not.toMatch(/<strong>E-Mail<\/strong>/);
      // the visitor reads labels, never the internal field names or the API's English wording
      expect(page).not.toMatch(/firstName|lastName|is required/);
      expect(page).not.toMatch(/<script/i);
      await expectNothingStoredOrSent(stack, email);
    });

    it('lists an invalid address and missing consent on the newsletter form, in English for an English browser', async () => {
      // Prepare
      const email = 'not-an-address';

      // Act
      const response = await stack.postForm('/forms/newsletter', { email }, { 'accept-language': 'en-US,en;q=0.9' });

      // Assess
      expect(response.status).toBe(400);
      const page = await response.text();
      expect(page).toContain('Please check your input');
      expect(page).toContain('<html lang="en">');
      expect(page).toContain('<li><strong>Email</strong>: Please enter a valid email address, e.g. name@company.com.</li>');
      expect(page).toContain('<li><strong>Consent</strong>: Please agree so that we may send you the newsletter.</li>');
      expect(page).not.toContain('marketingConsent');
    });

    it('answers an unknown asset with a page naming the assetId field', async () => {
      // Prepare
      const email = uniqueEmail('form-asset');

      // Act
      const response = await stack.postForm('/forms/download', { email, firstName: 'Ada', assetId: '../../etc/passwd' });

      // Assess
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      const page = await response.text();
      expect(page).toContain('<li><strong>Inhalt</strong>: Bitte wählen Sie ein Dokument aus der Liste.</li>');
      expect(page).not.toContain('assetId');
      await expectNothingStoredOrSent(stack, email);
    });

    it('does not redirect even to an allowed origin when the fields are invalid', async () => {
      // Prepare
      const email = uniqueEmail('form-err-redir');

      // Act
      const response = await stack.postForm('/forms/newsletter', { email, redirect: `${stack.url}/danke` });

      // Assess
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
      await expectNothingStoredOrSent(stack, email);
    });
  });
});
