import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../../local/local-stack';
import { linkIn, startTestStack, uniqueEmail, type TestStack } from '../../support/test-stack';
import { CATALOGUE, downloadMails, optInMails, signUpAndGetConfirmLink, tokenOf, tokenPayload, validBody } from './capture-helpers';

const BROWSER = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

function get(url: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { headers, redirect: 'manual' });
}

async function requestDownload(stack: TestStack, email: string, assetId: string, extra: Record<string, unknown> = {}): Promise<string> {
  const response = await stack.postJson('/forms/download', { ...validBody('download', email), assetId, ...extra });
  expect(response.status).toBe(200);
  return ((await response.json()) as { downloadUrl: string }).downloadUrl;
}

describe('gated downloads', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  describe('POST /forms/download → downloadUrl and mail → GET /downloads/:assetId → PDF', () => {
    it.each(CATALOGUE)(
      '$assetId: the emailed link equals the JSON downloadUrl and redirects to the fetchable PDF',
      async ({ assetId, funnelStage, file }) => {
        // Prepare
        const email = uniqueEmail(`dl-${funnelStage}`);

        // Act
        const downloadUrl = await requestDownload(stack, email, assetId);
        await stack.drain();
        const redirect = await get(downloadUrl);
        const location = redirect.headers.get('location');
        const pdf = await fetch(location!);

        // Assess
        const mails = await downloadMails(stack, email);
        expect(mails).toHaveLength(1);
        expect(linkIn(mails[0]!, '/downloads/')).toBe(downloadUrl);
        expect(redirect.status).toBe(302);
        expect(redirect.headers.get('cache-control')).toBe('no-store');
        expect(location).toMatch(/^https?:\/\//);
        expect(location).not.toContain(stack.url);
        expect(location).toContain('X-Amz-Signature=');
        expect(pdf.status).toBe(200);
        expect(pdf.headers.get('content-type')).toBe('application/pdf');
        expect(pdf.headers.get('content-disposition')).toBe(`attachment; filename="${file}"`);
        const bytes = Buffer.from(await pdf.arrayBuffer());
        expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
        expect(bytes.equals(readFileSync(join(PROJECT_ROOT, 'content', 'assets', file)))).toBe(true);
        const lead = await stack.lead(email);
        expect(lead!.interactions).toEqual([expect.objectContaining({ type: 'download', assetId, funnelStage })]);
      },
    );

    it('signs a download token bound to lead and asset that expires 24 hours after the request', async () => {
      // Prepare
      const email = uniqueEmail('dl-token');

      // Act
      const downloadUrl = await requestDownload(stack, email, 'pricing-guide');

      // Assess
      const lead = await stack.lead(email);
      const payload = tokenPayload(downloadUrl);
      expect(payload).toMatchObject({ purpose: 'download', leadId: lead!.leadId, data: { assetId: 'pricing-guide' } });
      expect(Date.parse(payload.expiresAt) - Date.parse(lead!.interactions[0].at)).toBe(24 * 3_600_000);
    });

    it('sends the download mail in the lead’s language with the asset title, signed by the sender, with the imprint', async () => {
      // Prepare
      const english = uniqueEmail('dl-en');
      const german = uniqueEmail('dl-de');

      // Act
      await stack.postJson(
        '/forms/download',
        { ...validBody('download', english), assetId: 'case-study-b2b' },
        { 'accept-language': 'en' },
      );
      await stack.postJson('/forms/download', { ...validBody('download', german), assetId: 'case-study-b2b' });
      await stack.drain();

      // Assess
      const [englishMail] = await downloadMails(stack, english);
      expect(englishMail!.subject).toBe('Your download: Case Study: Lead Qualification at a B2B Software Company');
      expect(englishMail!.text).toContain('Dana');
      const [germanMail] = await downloadMails(stack, german);
      expect(germanMail!.subject).toBe('Ihr Download: Fallstudie: Lead-Qualifizierung in einem B2B-Softwarehaus');
      for (const part of [englishMail!.text, englishMail!.html, germanMail!.text, germanMail!.html]) {
        expect(part).toContain('Erika Mustermann, Leadpipe Example GmbH');
        expect(part).toContain('Musterstraße 1');
        expect(part).not.toMatch(/Ihr Team|Your team/);
      }
    });

    it('a GET on the download link changes nothing: it can be used repeatedly and sends nothing', async () => {
      // Prepare
      const email = uniqueEmail('dl-get-twice');
      const downloadUrl = await requestDownload(stack, email, 'ebook-lead-types');
      await stack.drain();
      const leadBefore = await stack.lead(email);

      // Act
      const first = await get(downloadUrl);
      const second = await get(downloadUrl);
      await stack.drain();

      // Assess
      expect(first.status).toBe(302);
      expect(second.status).toBe(302);
      expect((await fetch(second.headers.get('location')!)).status).toBe(200);
      expect(await stack.lead(email)).toEqual(leadBefore);
      expect(await stack.mailTo(email)).toHaveLength(1);
    });
  });

  describe('repeat submissions', () => {
    it('counts a double-click within 10 minutes once: one interaction, one mail', async () => {
      // Prepare
      const email = uniqueEmail('dl-double');
      const body = { ...validBody('download', email), assetId: 'case-study-b2b', utm_source: 'ads' };

      // Act
      const first = await stack.postJson('/forms/download', body);
      const second = await stack.postJson('/forms/download', body);
      await stack.drain();

      // Assess
      expect(first.status).toBe(200);
      expect(second.status).toBe(200);
      // both answers carry a working link
      const secondUrl = ((await second.json()) as { downloadUrl: string }).downloadUrl;
      expect((await get(secondUrl)).status).toBe(302);
      expect((await stack.lead(email))!.interactions).toHaveLength(1);
      expect(await downloadMails(stack, email)).toHaveLength(1);
    });

    it('gives the asset again to a repeat submission after the double-click window', async () => {
      // Prepare
      const email = uniqueEmail('dl-repeat');
      const firstUrl = await requestDownload(stack, email, 'ebook-lead-types');
      await stack.drain();

      // Act
      await stack.tick(0.2);
      const secondUrl = await requestDownload(stack, email, 'ebook-lead-types');
      await stack.drain();

      // Assess
      expect(secondUrl).not.toBe(firstUrl);
      const mails = await downloadMails(stack, email);
      expect(mails.map((mail) => linkIn(mail, '/downloads/'))).toEqual([firstUrl, secondUrl]);
      expect((await stack.lead(email))!.interactions).toEqual([
        expect.objectContaining({ type: 'download', assetId: 'ebook-lead-types' }),
        expect.objectContaining({ type: 'download', assetId: 'ebook-lead-types' }),
      ]);
      expect((await get(secondUrl)).status).toBe(302);
    });

    it('a different asset right away is a new submission, not a double-click', async () => {
      // Prepare
      const email = uniqueEmail('dl-two-assets');

      // Act
      await requestDownload(stack, email, 'ebook-lead-types');
      await requestDownload(stack, email, 'pricing-guide');
      await stack.drain();

      // Assess
      const lead = await stack.lead(email);
      expect(lead!.interactions.map((i: { assetId: string }) => i.assetId)).toEqual(['ebook-lead-types', 'pricing-guide']);
      expect(await downloadMails(stack, email)).toHaveLength(2);
    });

    it('a confirmed lead downloading gets the download mail but no further opt-in mail', async () => {
      // Prepare
      const email = uniqueEmail('dl-confirmed');
      const confirmLink = await signUpAndGetConfirmLink(stack, email);
      expect((await fetch(confirmLink, { method: 'POST', headers: { accept: 'application/json' } })).status).toBe(200);
      await stack.tick(1.1);

      // Act
      const downloadUrl = await requestDownload(stack, email, 'pricing-guide', { marketingConsent: 'on' });
      await stack.drain();

      // Assess
      expect(await optInMails(stack, email)).toHaveLength(1);
      const mails = await downloadMails(stack, email);
      expect(mails.map((mail) => linkIn(mail, '/downloads/'))).toEqual([downloadUrl]);
      expect((await stack.lead(email))!.consent.marketing).toBe('confirmed');
    });
  });

  describe('invalid download links: 400 (or 404 for an unknown asset), no redirect', () => {
    it('rejects a link for one asset used on another', async () => {
      // Prepare
      const email = uniqueEmail('dl-other-asset');
      const downloadUrl = await requestDownload(stack, email, 'ebook-lead-types');

      // Act
      const otherAsset = downloadUrl.replace('/downloads/ebook-lead-types?', '/downloads/pricing-guide?');
      const response = await get(otherAsset, BROWSER);
      const api = await get(otherAsset, { accept: 'application/json' });

      // Assess
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      const page = await response.text();
      expect(page).toContain('<h1>Dieser Link funktioniert nicht</h1>');
      expect(page).not.toContain('Invalid token');
      expect(api.status).toBe(400);
      expect(await api.json()).toEqual({ error: { code: 'invalid_token', message: 'Invalid token: not valid for this action' } });
    });

    it('answers 404 for an asset that is not in the catalogue, even with a valid token', async () => {
      // Prepare
      const email = uniqueEmail('dl-unknown');
      const downloadUrl = await requestDownload(stack, email, 'ebook-lead-types');

      // Act
      const response = await get(downloadUrl.replace('/downloads/ebook-lead-types?', '/downloads/secret-roadmap?'));

      // Assess
      expect(response.status).toBe(404);
      expect(response.headers.get('location')).toBeNull();
    });

    it.each([
      ['without a token', (url: string) => url.replace(/\?token=.*$/, ''), 'Invalid token: malformed'],
      [
        'with a tampered signature',
        (url: string) => url.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')),
        'Invalid token: signature does not match',
      ],
      ['with garbage', (url: string) => url.replace(/token=.*$/, 'token=abc'), 'Invalid token: malformed'],
    ])('rejects a link %s', async (_label, breakUrl, message) => {
      // Prepare
      const email = uniqueEmail('dl-bad');
      const downloadUrl = await requestDownload(stack, email, 'ebook-lead-types');

      // Act
      const response = await get(breakUrl(downloadUrl));

      // Assess
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
      expect(await response.json()).toEqual({ error: { code: 'invalid_token', message } });
    });

    it('rejects a confirm token used as a download token', async () => {
      // Prepare
      const email = uniqueEmail('dl-confirm-token');
      const confirmLink = await signUpAndGetConfirmLink(stack, email);

      // Act
      const response = await get(`${stack.url}/downloads/ebook-lead-types?token=${encodeURIComponent(tokenOf(confirmLink))}`);

      // Assess
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
      expect(await response.json()).toEqual({ error: { code: 'invalid_token', message: 'Invalid token: not valid for this action' } });
    });
  });

  describe('expiry (runs last: it moves the virtual clock)', () => {
    it('the link works just before 24 hours and is rejected after', async () => {
      // Prepare
      const email = uniqueEmail('dl-expiry');
      const downloadUrl = await requestDownload(stack, email, 'case-study-b2b');

      // Act
      await stack.tick(23.9);
      const justBefore = await get(downloadUrl);
      await stack.tick(0.2);
      const after = await get(downloadUrl, BROWSER);
      const api = await get(downloadUrl, { accept: 'application/json' });

      // Assess
      expect(justBefore.status).toBe(302);
      expect(after.status).toBe(400);
      expect(after.headers.get('location')).toBeNull();
      expect(await after.text()).toContain('<h1>Dieser Link ist abgelaufen</h1>');
      expect(await api.json()).toEqual({ error: { code: 'invalid_token', message: 'Invalid token: expired' } });
    });

    it('a new request after expiry gets a fresh link that works', async () => {
      // Prepare
      const email = uniqueEmail('dl-renew');
      const oldUrl = await requestDownload(stack, email, 'pricing-guide');
      await stack.tick(25);

      // Act
      const newUrl = await requestDownload(stack, email, 'pricing-guide');

      // Assess
      expect((await get(oldUrl)).status).toBe(400);
      const redirect = await get(newUrl);
      expect(redirect.status).toBe(302);
      expect((await fetch(redirect.headers.get('location')!)).headers.get('content-type')).toBe('application/pdf');
    });
  });
});
