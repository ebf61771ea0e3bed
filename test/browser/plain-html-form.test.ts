import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, uniqueEmail, type TestStack } from '../support/test-stack';

/**
 * The demo site in Debian's Chromium, German and English, with JavaScript on (forms.js: inline success,
 * inline errors) and off (plain post, 303, the thank-you page). Every page the test reaches is screenshot
 * to SCREENSHOT_DIR when it is set, for a person to look at.
 */
const LANGUAGES = [
  {
    locale: 'de',
    acceptLanguage: 'de-DE',
    confirmText: 'bestätigen',
    emailError: 'gültige E-Mail-Adresse',
    downloadText: 'Dokument herunterladen',
    contactText: 'Werktag',
  },
  {
    locale: 'en',
    acceptLanguage: 'en-US',
    confirmText: 'confirm',
    emailError: 'valid email address',
    downloadText: 'Download the document',
    contactText: 'working day',
  },
] as const;

describe('the demo site forms in headless Chromium', () => {
  let stack: TestStack;
  let browser: Browser;

  beforeAll(async () => {
    stack = await startTestStack();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  async function open(lang: (typeof LANGUAGES)[number], javaScriptEnabled: boolean, path: string) {
    const context = await browser.newContext({ javaScriptEnabled, locale: lang.acceptLanguage, viewport: { width: 900, height: 1100 } });
    const errors: string[] = [];
    const page = await context.newPage();
    page.on('console', (message) => {
      // The browser logs every 4xx fetch; the 400 of a bad field is expected, a CSP refusal or script error is not.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) errors.push(message.text());
    });
    await page.goto(`${stack.url}${path}`);
    return { context, page, errors };
  }

  async function shot(page: Page, name: string) {
    if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/${name}.png`, fullPage: true });
  }

  async function done(context: BrowserContext, errors: string[]) {
    // A CSP violation or a script error shows up here: the page must run clean under its own policy.
    expect(errors).toEqual([]);
    await context.close();
  }

  describe.each(LANGUAGES)('$locale', (lang) => {
    it('serves the landing page in the browser language, with the right <html lang>', async () => {
      const { context, page, errors } = await open(lang, true, '/');
      expect(await page.getAttribute('html', 'lang')).toBe(lang.locale);
      expect(await page.locator('#contact input[name=phone]').count()).toBe(1);
      expect(await page.locator('a[href="/call"]').count()).toBe(1);
      await shot(page, `landing-${lang.locale}`);
      await done(context, errors);
    });

    it('JavaScript off: download posts, 303s to the thank-you page, and the link there downloads the PDF', async () => {
      const email = uniqueEmail(`browser-dl-${lang.locale}`);
      const { context, page, errors } = await open(lang, false, `/assets/case-study-b2b`);
      await page.fill('#download-email', email);
      await page.fill('#download-firstName', 'Brigitte');
      await Promise.all([page.waitForURL(/\/thanks\?/), page.click('#download button[type=submit]')]);
      await shot(page, `thanks-download-nojs-${lang.locale}`);
      expect(await page.getAttribute('html', 'lang')).toBe(lang.locale);
      const link = await page.getAttribute(`a:has-text("${lang.downloadText}")`, 'href');
      expect(link).toMatch(new RegExp(`^${stack.url}/downloads/case-study-b2b\\?token=`));
      const pdf = await fetch(link!);
      expect(pdf.headers.get('content-type')).toBe('application/pdf');
      await stack.drain();
      expect(await stack.mailTo(email)).toHaveLength(1);
      await done(context, errors);
    });

    it('JavaScript off: newsletter and contact land on their own thank-you pages', async () => {
      const { context, page, errors } = await open(lang, false, '/');
      await page.fill('#newsletter-email', uniqueEmail(`browser-nl-${lang.locale}`));
      await page.check('#newsletter-marketingConsent');
      await Promise.all([page.waitForURL(/\/thanks\?/), page.click('#newsletter button[type=submit]')]);
      expect(await page.textContent('h1')).toContain(lang.confirmText);
      await shot(page, `thanks-newsletter-nojs-${lang.locale}`);
      await page.goto(`${stack.url}/`);
      await page.fill('#contact-email', uniqueEmail(`browser-ct-${lang.locale}`));
      await page.fill('#contact-firstName', 'Kai');
      await page.fill('#contact-lastName', 'Kontakt');
      await page.fill('#contact-phone', '030 1234567');
      await page.fill('#contact-message', 'Bitte rufen Sie mich an.');
      await Promise.all([page.waitForURL(/\/thanks\?/), page.click('#contact button[type=submit]')]);
      expect(await page.textContent('main')).toContain(lang.contactText);
      await shot(page, `thanks-contact-nojs-${lang.locale}`);
      await done(context, errors);
    });

    it('JavaScript on: each form succeeds inline, without navigating, and the download link is right there', async () => {
      const { context, page, errors } = await open(lang, true, '/assets/pricing-guide');
      const start = page.url();
      await page.fill('#download-email', uniqueEmail(`browser-dljs-${lang.locale}`));
      await page.fill('#download-firstName', 'Jana');
      await page.click('#download button[type=submit]');
      const link = page.locator('.leadpipe-success a.leadpipe-download');
      await link.waitFor();
      expect(page.url()).toBe(start);
      expect(await link.getAttribute('href')).toMatch(new RegExp(`^${stack.url}/downloads/pricing-guide\\?token=`));
      await shot(page, `inline-download-${lang.locale}`);

      await page.goto(`${stack.url}/`);
      await page.fill('#newsletter-email', uniqueEmail(`browser-nljs-${lang.locale}`));
      await page.check('#newsletter-marketingConsent');
      await page.click('#newsletter button[type=submit]');
      await page.locator('.leadpipe-success').waitFor();
      expect(await page.textContent('.leadpipe-success')).toContain(lang.confirmText);
      expect(await page.isHidden('#newsletter')).toBe(true);

      await page.fill('#contact-email', uniqueEmail(`browser-ctjs-${lang.locale}`));
      await page.fill('#contact-firstName', 'Kai');
      await page.fill('#contact-lastName', 'Kontakt');
      await page.fill('#contact-message', 'Hallo');
      await page.click('#contact button[type=submit]');
      await page.locator('.leadpipe-success >> nth=1').waitFor();
      expect(await page.textContent('.leadpipe-success >> nth=1')).toContain(lang.contactText);
      await shot(page, `inline-newsletter-contact-${lang.locale}`);
      await done(context, errors);
    });

    it('JavaScript on: field errors appear next to the fields, with aria-invalid and aria-describedby, and nothing is stored', async () => {
      const { context, page, errors } = await open(lang, true, '/');
      // The browser's own checks would stop a person before the post; a bot or an old browser would not.
      await page.$eval('#contact', (form) => form.setAttribute('novalidate', ''));
      const email = 'not-an-address';
      await page.fill('#contact-email', email);
      await page.fill('#contact-phone', 'call me');
      await page.click('#contact button[type=submit]');
      await page.locator('#contact .leadpipe-error').first().waitFor();
      const invalid = await page.$$eval('#contact [aria-invalid=true]', (fields) => fields.map((f) => f.getAttribute('name')));
      expect(invalid.sort()).toEqual(['email', 'firstName', 'lastName', 'message', 'phone']);
      const describedBy = await page.getAttribute('#contact-email', 'aria-describedby');
      const message = await page.textContent(`[id="${describedBy}"]`);
      expect(message).toContain(lang.emailError);
      expect(message).not.toMatch(/must be|marketingConsent/);
      expect(await page.$eval('#contact-email', (field) => field === field.ownerDocument.activeElement)).toBe(true);
      expect(await page.isEnabled('#contact button[type=submit]')).toBe(true);
      await shot(page, `inline-errors-${lang.locale}`);
      expect(await stack.lead(email)).toBeUndefined();
      await done(context, errors);
    });

    it('JavaScript off: field errors come as a page in the visitor language, with a link back', async () => {
      const { context, page, errors } = await open(lang, false, '/');
      await page.$eval('#newsletter', (form) => form.setAttribute('novalidate', ''));
      await page.fill('#newsletter-email', 'not-an-address');
      const [response] = await Promise.all([page.waitForNavigation(), page.click('#newsletter button[type=submit]')]);
      expect(response?.status()).toBe(400);
      expect(await page.getAttribute('html', 'lang')).toBe(lang.locale);
      const text = await page.textContent('main');
      expect(text).not.toContain('marketingConsent');
      expect(await page.getAttribute('main a', 'href')).toMatch(new RegExp(`^${stack.url}/`));
      await shot(page, `errors-page-nojs-${lang.locale}`);
      await done(context, errors);
    });
  });
});
