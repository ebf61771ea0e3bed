import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { linkIn, startTestStack, uniqueEmail, type TestStack } from '../../support/test-stack';
import {
  downloadMails,
  optInMails,
  pressConfirmButton,
  signUpAndGetConfirmLink,
  startNextRateWindow,
  validBody,
} from '../capture/capture-helpers';

const BROWSER = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

/** The expired page's one form: where it posts and the token it carries. */
function renewForm(page: string): { action: string; token: string } {
  const action = /<form method="post" action="([^"]+)">/.exec(page)?.[1];
  const token = /<input type="hidden" name="token" value="([^"]+)">/.exec(page)?.[1];
  expect(action).toBeDefined();
  expect(token).toBeDefined();
  return { action: action!, token: token! };
}

function pressRenew(form: { action: string; token: string }): Promise<Response> {
  return fetch(form.action, {
    method: 'POST',
    headers: { ...BROWSER, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: form.token }).toString(),
  });
}

describe('send me a new link', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  beforeEach(() => startNextRateWindow(stack));
  afterAll(async () => {
    await stack?.stop();
  });

  it('an expired confirm link offers a new one, mailed once an hour to the lead, whose link confirms', async () => {
    // Prepare
    const email = uniqueEmail('renew-confirm');
    const oldLink = await signUpAndGetConfirmLink(stack, email);
    await stack.tick(7 * 24 + 1);

    // Act
    const expiredPage = await fetch(oldLink, { headers: BROWSER });
    const page = await expiredPage.text();
    const form = renewForm(page);
    const first = await pressRenew(form);
    await stack.drain();
    const second = await pressRenew(form);
    await stack.drain();

    // Assess
    expect(expiredPage.status).toBe(400);
    // Said once on the page itself (the <title> repeats the heading for the tab).
    const main = page.slice(page.indexOf('<main'));
    expect(main.match(/abgelaufen/g)).toHaveLength(1);
    expect(page).toContain('Neuen Link senden');
    expect(form.action).toBe(`${stack.url}/links/renew`);
    expect(first.status).toBe(200);
    expect(await first.text()).toContain('Wir haben Ihnen einen neuen Link an Ihre E-Mail-Adresse gesendet.');
    expect(second.status).toBe(429);
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(0);
    const mails = await optInMails(stack, email);
    expect(mails).toHaveLength(2);
    const newLink = linkIn(mails[1]!, '/confirm?token=');
    expect(newLink).not.toBe(oldLink);
    const confirmed = await pressConfirmButton(newLink);
    expect(confirmed.status).toBe(200);
    expect((await stack.lead(email))!.consent.marketing).toBe('confirmed');

    // Once confirmed, the old link's button says so and sends nothing.
    await stack.tick(2);
    const already = await pressRenew(form);
    await stack.drain();
    expect(already.status).toBe(200);
    expect(await already.text()).toContain('bereits bestätigt');
    expect(await optInMails(stack, email)).toHaveLength(2);
  });

  it('an expired download link offers a new one, mailed once an hour per document, whose link downloads', async () => {
    // Prepare
    const email = uniqueEmail('renew-download');
    const response = await stack.postJson('/forms/download', { ...validBody('download', email), assetId: 'pricing-guide' });
    const { downloadUrl } = (await response.json()) as { downloadUrl: string };
    await stack.drain();
    await stack.tick(25);

    // Act
    const expiredPage = await fetch(downloadUrl, { headers: BROWSER, redirect: 'manual' });
    const form = renewForm(await expiredPage.text());
    const first = await pressRenew(form);
    await stack.drain();
    const second = await pressRenew(form);
    await stack.drain();

    // Assess
    expect(expiredPage.status).toBe(400);
    expect(first.status).toBe(200);
    expect(second.status).toBe(429);
    const mails = await downloadMails(stack, email);
    expect(mails).toHaveLength(2);
    const newUrl = linkIn(mails[1]!, '/downloads/pricing-guide?token=');
    const download = await fetch(newUrl, { redirect: 'manual' });
    expect(download.status).toBe(302);
  });

  it('speaks English to an English lead: the expired page, its button and the answer', async () => {
    // Prepare
    const email = uniqueEmail('renew-en');
    const response = await stack.postJson('/forms/newsletter', { email, marketingConsent: true, locale: 'en' });
    expect(response.status).toBe(200);
    await stack.drain();
    const oldLink = linkIn((await optInMails(stack, email))[0]!, '/confirm?token=');
    await stack.tick(7 * 24 + 1);

    // Act
    const page = await (await fetch(oldLink, { headers: BROWSER })).text();
    const answer = await pressRenew(renewForm(page));
    await stack.drain();

    // Assess
    expect(page).toContain('<html lang="en">');
    expect(page).toContain('<h1>This link has expired</h1>');
    expect(page).toContain('Send me a new link');
    expect(page).not.toContain('abgelaufen');
    expect(answer.status).toBe(200);
    const text = await answer.text();
    expect(text).toContain('<html lang="en">');
    expect(text).toContain('We have sent a new link to your email address.');
    expect(await optInMails(stack, email)).toHaveLength(2);
  });

  it('an API client still gets the plain 400 for an expired link, and no button', async () => {
    const email = uniqueEmail('renew-api');
    const oldLink = await signUpAndGetConfirmLink(stack, email);
    await stack.tick(7 * 24 + 1);

    const response = await fetch(oldLink, { headers: { accept: 'application/json' } });

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: { code: 'invalid_token', message: 'Invalid token: expired' } });
  });

  it('a tampered token gets a 400 and nothing is sent', async () => {
    const email = uniqueEmail('renew-tampered');
    const oldLink = await signUpAndGetConfirmLink(stack, email);
    await stack.tick(7 * 24 + 1);
    const { action, token } = renewForm(await (await fetch(oldLink, { headers: BROWSER })).text());
    const [payload, signature] = token.split('.');
    const tampered = `${payload}.${signature!.at(0) === 'A' ? 'B' : 'A'}${signature!.slice(1)}`;

    const response = await pressRenew({ action, token: tampered });
    await stack.drain();

    expect(response.status).toBe(400);
    expect(await optInMails(stack, email)).toHaveLength(1);
  });

  it('a broken sales link says to ask marketing', async () => {
    const response = await fetch(`${stack.url}/sales/accept?token=not-a-token`, { headers: BROWSER });

    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain('Dieser Link funktioniert nicht');
    expect(page).toContain('Bitte wenden Sie sich an das Marketing');
  });
});
