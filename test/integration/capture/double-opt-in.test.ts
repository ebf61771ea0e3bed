import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { leadErase } from '../../../cli/commands/lead-erase';
import { signToken } from '../../../shared/security/signed-token';
import { linkIn, startTestStack, uniqueEmail, type TestStack } from '../../support/test-stack';
import { contextFor } from '../cli/cli-kit';
import {
  downloadMails,
  optInMails,
  pressConfirmButton,
  RawTable,
  signUpAndGetConfirmLink,
  startNextRateWindow,
  tokenOf,
  tokenPayload,
  validBody,
} from './capture-helpers';

const BROWSER = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

function interactionTypes(lead: Record<string, any> | undefined): string[] {
  return (lead?.interactions ?? []).map((interaction: { type: string }) => interaction.type);
}

function decodeHtmlAttribute(value: string): string {
  return value
    .replace(/&#x([0-9a-f]+);/gi, (_entity, hex: string) => String.fromCodePoint(Number.parseInt(hex, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Replaces one character of the signature part so the HMAC no longer matches. */
function withTamperedSignature(link: string): string {
  const url = new URL(link);
  const [payload, signature] = tokenOf(link).split('.');
  const flipped = `${signature!.slice(0, -2)}${signature!.at(-2) === 'A' ? 'B' : 'A'}${signature!.at(-1)}`;
  url.searchParams.set('token', `${payload}.${flipped}`);
  return url.toString();
}

/** Re-encodes the payload with other data but keeps the old signature. */
function withTamperedPayload(link: string, change: (payload: Record<string, any>) => void): string {
  const url = new URL(link);
  const [, signature] = tokenOf(link).split('.');
  const payload = tokenPayload(link);
  change(payload);
  url.searchParams.set('token', `${Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url')}.${signature}`);
  return url.toString();
}

describe('double opt-in', () => {
  let stack: TestStack;
  let table: RawTable;
  beforeAll(async () => {
    stack = await startTestStack();
    table = new RawTable(stack);
  });
  // This file makes more consent requests from 127.0.0.1 than the per-IP limit admits in an hour: each test gets its own window.
  beforeEach(() => startNextRateWindow(stack));
  afterAll(async () => {
    table?.destroy();
    await stack?.stop();
  });

  describe('the opt-in mail', () => {
    it('is sent once, after a drain, with a confirm link on the public URL bound to the lead and valid for 7 days', async () => {
      // Prepare
      const email = uniqueEmail('doi-mail');

      // Act
      const confirmLink = await signUpAndGetConfirmLink(stack, email);

      // Assess
      expect(confirmLink.startsWith(`${stack.url}/confirm?token=`)).toBe(true);
      const lead = await stack.lead(email);
      const payload = tokenPayload(confirmLink);
      expect(payload).toMatchObject({ purpose: 'confirm', leadId: lead!.leadId });
      // the event that sends the mail carries the signup time at EventBridge's one-second precision
      const validFor = Date.parse(payload.expiresAt) - Date.parse(lead!.interactions[0].at);
      expect(validFor).toBeGreaterThan(7 * 24 * 3_600_000 - 1000);
      expect(validFor).toBeLessThanOrEqual(7 * 24 * 3_600_000);
      expect(lead!.emails).toEqual([expect.objectContaining({ templateId: 'opt-in', category: 'system' })]);
    });

    it('is not sent for a submission without marketing consent', async () => {
      // Prepare
      const email = uniqueEmail('doi-none');

      // Act
      await stack.postJson('/forms/contact', validBody('contact', email));
      await stack.postJson('/forms/download', { ...validBody('download', email), marketingConsent: false });
      await stack.drain();

      // Assess
      expect((await stack.lead(email))!.consent).toEqual({ marketing: 'none' });
      expect(await optInMails(stack, email)).toEqual([]);
      expect(await downloadMails(stack, email)).toHaveLength(1);
    });
  });

  describe('GET /confirm', () => {
    it('shows a page whose button POSTs to the same link, and changes nothing', async () => {
      // Prepare
      const email = uniqueEmail('doi-get');
      const confirmLink = await signUpAndGetConfirmLink(stack, email);
      const before = await table.partition((await stack.lead(email))!.leadId);

      // Act
      const first = await fetch(confirmLink, { headers: BROWSER });
      const second = await fetch(confirmLink, { headers: BROWSER });
      await stack.drain();

      // Assess
      for (const response of [first, second]) {
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toMatch(/^text\/html/);
        expect(response.headers.get('cache-control')).toBe('no-store');
      }
      const page = await first.text();
      const form = /<form method="post" action="([^"]+)">/.exec(page);
      expect(form).not.toBeNull();
      expect(decodeHtmlAttribute(form![1]!)).toBe(confirmLink);
      expect(page).toMatch(/<button type="submit">Jetzt bestätigen<\/button>/);
      const lead = await stack.lead(email);
      expect(lead!.consent).toEqual({ marketing: 'pending' });
      expect(interactionTypes(lead)).toEqual(['newsletter_signup']);
      expect(await table.partition(lead!.leadId)).toEqual(before);
      expect(await stack.mailTo(email)).toHaveLength(1);
    });

    it('shows the page in the language of the lead', async () => {
      // Prepare
      const email = uniqueEmail('doi-get-en');
      const confirmLink = await signUpAndGetConfirmLink(stack, email, { 'accept-language': 'en' });

      // Act
      const response = await fetch(confirmLink, { headers: { ...BROWSER, 'accept-language': 'de' } });

      // Assess
      const page = await response.text();
      expect(page).toContain('<html lang="en">');
      expect(page).toMatch(/<button type="submit">Confirm now<\/button>/);
    });

    it('does not reflect extra query parameters into the page as markup', async () => {
      // Prepare
      const email = uniqueEmail('doi-xss');
      const confirmLink = await signUpAndGetConfirmLink(stack, email);

      // Act
      const response = await fetch(`${confirmLink}&x=%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E`, { headers: BROWSER });

      // Assess
      expect(response.status).toBe(200);
      const page = await response.text();
      expect(page).not.toMatch(/<script/i);
      expect(page).not.toContain('"><');
      expect(page).toMatch(/<form method="post" action="[^"<>]*%3Cscript%3E[^"<>]*">/);
    });
  });

  describe('POST /confirm', () => {
    it('confirms the consent, records consent_confirmed and says so; a second POST says already confirmed', async () => {
      // Prepare
      const email = uniqueEmail('doi-post');
      const confirmLink = await signUpAndGetConfirmLink(stack, email);

      // Act
      const first = await pressConfirmButton(confirmLink);
      const second = await pressConfirmButton(confirmLink);
      await stack.drain();

      // Assess
      expect(first.status).toBe(200);
      expect(first.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await first.text()).toContain('Vielen Dank! Ihre Anmeldung ist bestätigt.');
      expect(second.status).toBe(200);
      expect(await second.text()).toContain('Ihre Anmeldung war bereits bestätigt.');
      const lead = await stack.lead(email);
      expect(lead!.consent).toEqual({ marketing: 'confirmed', confirmedAt: expect.any(String) });
      expect(Date.parse(lead!.consent.confirmedAt)).toBeGreaterThanOrEqual(Date.parse(lead!.interactions[0].at));
      expect(interactionTypes(lead)).toEqual(['newsletter_signup', 'consent_confirmed']);
      expect(await stack.mailTo(email)).toHaveLength(1);
    });

    it('answers JSON to an API client', async () => {
      // Prepare
      const email = uniqueEmail('doi-json');
      const confirmLink = await signUpAndGetConfirmLink(stack, email);

      // Act
      const first = await fetch(confirmLink, { method: 'POST', headers: { accept: 'application/json' } });
      const second = await fetch(confirmLink, { method: 'POST', headers: { accept: 'application/json' } });

      // Assess
      expect(first.status).toBe(200);
      expect(await first.json()).toEqual({ status: 'confirmed' });
      expect(await second.json()).toEqual({ status: 'already_confirmed' });
    });

    it('counts two simultaneous confirmations once', async () => {
      // Prepare
      const email = uniqueEmail('doi-race');
      const confirmLink = await signUpAndGetConfirmLink(stack, email);

      // Act
      const responses = await Promise.all([
        pressConfirmButton(confirmLink),
        pressConfirmButton(confirmLink),
        pressConfirmButton(confirmLink),
      ]);
      await stack.drain();

      // Assess
      expect(responses.map((response) => response.status)).toEqual([200, 200, 200]);
      const lead = await stack.lead(email);
      expect(lead!.consent.marketing).toBe('confirmed');
      expect(interactionTypes(lead).filter((type) => type === 'consent_confirmed')).toHaveLength(1);
    });

    it('confirms in English for an English lead', async () => {
      // Prepare
      const email = uniqueEmail('doi-post-en');
      const confirmLink = await signUpAndGetConfirmLink(stack, email, { 'accept-language': 'en-US' });

      // Act
      const response = await pressConfirmButton(confirmLink);

      // Assess
      expect(await response.text()).toContain('Thank you! Your subscription is confirmed.');
    });
  });

  describe('invalid confirm links: a clear 400 page, nothing changes', () => {
    async function expectStillPending(email: string, leadId: string, itemsBefore: Record<string, any>[]): Promise<void> {
      await stack.drain();
      const lead = await stack.lead(email);
      expect(lead!.consent).toEqual({ marketing: 'pending' });
      expect(interactionTypes(lead)).not.toContain('consent_confirmed');
      expect(await table.partition(leadId)).toEqual(itemsBefore);
    }

    it.each([
      ['a tampered signature', withTamperedSignature, /signature does not match/],
      [
        'a payload re-encoded with a later expiry',
        (link: string) => withTamperedPayload(link, (p) => (p.expiresAt = '2099-01-01T00:00:00.000Z')),
        /signature does not match/,
      ],
      [
        'a payload re-encoded for another lead',
        (link: string) => withTamperedPayload(link, (p) => (p.leadId = `${p.leadId}x`)),
        /signature does not match/,
      ],
      ['a truncated token', (link: string) => link.slice(0, -10), /signature does not match|malformed/],
      ['a token without a signature', (link: string) => link.replace(/\.[^.]*$/, ''), /malformed/],
      ['no token at all', (link: string) => link.replace(/\?token=.*$/, ''), /malformed/],
      ['garbage', (link: string) => link.replace(/token=.*$/, 'token=%3Cscript%3Ealert(1)%3C%2Fscript%3E'), /malformed/],
    ])('%s → 400 for GET and POST', async (_label, breakLink, reason) => {
      // Prepare
      const email = uniqueEmail('doi-bad');
      const confirmLink = await signUpAndGetConfirmLink(stack, email);
      const leadId = (await stack.lead(email))!.leadId as string;
      const before = await table.partition(leadId);
      const badLink = breakLink(confirmLink);

      // Act
      const get = await fetch(badLink, { headers: BROWSER });
      const post = await pressConfirmButton(badLink);
      const api = await fetch(badLink, { method: 'POST', headers: { accept: 'application/json' } });

      // Assess
      for (const response of [get, post]) {
        expect(response.status).toBe(400);
        expect(response.headers.get('content-type')).toMatch(/^text\/html/);
        const page = await response.text();
        // a person reads that the link does not work, once, in the page's language, without the technical reason
        expect(page).toContain('<html lang="de">');
        expect(page.match(/Dieser Link funktioniert nicht/g)).toHaveLength(2); // <title> and <h1>
        expect(page).not.toMatch(/Invalid token|signature|malformed/);
        expect(page).not.toMatch(/<script/i);
        expect(page).not.toMatch(/<form/);
      }
      // an API client still learns the reason
      expect(api.status).toBe(400);
      const { error } = (await api.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe('invalid_token');
      expect(error.message).toMatch(reason);
      await expectStillPending(email, leadId, before);
      // the real link still works: the bad one really was the only difference
      expect((await pressConfirmButton(confirmLink)).status).toBe(200);
    });

    it('answers a JSON client with the invalid_token error body', async () => {
      // Prepare
      const email = uniqueEmail('doi-bad-json');
      const confirmLink = await signUpAndGetConfirmLink(stack, email);

      // Act
      const response = await fetch(withTamperedSignature(confirmLink), { method: 'POST', headers: { accept: 'application/json' } });

      // Assess
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error: { code: 'invalid_token', message: 'Invalid token: signature does not match' } });
    });

    it('rejects a download token used on /confirm as not valid for this action', async () => {
      // Prepare
      const email = uniqueEmail('doi-purpose');
      await stack.postJson('/forms/newsletter', { email, marketingConsent: true });
      const download = await stack.postJson('/forms/download', { ...validBody('download', email), marketingConsent: true });
      const { downloadUrl } = (await download.json()) as { downloadUrl: string };
      await stack.drain();
      const leadId = (await stack.lead(email))!.leadId as string;
      const before = await table.partition(leadId);
      const wrongPurposeLink = `${stack.url}/confirm?token=${encodeURIComponent(tokenOf(downloadUrl))}`;

      // Act
      const get = await fetch(wrongPurposeLink, { headers: BROWSER });
      const post = await pressConfirmButton(wrongPurposeLink);
      const api = await fetch(wrongPurposeLink, { method: 'POST', headers: { accept: 'application/json' } });

      // Assess
      for (const response of [get, post]) {
        expect(response.status).toBe(400);
        expect(await response.text()).toContain('<h1>Dieser Link funktioniert nicht</h1>');
      }
      expect(await api.json()).toEqual({ error: { code: 'invalid_token', message: 'Invalid token: not valid for this action' } });
      await expectStillPending(email, leadId, before);
    });
  });

  describe('the per-address opt-in mail limit', () => {
    it('sends one opt-in mail for three signups with different attribution within the hour, and another after the hour', async () => {
      // Prepare
      const email = uniqueEmail('doi-limit');

      // Act
      for (const utm_source of ['linkedin', 'xing', 'google']) {
        expect((await stack.postJson('/forms/newsletter', { email, marketingConsent: true, utm_source })).status).toBe(200);
        await stack.drain();
      }
      const withinTheHour = await optInMails(stack, email);
      await stack.tick(1.1);
      await stack.postJson('/forms/newsletter', { email, marketingConsent: true, utm_source: 'bing' });
      await stack.drain();

      // Assess
      expect(withinTheHour).toHaveLength(1);
      const lead = await stack.lead(email);
      expect(interactionTypes(lead)).toEqual(['newsletter_signup', 'newsletter_signup', 'newsletter_signup', 'newsletter_signup']);
      expect(await optInMails(stack, email)).toHaveLength(2);
    });

    it('measures the hour from the last mail sent, also for posts spread across the hour', async () => {
      // Prepare
      const email = uniqueEmail('doi-limit-edge');
      await stack.postJson('/forms/newsletter', { email, marketingConsent: true, page: '/a' });
      await stack.drain();

      // Act
      await stack.tick(0.5);
      await stack.postJson('/forms/download', { ...validBody('download', email), marketingConsent: true });
      await stack.tick(0.45);
      await stack.postJson('/forms/newsletter', { email, marketingConsent: true, page: '/c' });
      await stack.drain();
      const afterFiftySevenMinutes = await optInMails(stack, email);
      await stack.tick(0.1);
      await stack.postJson('/forms/newsletter', { email, marketingConsent: true, page: '/d' });
      await stack.drain();

      // Assess
      expect(afterFiftySevenMinutes).toHaveLength(1);
      expect(await optInMails(stack, email)).toHaveLength(2);
      // the download link is a system mail outside the opt-in limit
      expect(await downloadMails(stack, email)).toHaveLength(1);
    });

    it('limits per address: another address signing up at the same time gets its own mail', async () => {
      // Prepare
      const first = uniqueEmail('doi-limit-a');
      const second = uniqueEmail('doi-limit-b');

      // Act
      await stack.postJson('/forms/newsletter', { email: first, marketingConsent: true });
      await stack.postJson('/forms/newsletter', { email: second, marketingConsent: true });
      await stack.drain();

      // Assess
      expect(await optInMails(stack, first)).toHaveLength(1);
      expect(await optInMails(stack, second)).toHaveLength(1);
    });
  });

  describe('a confirmed lead', () => {
    it('gets the download mail but no second opt-in mail when it downloads with consent ticked again', async () => {
      // Prepare
      const email = uniqueEmail('doi-confirmed-dl');
      const confirmLink = await signUpAndGetConfirmLink(stack, email);
      expect((await pressConfirmButton(confirmLink)).status).toBe(200);
      // past the hourly limit, so only the confirmed state can hold the opt-in mail back
      await stack.tick(1.1);

      // Act
      const response = await stack.postJson('/forms/download', { ...validBody('download', email), marketingConsent: true });
      await stack.drain();

      // Assess
      expect(response.status).toBe(200);
      expect(await optInMails(stack, email)).toHaveLength(1);
      const mails = await downloadMails(stack, email);
      expect(mails).toHaveLength(1);
      expect(linkIn(mails[0]!, '/downloads/')).toBe(((await response.json()) as { downloadUrl: string }).downloadUrl);
      const lead = await stack.lead(email);
      expect(lead!.consent).toMatchObject({ marketing: 'confirmed' });
      expect(interactionTypes(lead)).toEqual(['newsletter_signup', 'consent_confirmed', 'download']);
    });

    it('gets no second opt-in mail when it signs up for the newsletter again', async () => {
      // Prepare
      const email = uniqueEmail('doi-confirmed-nl');
      const confirmLink = await signUpAndGetConfirmLink(stack, email);
      await pressConfirmButton(confirmLink);
      await stack.tick(1.1);

      // Act
      const response = await stack.postJson('/forms/newsletter', { email, marketingConsent: true, utm_source: 'again' });
      await stack.drain();

      // Assess
      expect(response.status).toBe(200);
      expect(await optInMails(stack, email)).toHaveLength(1);
      expect((await stack.lead(email))!.consent.marketing).toBe('confirmed');
    });
  });

  describe('a confirm link is bound to its consent request', () => {
    /** What an RFC 8058 mail client sends to the lead's unsubscribe link (minted as the nurture mail's would be). */
    async function unsubscribe(email: string): Promise<void> {
      const leadId = (await stack.lead(email))!.leadId as string;
      const token = signToken({ purpose: 'unsubscribe', leadId }, stack.stack.environment.LEADPIPE_SIGNING_KEY!);
      const response = await fetch(`${stack.url}/unsubscribe?token=${token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });
      expect(response.status).toBe(200);
    }

    it('an old link does not re-confirm a later request after an unsubscribe: it says to use the newest mail', async () => {
      // Prepare: confirmed, unsubscribed, then someone submits the address again
      const email = uniqueEmail('doi-rebind');
      const oldLink = await signUpAndGetConfirmLink(stack, email);
      expect((await pressConfirmButton(oldLink)).status).toBe(200);
      await unsubscribe(email);
      expect((await stack.postJson('/forms/newsletter', { email, marketingConsent: true, utm_source: 'someone-else' })).status).toBe(200);
      await stack.drain();
      expect((await stack.lead(email))!.consent.marketing).toBe('pending');

      // Act
      const page = await pressConfirmButton(oldLink);
      const asJson = await fetch(oldLink, { method: 'POST', headers: { accept: 'application/json' } });
      await stack.drain();

      // Assess
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Dieser Link ist veraltet. Bitte verwenden Sie den Link aus der neuesten Bestätigungs-E-Mail.');
      expect(await asJson.json()).toEqual({ status: 'outdated' });
      const lead = await stack.lead(email);
      expect(lead!.consent.marketing).toBe('pending');
      expect(interactionTypes(lead).filter((type) => type === 'consent_confirmed')).toHaveLength(1);
    });

    it(`a link from before an erasure does not confirm the re-created lead (in English for an English lead); \
the new link does`, async () => {
      // Prepare
      const email = uniqueEmail('doi-erased');
      const oldLink = await signUpAndGetConfirmLink(stack, email, { 'accept-language': 'en' });
      await leadErase(contextFor(stack).ctx, { email });
      expect((await stack.postJson('/forms/newsletter', { email, marketingConsent: true }, { 'accept-language': 'en' })).status).toBe(200);
      await stack.drain();
      const mails = await optInMails(stack, email);
      expect(mails).toHaveLength(2);
      const newLink = linkIn(mails[1]!, '/confirm?token=');

      // Act
      const old = await pressConfirmButton(oldLink);
      const afterOld = await stack.lead(email);
      const fresh = await pressConfirmButton(newLink);

      // Assess
      expect(await old.text()).toContain('This link is outdated. Please use the link in the newest confirmation email.');
      expect(afterOld!.consent.marketing).toBe('pending');
      expect(await fresh.text()).toContain('Thank you! Your subscription is confirmed.');
      expect((await stack.lead(email))!.consent.marketing).toBe('confirmed');
    });

    it('a link still confirms after the address was submitted again within the hour, when no newer mail was sent', async () => {
      // Prepare
      const email = uniqueEmail('doi-resubmit');
      const link = await signUpAndGetConfirmLink(stack, email);
      const download = { email, firstName: 'Olga', assetId: 'case-study-b2b', marketingConsent: true };
      expect((await stack.postJson('/forms/download', download)).status).toBe(200);
      await stack.drain();
      expect(await optInMails(stack, email)).toHaveLength(1);

      // Act
      const response = await pressConfirmButton(link);

      // Assess
      expect(await response.text()).toContain('Vielen Dank! Ihre Anmeldung ist bestätigt.');
      expect((await stack.lead(email))!.consent.marketing).toBe('confirmed');
    });
  });

  describe('expiry (runs last: it moves the virtual clock by a week)', () => {
    it('accepts the link just before 7 days and rejects it after, changing nothing', async () => {
      // Prepare
      const stillValid = uniqueEmail('doi-fresh');
      const expired = uniqueEmail('doi-expired');
      const stillValidLink = await signUpAndGetConfirmLink(stack, stillValid);
      const expiredLink = await signUpAndGetConfirmLink(stack, expired);
      const expiredLeadId = (await stack.lead(expired))!.leadId as string;

      // Act
      await stack.tick(7 * 24 - 1);
      const justBefore = await pressConfirmButton(stillValidLink);
      await stack.tick(2);
      const before = await table.partition(expiredLeadId);
      const get = await fetch(expiredLink, { headers: BROWSER });
      const post = await pressConfirmButton(expiredLink);
      await stack.drain();

      // Assess
      expect(justBefore.status).toBe(200);
      expect((await stack.lead(stillValid))!.consent.marketing).toBe('confirmed');
      for (const response of [get, post]) {
        expect(response.status).toBe(400);
        expect(response.headers.get('content-type')).toMatch(/^text\/html/);
        const page = await response.text();
        expect(page).toContain('<h1>Dieser Link ist abgelaufen</h1>');
        expect(page).not.toContain('Invalid token');
      }
      expect((await stack.lead(expired))!.consent).toEqual({ marketing: 'pending' });
      expect(await table.partition(expiredLeadId)).toEqual(before);
    });

    it('a new signup after expiry gets a fresh link that works', async () => {
      // Prepare
      const email = uniqueEmail('doi-renew');
      const oldLink = await signUpAndGetConfirmLink(stack, email);
      await stack.tick(7 * 24 + 1);

      // Act
      await stack.postJson('/forms/newsletter', { email, marketingConsent: true });
      await stack.drain();
      const mails = await optInMails(stack, email);
      const newLink = linkIn(mails[1]!, '/confirm?token=');
      const oldResponse = await pressConfirmButton(oldLink);
      const newResponse = await pressConfirmButton(newLink);

      // Assess
      expect(mails).toHaveLength(2);
      expect(oldResponse.status).toBe(400);
      expect(newResponse.status).toBe(200);
      expect((await stack.lead(email))!.consent.marketing).toBe('confirmed');
    });
  });
});
