import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, uniqueEmail, type TestStack } from '../support/test-stack';

/**
 * A real browser with JavaScript turned off submits the start page's plain HTML download form:
 * the 303 lands on the thank-you page, and the emailed link downloads the PDF.
 */
describe('plain HTML forms in headless Chromium, no JavaScript', () => {
  let stack: TestStack;
  let browser: Browser;

  beforeAll(async () => {
    stack = await startTestStack();
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('posts the download form, follows the 303 and gets the emailed link to the PDF', async () => {
    // Prepare
    const email = uniqueEmail('browser');
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${stack.url}/`);

    // Act
    await page.fill('#download input[name=email]', email);
    await page.fill('#download input[name=firstName]', 'Brigitte');
    await page.selectOption('#download select[name=assetId]', 'case-study-b2b');
    const [response] = await Promise.all([page.waitForNavigation(), page.click('#download button[type=submit]')]);
    await stack.drain();

    // Assess
    expect(response?.url()).toBe(`${stack.url}/?thanks=1`);
    expect(response?.request().redirectedFrom()?.url()).toBe(`${stack.url}/forms/download`);
    const [mail] = await stack.mailTo(email);
    expect(mail?.subject).toContain('Case Study');
    const link = /https?:\/\/\S+\/downloads\/case-study-b2b\?token=\S+/.exec(mail!.text)?.[0];
    expect(link).toBeDefined();
    const pdf = await fetch(link!);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    await context.close();
  });

  it('shows a field-error page for an invalid address, and stores nothing', async () => {
    // Prepare
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${stack.url}/`);
    // The browser's own type=email check would stop a person; a bot or an old browser would not.
    await page.$eval('#newsletter input[name=email]', (input) => input.setAttribute('type', 'text'));

    // Act
    await page.fill('#newsletter input[name=email]', 'not-an-address');
    await page.check('#newsletter input[name=marketingConsent]');
    const [response] = await Promise.all([page.waitForNavigation(), page.click('#newsletter button[type=submit]')]);

    // Assess
    expect(response?.status()).toBe(400);
    expect(await page.textContent('body')).toContain('email');
    expect(await stack.lead('not-an-address')).toBeUndefined();
    await context.close();
  });
});
