/**
 * Issue 14, "Start and CLI" item 5: a persistent `npm start` (its own SES emulator, no --ses-endpoint)
 * is killed with kill -9 and started again on the same data directory. The mail of the first run is
 * still in /_dev/mail and /_dev/mailbox, later mail joins it, and the virtual clock resumes no earlier
 * than it stood before the kill.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueEmail, type DevMail } from '../support/test-stack';
import { StackProcess, stackPort } from './stack-process';

describe('npm start after kill -9: /_dev/mail and the virtual clock survive', () => {
  let dataDir: string;
  let port: number;
  let stack: StackProcess | undefined;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'leadpipe-restart-mail-'));
    port = await stackPort();
  });
  afterAll(async () => {
    await stack?.kill9();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function start(): Promise<void> {
    stack = new StackProcess(['--data-dir', dataDir], { PORT: String(port) });
    await stack.ready();
  }

  const url = (path: string) => `http://localhost:${port}${path}`;

  async function post(path: string, body: unknown): Promise<Response> {
    return fetch(url(path), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  }

  /** Subscribes `email` and waits (drain, not sleep) until its opt-in mail is in /_dev/mail. */
  async function subscribe(email: string): Promise<DevMail> {
    expect((await post('/forms/newsletter', { email, marketingConsent: true })).status).toBe(200);
    expect((await fetch(url('/_dev/drain'), { method: 'POST' })).status).toBe(200);
    const mail = (await devMail()).find((m) => m.to.includes(email));
    expect(mail, `opt-in mail to ${email}`).toBeDefined();
    return mail!;
  }

  async function devMail(): Promise<DevMail[]> {
    const response = await fetch(url('/_dev/mail'));
    expect(response.status).toBe(200);
    return (await response.json()) as DevMail[];
  }

  async function clockNow(): Promise<number> {
    return Date.parse(((await (await fetch(url('/_dev/clock'))).json()) as { now: string }).now);
  }

  it('keeps the mail of the run before, adds new mail to it, and resumes the clock where it stood', async () => {
    await start();
    const first = uniqueEmail('before-restart');
    const firstMail = await subscribe(first);
    const tick = await post('/_dev/tick', { advanceHours: 72 });
    expect(tick.status).toBe(200);
    const tickedTo = Date.parse(((await tick.json()) as { now: string }).now);
    const beforeKill = await clockNow();
    expect(beforeKill).toBeGreaterThanOrEqual(tickedTo);
    // 72 h ahead of the wall clock: a restart that forgot the offset would be caught by every check below.
    expect(beforeKill - Date.now()).toBeGreaterThan(71 * 3_600_000);

    await stack!.kill9();
    expect(existsSync(join(dataDir, 'ses-mail.json')), 'the mail journal').toBe(true);
    await start();

    const afterRestart = await devMail();
    const kept = afterRestart.find((mail) => mail.messageId === firstMail.messageId);
    expect(kept, 'the first run’s mail after the restart').toBeDefined();
    expect(kept).toEqual(firstMail);
    const mailbox = await (await fetch(url('/_dev/mailbox'))).text();
    expect(mailbox).toContain(encodeURIComponent(firstMail.messageId));
    const page = await fetch(url(`/_dev/mailbox/${encodeURIComponent(firstMail.messageId)}`));
    expect(page.status).toBe(200);

    expect(await clockNow()).toBeGreaterThanOrEqual(beforeKill);
    const again = await post('/_dev/tick', { advanceHours: 1 });
    expect(again.status).toBe(200);
    expect(Date.parse(((await again.json()) as { now: string }).now)).toBeGreaterThanOrEqual(beforeKill + 3_600_000);

    // Mail of the new run joins the old, oldest first, each once.
    const second = uniqueEmail('after-restart');
    const secondMail = await subscribe(second);
    const all = await devMail();
    const ids = all.map((mail) => mail.messageId);
    expect(ids.indexOf(firstMail.messageId)).toBeLessThan(ids.indexOf(secondMail.messageId));
    expect(new Set(ids).size).toBe(ids.length);
  });
});
