import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPT_IN_ADDRESSES_PER_MAILBOX_PER_HOUR } from '../../../shared/capture/rate-limits';
import { startTestStack, type TestStack } from '../../support/test-stack';

/**
 * The error pages httpHandler makes for a person (a plain form post): each links back, to the page the form was on
 * when that page is this site's (or an allowed origin's), else to the site start; and the 429 speaks the language
 * of the page the form was on, not the browser's.
 */
describe('error pages of plain form posts', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** The hrefs of the page's links, entities undone (escapeHtml writes "=" as &#x3D;). */
  function links(page: string): Array<{ href: string; text: string }> {
    return [...page.matchAll(/<a class="button" href="([^"]*)">([^<]*)<\/a>/g)].map((match) => ({
      href: match[1]!.replaceAll('&#x3D;', '=').replaceAll('&amp;', '&'),
      text: match[2]!,
    }));
  }

  /** A mailbox whose address variants are used up for the hour, so the next variant's sign-up is refused with 429. */
  async function usedUpMailbox(): Promise<string> {
    const name = `limit-${randomUUID().slice(0, 8)}`;
    for (let n = 0; n < OPT_IN_ADDRESSES_PER_MAILBOX_PER_HOUR; n += 1) {
      const response = await stack.postJson('/forms/newsletter', { email: `${name}+${n}@acme-gmbh.example`, marketingConsent: true });
      expect(response.status).toBe(200);
    }
    return `${name}+refused@acme-gmbh.example`;
  }

  function signUp(email: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
    return stack.postForm('/forms/newsletter', { email, marketingConsent: 'on', ...fields }, headers);
  }

  it('answers a German form post from an English browser with the 429 page in German, linking back to the form page', async () => {
    // Prepare
    const refused = await usedUpMailbox();
    const formPage = `${stack.url}/?lang=de`;

    // Act
    const response = await signUp(refused, { locale: 'de', page: formPage }, { 'accept-language': 'en-US,en;q=0.9' });

    // Assess
    expect(response.status).toBe(429);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await response.text();
    expect(page).toContain('<html lang="de">');
    expect(page).toContain('<h1>Zu viele Anfragen</h1>');
    expect(page).toMatch(/Bitte versuchen Sie es in \d+ Minuten? erneut/);
    expect(page).not.toContain('Too many requests');
    expect(links(page)).toEqual([{ href: formPage, text: 'Zurück' }]);
  });

  it('follows the browser for a 429 when the form names no language, and links to the site start without a known page', async () => {
    // Prepare
    const refused = await usedUpMailbox();

    // Act
    const response = await signUp(refused, {}, { 'accept-language': 'en-GB' });

    // Assess
    expect(response.status).toBe(429);
    const page = await response.text();
    expect(page).toContain('<html lang="en">');
    expect(page).toContain('<h1>Too many requests</h1>');
    expect(links(page)).toEqual([{ href: '/', text: 'Go to the home page' }]);
  });

  it('never links back to a foreign page a form names: the 429 page then links to the site start', async () => {
    // Prepare
    const refused = await usedUpMailbox();

    // Act
    const response = await signUp(refused, { locale: 'de', page: 'https://evil.example/phish' });

    // Assess
    expect(response.status).toBe(429);
    const page = await response.text();
    expect(page).not.toContain('evil.example');
    expect(links(page)).toEqual([{ href: '/', text: 'Zur Startseite' }]);
  });

  it('links the wrong-content-type page (JSON sent as a form) back to the referring page of this site', async () => {
    // Act
    const referer = `${stack.url}/assets/some-guide?lang=en`;
    const response = await fetch(`${stack.url}/forms/newsletter`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en', referer },
      body: JSON.stringify({ email: 'json@acme-gmbh.example', marketingConsent: true }),
      redirect: 'manual',
    });

    // Assess
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain('<h1>Wrong content type</h1>');
    expect(links(page)).toEqual([{ href: referer, text: 'Back' }]);
  });

  it.each([
    ['bad percent-encoding', 'email=a%40acme-gmbh.example&marketingConsent=on&page=x&bad=%E0%A4%A', 'Anfrage nicht lesbar'],
    ['JSON sent as a form', '{"email":"a@acme-gmbh.example"}', 'Falscher Content-Type'],
  ])('links the unreadable-body page (%s) to the site start when no page of this site referred', async (_label, body, title) => {
    // Act: a referrer on a foreign site does not count
    const response = await fetch(`${stack.url}/forms/newsletter`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'de-DE', referer: 'https://evil.example/' },
      body,
      redirect: 'manual',
    });

    // Assess
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain(`<h1>${title}</h1>`);
    expect(page).not.toContain('evil.example');
    expect(links(page)).toEqual([{ href: '/', text: 'Zur Startseite' }]);
  });
});
