/**
 * The marketing console's screenshots for `npm run screenshots` (scripts/screenshots.ts runs them):
 * CONSOLE_SHOTS are the README's (dashboard and a lead page); CONSOLE_PAGE_SHOTS show every page in German and
 * English, for a person reviewing the console (`npm run screenshots -- --review`, into a temporary folder).
 *
 * The leads come from the real forms and signals, spread over three weeks of the stack's virtual clock, once per
 * stack; every shot signs in through the console's own local login page.
 */
import type { Page } from 'playwright-core';
import { ensureConsoleBuilt } from '../local/console-static';
import type { LocalStack } from '../local/local-stack';
import { signWebhook, WEBHOOK_SIGNATURE_HEADER } from '../shared/security/webhook-signature';
import type { Shot, ShotContext } from './screenshots';

/** The lead whose page the README shows: a reader who took three offers and then asked to be called. */
export const SHOWCASE_LEAD = 'jana.vogel@nordlicht-software.example';

const seeded = new WeakMap<LocalStack, Promise<void>>();

/** The console built and the stack filled, once per stack whichever shot comes first. */
function prepare(ctx: ShotContext): Promise<void> {
  let done = seeded.get(ctx.stack);
  if (!done) {
    done = ensureConsoleBuilt().then(() => seedLeads(ctx));
    seeded.set(ctx.stack, done);
  }
  return done;
}

async function post(ctx: ShotContext, path: string, body: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${ctx.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
}

async function signal(ctx: ShotContext, body: Record<string, unknown>): Promise<void> {
  const raw = JSON.stringify(body);
  const now = Math.floor(ctx.stack.clock.now().getTime() / 1000);
  const response = await fetch(`${ctx.url}/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [WEBHOOK_SIGNATURE_HEADER]: signWebhook(raw, ctx.stack.environment.LEADPIPE_INGEST_SECRET!, now),
    },
    body: raw,
  });
  if (!response.ok) throw new Error(`signal: ${response.status} ${await response.text()}`);
}

/** A few days of leads from three sources: readers, a webinar guest, hand-raisers; one MQL accepted by sales. */
async function seedLeads(ctx: ShotContext): Promise<void> {
  const sources = ['linkedin', 'google', 'newsletter', 'xing'];
  const names = ['Lukas', 'Mia', 'Paul', 'Sophie', 'Felix', 'Lea', 'Jonas', 'Emma', 'Ben', 'Hanna', 'Elias', 'Lina'];
  for (let day = 0; day < 12; day += 1) {
    const firstName = names[day]!;
    const email = `${firstName.toLowerCase()}.${day}@kunde-${day}.example`;
    const utm = { utm_source: sources[day % sources.length], utm_campaign: 'winter-2026' };
    const assetId = ['ebook-lead-types', 'case-study-b2b', 'pricing-guide'][day % 3]!;
    await post(ctx, '/forms/download', { email, firstName, company: `Kunde ${day} GmbH`, assetId, ...utm });
    if (day % 4 === 1)
      await post(ctx, '/forms/contact', {
        email,
        firstName,
        lastName: 'Beispiel',
        company: `Kunde ${day} GmbH`,
        message: 'Bitte um Rückruf.',
        ...utm,
      });
    if (day === 5) await signal(ctx, { email, type: 'webinar_attended', id: 'lead-scoring-praxis' });
    if (day === 3) await journey(ctx);
    await ctx.stack.tick(40);
  }
  // Sales accepts one hand-raiser in the console, so the dashboard has an SQL.
  const login = await fetch(`${ctx.url}/_dev/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'sales@example.com', groups: ['sales'] }),
  });
  const { token } = (await login.json()) as { token: string };
  const decision = await fetch(`${ctx.url}/console/api/leads/${encodeURIComponent('mia.1@kunde-1.example')}/decision`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ decision: 'accept' }),
  });
  if (!decision.ok) throw new Error(`decision: ${decision.status} ${await decision.text()}`);
  await ctx.stack.drain();
}

