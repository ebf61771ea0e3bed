/**
 * Issue 11, item 2: the persistent `npm start` must not drop queued work when it dies. Real processes
 * throughout: `npm start` on a data directory of its own, killed with kill -9 (the whole process group,
 * java included) and started again on the same directory. The stream is read only when drained
 * (--stream-poll-ms 0), so the test decides what is relayed before the kill. Mail goes through a proxy to
 * the suite's SES emulator, so mail sent before a kill is still counted after it.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { storedEmails } from '../../local/ses-emulator';
import { CONSENT_REQUESTS_PER_IP_PER_HOUR } from '../../shared/capture/rate-limits';
import { uniqueEmail } from '../support/test-stack';
import { SesProxy, StackProcess, stackPort } from './stack-process';

/** 20 forms, as the issue says; fewer only if the per-IP consent limit ever drops below that. */
const FORMS = Math.min(20, CONSENT_REQUESTS_PER_IP_PER_HOUR);
const OPT_IN_RULE = 'opt-in-on-consent-request';

describe('npm start after kill -9: queued work is neither lost nor done twice', () => {
  let dataDir: string;
  let proxy: SesProxy;
  let proxyUrl: string;
  let port: number;
  let stack: StackProcess | undefined;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'leadpipe-restart-'));
    proxy = new SesProxy(inject('sesEndpoint'));
    proxyUrl = await proxy.listen();
    port = await stackPort();
  });
  afterAll(async () => {
    await stack?.kill9();
    await proxy.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function start(): Promise<void> {
    stack = new StackProcess(['--data-dir', dataDir, '--ses-endpoint', proxyUrl, '--stream-poll-ms', '0'], { PORT: String(port) });
    await stack.ready();
  }

  function url(path: string): string {
    return `http://localhost:${port}${path}`;
  }

  function postJson(path: string, body: unknown): Promise<Response> {
    return fetch(url(path), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  }

  async function postForms(label: string): Promise<string[]> {
    const emails = Array.from({ length: FORMS }, (_, n) => uniqueEmail(`${label}-${n}`));
    for (const email of emails) {
      const response = await postJson('/forms/newsletter', { email, marketingConsent: true });
      expect(response.status, `POST /forms/newsletter for ${email}`).toBe(200);
    }
    return emails;
  }

  async function drain(): Promise<void> {
    const response = await fetch(url('/_dev/drain'), { method: 'POST' });
    expect(response.status).toBe(200);
  }

  /** Every address gets exactly one opt-in mail; on a mismatch, says what the stack knows about the others. */
  async function expectOneMailEach(emails: string[]): Promise<void> {
    const counts = await optInMailCounts(emails);
    const wrong = emails.filter((email) => counts[email] !== 1);
    const diagnosis =
      wrong.length === 0
        ? ''
        : JSON.stringify({
            deadLetters: await (await fetch(url('/_dev/dead-letters'))).json(),
            leads: await Promise.all(
              wrong.map(async (email) => ({ email, mails: counts[email], lead: await (await fetch(url(`/_dev/leads/${email}`))).text() })),
            ),
            output: stack?.output.slice(-4000),
          });
    expect(counts, diagnosis).toEqual(Object.fromEntries(emails.map((email) => [email, 1])));
  }

  /** Opt-in mails per address, across every run of the stack (the suite's emulator keeps them all). */
  async function optInMailCounts(emails: string[]): Promise<Record<string, number>> {
    const all = await storedEmails(inject('sesEndpoint'));
    return Object.fromEntries(emails.map((email) => [email, all.filter((mail) => mail.destination.to.includes(email)).length]));
  }

  /** Deliveries the bus had accepted and not finished, per rule: the journal in the data directory. */
  function unfinishedDeliveries(rule: string): number {
    const dir = join(dataDir, 'event-bus', 'unfinished');
    return readdirSync(dir).filter((file) => file.endsWith(`.${rule}.json`)).length;
  }

  it(`relays ${FORMS} forms stored before a kill -9 once the stack is back: one opt-in mail each`, async () => {
    // Prepare: 20 stored leads, none relayed yet
    await start();
    const emails = await postForms('before-kill');
    // Reading them back also settles DynamoDB Local: it can lose a transaction acknowledged just before a
    // kill -9 when no request follows it (seen in 1 of 3 raw runs, never once any request followed).
    const stored = await Promise.all(emails.map(async (email) => (await fetch(url(`/_dev/leads/${email}`))).status));
    expect(stored).toEqual(emails.map(() => 200));
    expect(Object.values(await optInMailCounts(emails))).toEqual(emails.map(() => 0));

    // Act
    await stack!.kill9();
    await start();
    await drain();

    // Assess
    await expectOneMailEach(emails);
  }, 600_000);

  it(`finishes a drain that a kill -9 cut short: one opt-in mail each for ${FORMS} forms, none twice`, async () => {
    // Prepare: a new hour for the per-IP consent limit, then the forms; SES answers half of the opt-in mails
    const tick = await postJson('/_dev/tick', { advanceHours: 2 });
    expect(tick.status).toBe(200);
    const emails = await postForms('mid-drain');
    const half = Math.floor(FORMS / 2);
    proxy.holdAfterNext(half);

    // Act: drain; once half the mails are sent and the other half hang in SES, kill -9 the stack mid-drain
    const interrupted = fetch(url('/_dev/drain'), { method: 'POST' }).catch(() => 'killed');
    await proxy.heldReached(FORMS - half);
    // ...and the mails SES answered are done (recorded, their deliveries closed), so the kill cuts no send short
    for (let check = 0; check < 600 && unfinishedDeliveries(OPT_IN_RULE) > FORMS - half; check += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(unfinishedDeliveries(OPT_IN_RULE)).toBe(FORMS - half);
    const sentBeforeKill = Object.values(await optInMailCounts(emails)).reduce((sum, count) => sum + count, 0);
    await stack!.kill9();
    expect(await interrupted).toBe('killed');
    proxy.passThrough();
    await start();
    await drain();

    // Assess
    expect(sentBeforeKill).toBe(half);
    await expectOneMailEach(emails);
  }, 600_000);
});
