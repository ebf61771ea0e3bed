/**
 * `npm run screenshots`: the README's pictures, made from a real local stack (in memory, on a free port) in Debian's
 * Chromium. Each shot brings a fresh browser page to what it shows; the runner then saves the viewport (never the
 * full page, so the PNGs stay small) to docs/screenshots/<file>.
 *
 * More shots: export a `Shot[]` from another module and pass it to `takeScreenshots` (or add it to `ALL_SHOTS`).
 * `npm run screenshots -- call` takes only the shots whose file name contains "call".
 */
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { contentCatalogue } from '../shared/capture/content-catalogue';
import { freePort } from '../local/free-port';
import { launchChromium } from '../test/support/chromium';
import type { LocalStack } from '../local/local-stack';
import { CONSOLE_PAGE_SHOTS, CONSOLE_SHOTS } from './console-shots';

export const SCREENSHOT_DIR = join(fileURLToPath(new URL('..', import.meta.url)), 'docs', 'screenshots');
const DESKTOP = { width: 1280, height: 800 } as const;
/** A Thursday morning in Berlin: the expert-call page then offers Friday and the next two weeks. */
export const CLOCK_STARTS_AT = '2026-12-03T08:00:00.000Z';
/** An iPhone-sized viewport, for the shots that show how a page holds up on a phone. */
export const PHONE = { width: 390, height: 844 } as const;

export interface ShotContext {
  /** the stack's base URL, e.g. http://localhost:41234 */
  url: string;
  /** a fresh page in its own browser context (no cookies or storage from other shots) */
  page: Page;
  /** the running stack: drain() delivers every pending event and mail, tick(hours) moves the virtual clock */
  stack: LocalStack;
  /** mails the stack has sent to an address, newest last */
  mailTo(address: string): Promise<DevMail[]>;
}

export interface Shot {
  /** the PNG's file name under docs/screenshots/ */
  file: string;
  /** brings ctx.page to what the picture shows; the runner takes the screenshot afterwards */
  take(ctx: ShotContext): Promise<void>;
  /** default 1280x800 */
  viewport?: { width: number; height: number };
  /** the browser's language (its Accept-Language), default de-DE; a page's own switch (?lang=) wins over it */
  browserLocale?: string;
  /** default true; false shows what a visitor without JavaScript gets (a plain form post) */
  javaScriptEnabled?: boolean;
}

export interface DevMail {
  messageId: string;
  to: string[];
  subject: string;
  html: string;
  text: string;
}

async function mailTo(url: string, address: string): Promise<DevMail[]> {
  const all = (await (await fetch(`${url}/_dev/mail`)).json()) as DevMail[];
  return all.filter((mail) => mail.to.includes(address));
}

const optInMails = new WeakMap<LocalStack, Promise<DevMail>>();

/**
 * The opt-in mail of a newsletter sign-up made through the landing page's form, as a visitor makes it; once per stack,
 * as the stack mails an address only once an hour, and the shots that show it show the same mail.
 */
function optInMail(ctx: ShotContext): Promise<DevMail> {
  let mail = optInMails.get(ctx.stack);
  if (!mail) {
    mail = signUpForNewsletter(ctx);
    optInMails.set(ctx.stack, mail);
  }
  return mail;
}

async function signUpForNewsletter(ctx: ShotContext): Promise<DevMail> {
  const email = 'dana.schmidt@acme-gmbh.example';
  await ctx.page.goto(`${ctx.url}/?lang=de`);
  await ctx.page.fill('#newsletter-email', email);
  await ctx.page.fill('#newsletter-firstName', 'Dana');
  await ctx.page.check('#newsletter input[name=marketingConsent]');
  await ctx.page.click('#newsletter button[type=submit]');
  await ctx.page.locator('.leadpipe-success').waitFor();
  await ctx.stack.drain();
  const mail = (await ctx.mailTo(email)).at(-1);
  if (!mail) throw new Error(`no opt-in mail to ${email}`);
  return mail;
}