/** The showcase lead: e-book, case study and pricing guide on three days, then the contact form (MQL). */
async function journey(ctx: ShotContext): Promise<void> {
  const lead = { email: SHOWCASE_LEAD, firstName: 'Jana', lastName: 'Vogel', company: 'Nordlicht Software GmbH' };
  await post(ctx, '/forms/download', { ...lead, assetId: 'ebook-lead-types', utm_source: 'linkedin', utm_campaign: 'winter-2026' });
  await ctx.stack.tick(26);
  await post(ctx, '/forms/download', { ...lead, assetId: 'case-study-b2b' });
  await ctx.stack.tick(30);
  await post(ctx, '/forms/download', { ...lead, assetId: 'pricing-guide' });
  await ctx.stack.tick(20);
  await post(ctx, '/forms/contact', { ...lead, jobTitle: 'Head of Marketing', message: 'Können wir nächste Woche sprechen?' });
  await ctx.stack.drain();
}

async function signIn(ctx: ShotContext, groups: string[], email = `${groups[0]}@example.com`): Promise<Page> {
  await prepare(ctx);
  const { page } = ctx;
  await page.goto(`${ctx.url}/console/`);
  await page.fill('#login-email', email);
  for (const group of ['marketing', 'sales', 'admin']) await page.setChecked(`input[name=groups][value=${group}]`, groups.includes(group));
  await page.click('form button[type=submit]');
  await page.locator('nav.sidenav').waitFor();
  return page;
}

async function dashboard(ctx: ShotContext): Promise<void> {
  const page = await signIn(ctx, ['marketing']);
  await page.locator('#kpi-mql').waitFor();
}

async function leadPage(ctx: ShotContext): Promise<void> {
  const page = await signIn(ctx, ['sales', 'marketing']);
  await page.goto(`${ctx.url}/console/#/leads/${encodeURIComponent(SHOWCASE_LEAD)}`);
  await page.locator('#timeline').waitFor();
  // The picture shows the scores and the decision buttons, not the focus ring the heading gets for screen readers.
  await page.evaluate('document.activeElement?.blur()');
}

export const CONSOLE_SHOTS: Shot[] = [
  { file: 'console-dashboard.png', take: dashboard },
  { file: 'console-lead.png', take: leadPage },
];

const PAGES: { name: string; hash: string; ready: string; groups: string[] }[] = [
  { name: 'dashboard', hash: '#/dashboard', ready: '#kpi-mql', groups: ['marketing'] },
  { name: 'leads', hash: '#/leads', ready: '#lead-list', groups: ['marketing'] },
  { name: 'lead', hash: `#/leads/${encodeURIComponent(SHOWCASE_LEAD)}`, ready: '#timeline', groups: ['admin'] },
  { name: 'emails', hash: '#/emails', ready: 'iframe.preview', groups: ['marketing'] },
  { name: 'sequences', hash: '#/sequences', ready: '#track-tofu', groups: ['marketing'] },
  { name: 'rules', hash: '#/rules', ready: '#rules', groups: ['marketing'] },
];

export const CONSOLE_PAGE_SHOTS: Shot[] = [
  {
    file: 'console-login-de.png',
    take: async (ctx) => {
      await prepare(ctx);
      await ctx.page.goto(`${ctx.url}/console/`);
      await ctx.page.locator('#login-email').waitFor();
    },
  },
  ...(['de', 'en'] as const).flatMap((lang) =>
    PAGES.map(
      (target): Shot => ({
        file: `console-${target.name}-${lang}.png`,
        browserLocale: lang === 'de' ? 'de-DE' : 'en-US',
        // Tall: the runner saves the viewport only, and a reviewer wants the whole page.
        viewport: { width: 1280, height: 2000 },
        take: async (ctx) => {
          const page = await signIn(ctx, target.groups);
          await page.goto(`${ctx.url}/console/${target.hash}`);
          await page.locator(target.ready).first().waitFor();
          if (target.name === 'rules') {
            await page.fill('#rule-engagement-downloadPoints-bofu', '60');
            await page.click('button[type=submit]');
            await page.locator('#rules-preview').waitFor();
          }
        },
      }),
    ),
  ),
];
