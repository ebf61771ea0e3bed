import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureConsoleBuilt } from '../../local/console-static';
import { subscribe } from '../integration/campaigns/campaign-helpers';
import { runCliOn, writeDiscoveryFile } from '../integration/cli/cli-kit';
import { raiseHand } from '../integration/sales/sales-helpers';
import { startTestStack, uniqueEmail, type TestStack } from '../support/test-stack';

/**
 * The marketing console in Debian's Chromium, signed in through its own local login page, against a local stack
 * whose leads come from the real forms. Every page the test reaches is screenshot to SCREENSHOT_DIR when it is set.
 */
describe('the marketing console in headless Chromium', () => {
  let stack: TestStack;
  let browser: Browser;
  const mql = uniqueEmail('console-mql');
  const warm = uniqueEmail('console-warm');

  beforeAll(async () => {
    await ensureConsoleBuilt();
    stack = await startTestStack();
    browser = await launchChromium();
    // A hand-raiser (contact form: MQL at once) and a reader of a mofu case study (not qualified).
    await raiseHand(stack, mql, { firstName: 'Marta', lastName: 'Quell', utm_source: 'linkedin' });
    const download = await stack.postJson('/forms/download', { email: warm, firstName: 'Werner', assetId: 'case-study-b2b' });
    expect(download.status).toBe(200);
    await stack.drain();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  /** A German browser at the console's login page, signed in with the given roles; CSP or script errors are collected. */
  async function signIn(email: string, groups: string[], locale = 'de-DE') {
    const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (message) => {
      // The browser logs every 4xx fetch itself; a CSP refusal or a script error is what must not happen.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${stack.url}/console/`);
    await page.fill('#login-email', email);
    for (const group of ['marketing', 'sales', 'admin']) {
      await page.setChecked(`input[name=groups][value=${group}]`, groups.includes(group));
    }
    await page.click('form button[type=submit]');
    await page.locator('nav.sidenav').waitFor();
    return { context, page, errors };
  }

  async function shot(page: Page, name: string) {
    if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/console-${name}.png`, fullPage: true });
  }

  async function tokenFor(email: string, groups: string[]): Promise<string> {
    const response = await stack.postJson('/_dev/login', { email, groups });
    expect(response.status).toBe(200);
    return ((await response.json()) as { token: string }).token;
  }

  it('serves the app at /console/ with its config, a CSP and cache headers', async () => {
    const index = await fetch(`${stack.url}/console/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await index.text();
    const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${stack.url}/console/${script}`);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    const config = await fetch(`${stack.url}/console/config.json`);
    expect(await config.json()).toEqual({ apiBaseUrl: '', auth: { kind: 'local', loginUrl: '/_dev/login' } });
    const bare = await fetch(`${stack.url}/console`, { redirect: 'manual' });
    expect(bare.headers.get('location')).toBe('/console/');
    expect((await fetch(`${stack.url}/console/../package.json`)).status).toBe(404);
  });

  it("the dashboard's MQL figures equal GET /console/api/funnel's", async () => {
    const { context, page, errors } = await signIn('marketing@example.com', ['marketing']);
    expect(await page.getAttribute('html', 'lang')).toBe('de');
    await page.locator('#kpi-mql').waitFor();
    const api = await fetch(`${stack.url}/console/api/funnel`, {
      headers: { authorization: `Bearer ${await tokenFor('marketing@example.com', ['marketing'])}` },
    });
    const funnel = (await api.json()) as { lifecycle: { mql: number }; daily: { mql: number }[] };
    const mqlsInRange = funnel.daily.reduce((sum, day) => sum + day.mql, 0);
    // Not a 0 = 0 comparison: the hand-raiser made above is in both.
    expect(funnel.lifecycle.mql).toBeGreaterThanOrEqual(1);
    expect(mqlsInRange).toBeGreaterThanOrEqual(1);
    expect(await page.textContent('#kpi-mql')).toBe(mqlsInRange.toLocaleString('de-DE'));
    expect(await page.textContent('td[data-lifecycle=mql]')).toBe(funnel.lifecycle.mql.toLocaleString('de-DE'));
    expect(await page.textContent('#sources')).toContain('linkedin');
    await shot(page, 'dashboard-de');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the lead list filters by lifecycle, funnel stage and exact email', async () => {
    const { context, page, errors } = await signIn('marketing@example.com', ['marketing']);
    await page.click('nav.sidenav >> text=Leads');
    const rows = page.locator('#lead-list tbody tr');
    await page.locator(`#lead-list tr[data-email="${mql}"]`).waitFor();
    expect(await rows.count()).toBe(2);

    await page.selectOption('select[name=lifecycle]', 'mql');
    await page.click('form[aria-label=Filter] button[type=submit]');
    await page.locator(`#lead-list tr[data-email="${warm}"]`).waitFor({ state: 'detached' });
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-email')))).toEqual([mql]);

    await page.selectOption('select[name=lifecycle]', '');
    await page.selectOption('select[name=funnelStage]', 'mofu');
    await page.click('form[aria-label=Filter] button[type=submit]');
    await page.locator(`#lead-list tr[data-email="${mql}"]`).waitFor({ state: 'detached' });
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-email')))).toEqual([warm]);

    await page.selectOption('select[name=funnelStage]', '');
    await page.fill('input[name=q]', warm.toUpperCase());
    await page.click('form[aria-label=Filter] button[type=submit]');
    await page.locator('[role=status]:has-text("1 Lead angezeigt")').waitFor();
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-email')))).toEqual([warm]);
    await shot(page, 'leads-filtered-de');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a lead page shows its timeline, score explanation and consent', async () => {
    const { context, page, errors } = await signIn('marketing@example.com', ['marketing']);
    await page.click('nav.sidenav >> text=Leads');
    await page.click(`#lead-list a:has-text("${mql}")`);
    await page.locator('#timeline').waitFor();
    // Focus follows navigation to the new page's heading.
    expect(await page.evaluate('document.activeElement?.id')).toBe('page-heading');
    expect(await page.textContent('h1')).toBe('Marta Quell');
    const timeline = await page.textContent('#timeline');
    expect(timeline).toContain('Kontaktanfrage');
    expect(timeline).toContain('Quelle: linkedin');
    expect(timeline).toContain('E-Mail gesendet: Eingangsbestätigung der Kontaktanfrage');
    expect(await page.textContent('#score-explanation')).toContain('geschäftliche E-Mail-Adresse');
    // Marketing may export but neither decide nor erase.
    expect(await page.locator('text=Daten exportieren (JSON)').count()).toBe(1);
    expect(await page.locator('#accept').count()).toBe(0);
    expect(await page.locator('text=Lead löschen').count()).toBe(0);
    await shot(page, 'lead-de');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a sales user sees only the leads, accepts an MQL, and the lead becomes SQL', async () => {
    const email = uniqueEmail('console-accept');
    await raiseHand(stack, email, { firstName: 'Anna', lastName: 'Annahme' });
    const { context, page, errors } = await signIn('sales@example.com', ['sales']);
    expect(await page.locator('nav.sidenav a').allTextContents()).toEqual(['Leads']);
    await page.locator('#lead-list').waitFor();
    await page.click(`#lead-list a:has-text("${email}")`);
    await page.locator('#accept').waitFor();
    expect(await page.textContent('[data-field=lifecycle]')).toBe('MQL');
    await page.click('#accept');
    await page.locator('[data-field=lifecycle]:text-is("SQL")').waitFor();
    expect(await page.textContent('#decision')).toContain('Angenommen (SQL) von sales@example.com');
    await shot(page, 'lead-accepted-de');
    await stack.drain();
    expect(await stack.lead(email)).toMatchObject({ lifecycle: 'sql', salesDecision: { decision: 'accepted', by: 'sales@example.com' } });

    // A page the role may not open says so, in words.
    await page.goto(`${stack.url}/console/#/dashboard`);
    await page.locator('h1:has-text("für Ihre Rolle nicht freigegeben")').waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('an admin erases a lead only after confirming, and a rejected token leads back to the login page', async () => {
    const email = uniqueEmail('console-erase');
    expect((await stack.postJson('/forms/download', { email, firstName: 'Erika', assetId: 'ebook-lead-types' })).status).toBe(200);
    await stack.drain();
    const { context, page, errors } = await signIn('admin@example.com', ['admin']);
    await page.goto(`${stack.url}/console/#/leads/${encodeURIComponent(email)}`);
    await page.click('button:has-text("Lead löschen")');
    expect(await stack.lead(email)).toBeDefined();
    await page.locator(`text=${email} endgültig löschen?`).waitFor();
    await page.click('fieldset.danger-zone button:has-text("Lead löschen")');
    await page.locator('#lead-list, [role=status]:has-text("Keine Leads")').first().waitFor();
    expect(await stack.lead(email)).toBeUndefined();

    await page.evaluate("sessionStorage.setItem('leadpipe.console.token', 'not-a-token')");
    await page.reload();
    await page.locator('#login-email').waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('with a Cognito config: hosted UI with a PKCE S256 challenge, the code traded with its verifier, then signed in', async () => {
    // The hosted UI and its token endpoint are played by routes on the console's own origin (its CSP allows only that).
    const domain = `${stack.url}/fake-cognito`;
    const redirectUri = `${stack.url}/console/`;
    const idToken = await tokenFor('hosted@example.com', ['marketing']);
    const context = await browser.newContext({ locale: 'de-DE' });
    const page = await context.newPage();
    let authorize: URL | undefined;
    let tokenRequest: URLSearchParams | undefined;
    await page.route(`${stack.url}/console/config.json`, (route) =>
      route.fulfill({ json: { apiBaseUrl: '', auth: { kind: 'cognito', domain, clientId: 'console-client', redirectUri } } }),
    );
    await page.route(`${domain}/oauth2/authorize?*`, (route) => {
      authorize = new URL(route.request().url());
      const back = `${redirectUri}?code=the-code&state=${encodeURIComponent(authorize.searchParams.get('state')!)}`;
      return route.fulfill({ status: 302, headers: { location: back } });
    });
    await page.route(`${domain}/oauth2/token`, (route) => {
      tokenRequest = new URLSearchParams(route.request().postData() ?? '');
      return route.fulfill({ json: { id_token: idToken, access_token: 'unused', token_type: 'Bearer', expires_in: 3600 } });
    });
    await page.goto(redirectUri);
    await page.click('button:has-text("Mit Ihrem Firmenkonto anmelden")');
    await page.locator('nav.sidenav').waitFor();

    expect(Object.fromEntries(authorize!.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: 'console-client',
      redirect_uri: redirectUri,
      scope: 'openid email profile',
      code_challenge_method: 'S256',
    });
    const verifier = tokenRequest!.get('code_verifier')!;
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
    const { createHash } = await import('node:crypto');
    expect(authorize!.searchParams.get('code_challenge')).toBe(createHash('sha256').update(verifier).digest('base64url'));
    expect(Object.fromEntries(tokenRequest!)).toMatchObject({
      grant_type: 'authorization_code',
      client_id: 'console-client',
      code: 'the-code',
      redirect_uri: redirectUri,
    });
    // The code has left the address bar, and the ID token is what the API calls carry.
    expect(page.url()).not.toContain('code=');
    expect(await page.textContent('header')).toContain('hosted@example.com');
    await context.close();
  });

  it("the campaigns page shows a sent campaign's sent figure, as campaign status reports it", async () => {
    // One confirmed subscriber, one campaign sent through the real engine (the example folder, id 2027-01-newsletter).
    await subscribe(stack, uniqueEmail('console-subscriber'), 'de');
    const stateFile = writeDiscoveryFile(mkdtempSync(path.join(tmpdir(), 'console-browser-')), stack);
    const sent = await runCliOn(stack, stateFile, ['campaign', 'send', 'content/campaigns/2027-01-newsletter']);
    expect(sent.code).toBe(0);
    await stack.drain();
    const { context, page, errors } = await signIn('marketing@example.com', ['marketing']);
    await page.click('nav.sidenav >> text=Kampagnen');
    const row = page.locator('tr[data-campaign="2027-01-newsletter"]');
    await row.waitFor();
    const api = await fetch(`${stack.url}/console/api/campaigns`, {
      headers: { authorization: `Bearer ${await tokenFor('marketing@example.com', ['marketing'])}` },
    });
    const { items } = (await api.json()) as { items: { id: string; counts: { sent: number } }[] };
    const sentFigure = items.find((item) => item.id === '2027-01-newsletter')?.counts.sent ?? 0;
    // Not a 0 = 0 comparison: the subscriber made above got the mail.
    expect(sentFigure).toBeGreaterThanOrEqual(1);
    expect(await row.locator('td[data-figure=sent]').textContent()).toBe(sentFigure.toLocaleString('de-DE'));
    expect(await row.textContent()).toContain('Gesendet');
    expect(await page.locator('th[scope=col]').allTextContents()).toContain('Beschwerden');
    await shot(page, 'campaigns-de');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a template preview renders in its sandboxed frame, in German and English', async () => {
    const { context, page, errors } = await signIn('marketing@example.com', ['marketing'], 'en-US');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.click('nav.sidenav >> text=Emails');
    const card = page.locator('article[data-template="opt-in"]');
    const frame = card.locator('iframe.preview');
    await frame.waitFor();
    expect(await frame.getAttribute('sandbox')).toBe('');
    const body = card.frameLocator('iframe.preview').locator('body');
    await card.frameLocator('iframe.preview').locator('html[lang=en]').waitFor({ state: 'attached' });
    expect(await body.textContent()).toContain('confirm');
    await card.locator('button:has-text("German")').click();
    await card.frameLocator('iframe.preview').locator('html[lang=de]').waitFor({ state: 'attached' });
    expect(await body.textContent()).toContain('bestätigen');
    await shot(page, 'emails-en');
    expect(errors).toEqual([]);
    await context.close();
  });
});