export const SITE_SHOTS: Shot[] = [
  {
    file: 'demo-site-de.png',
    browserLocale: 'de-DE',
    take: async ({ page, url }) => {
      await page.goto(`${url}/`);
    },
  },
  {
    file: 'thank-you-download-de.png',
    browserLocale: 'de-DE',
    javaScriptEnabled: false,
    take: async ({ page, url }) => {
      const asset = contentCatalogue[0]!;
      await page.goto(`${url}/assets/${asset.id}?lang=de`);
      await page.fill('#download-email', 'jonas.weber@acme-gmbh.example');
      await page.fill('#download-firstName', 'Jonas');
      await page.fill('#download-company', 'Acme GmbH');
      await page.click('#download button[type=submit]');
      await page.waitForURL(/\/thanks\?/);
    },
  },
  ...(['de', 'en'] as const).flatMap((locale): Shot[] =>
    [
      { suffix: '', viewport: DESKTOP },
      { suffix: '-phone', viewport: PHONE },
    ].map(({ suffix, viewport }) => ({
      file: `expert-call-${locale}${suffix}.png`,
      viewport,
      browserLocale: locale,
      take: async ({ page, url }) => {
        await page.goto(`${url}/call?lang=${locale}`);
        // A chosen time, as a visitor sees it before pressing "book"; focus stays on it, so its focus ring shows too.
        await page.locator('input[name=slot]').nth(2).focus();
        await page.keyboard.press('Space');
      },
    })),
  ),
  {
    file: 'dev-mailbox-opt-in.png',
    take: async (ctx) => {
      const mail = await optInMail(ctx);
      await ctx.page.goto(`${ctx.url}/_dev/mailbox/${encodeURIComponent(mail.messageId)}`);
    },
  },
  {
    file: 'opt-in-mail-de.png',
    viewport: { width: 800, height: 840 },
    take: async (ctx) => {
      const mail = await optInMail(ctx);
      // A blank document first: content written into one of our pages would be held to that page's CSP (no inline styles).
      await ctx.page.goto('about:blank');
      await ctx.page.setContent(mail.html, { waitUntil: 'load' });
    },
  },
];

// The console shots come last: their set-up moves the virtual clock about three weeks on.
export const ALL_SHOTS: Shot[] = [...SITE_SHOTS, ...CONSOLE_SHOTS];

export interface ScreenshotOptions {
  /** default docs/screenshots */
  dir?: string;
  /** only the shots whose file name contains this */
  filter?: string;
  /** default /usr/bin/chromium (or CHROMIUM_PATH) */
  executablePath?: string;
}

/** Starts an in-memory stack and a headless Chromium, takes each shot in order, and returns the files written. */
export async function takeScreenshots(shots: readonly Shot[], options: ScreenshotOptions = {}): Promise<string[]> {
  const dir = options.dir ?? SCREENSHOT_DIR;
  const selected = shots.filter((shot) => options.filter === undefined || shot.file.includes(options.filter));
  await mkdir(dir, { recursive: true });
  // The functions' logs are the stack's business, not the pictures': warnings and errors only, as `npm start` logs.
  // Set before the stack (and the logger with it) is loaded.
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  const { startLocalStack } = await import('../local/local-stack');
  // A fixed "now": the same days on the expert-call page and the same dates in the mails on every run.
  const stack = await startLocalStack({ port: await freePort(), inMemory: true, clockStartsAt: CLOCK_STARTS_AT });
  let browser: Browser | undefined;
  const written: string[] = [];
  try {
    browser = await launchChromium(options.executablePath);
    for (const shot of selected) {
      const context = await browser.newContext({
        viewport: shot.viewport ?? DESKTOP,
        locale: shot.browserLocale ?? 'de-DE',
        javaScriptEnabled: shot.javaScriptEnabled ?? true,
      });
      try {
        const page = await context.newPage();
        await shot.take({ url: stack.url, page, stack, mailTo: (to) => mailTo(stack.url, to) });
        const path = join(dir, shot.file);
        await page.screenshot({ path, fullPage: false });
        written.push(path);
      } finally {
        await context.close();
      }
    }
  } finally {
    await browser?.close();
    await stack.stop();
  }
  return written;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  // --review: every console page in German and English, for a person to look at, into a temporary folder (not the README's).
  const review = process.argv[2] === '--review';
  const filter = review ? process.argv[3] : process.argv[2];
  const written = await takeScreenshots(review ? CONSOLE_PAGE_SHOTS : ALL_SHOTS, {
    ...(filter ? { filter } : {}),
    ...(review ? { dir: join(tmpdir(), 'leadpipe-console-review') } : {}),
  });
  for (const path of written) console.log(path);
}
