/**
 * Issue 16's "done when", end to end on the local stack: 30 cold imported leads (no consent), 5 confirmed
 * subscribers, 1 who unsubscribed and 1 whose address bounced. `campaign preview` says 5; `campaign send` gives
 * exactly 5 mails, each with List-Unsubscribe, through the engine's local queue mirror (POST /_dev/drain waits for
 * it); a second send gives 0 more; `campaign status` says 5 sent. A cancelled campaign mails nobody.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, uniqueEmail, type DevMail, type TestStack } from '../../support/test-stack';
import { writeDiscoveryFile, runCliOn } from '../cli/cli-kit';
import { header, unsubscribeLink } from '../nurture/nurture-helpers';
import { bounceOptIn, importColdLeads, subscribe, unsubscribe, exampleCampaignCopy } from './campaign-helpers';

describe('a newsletter campaign on the local stack', () => {
  let stack: TestStack;
  let stateFile: string;
  const dir = mkdtempSync(path.join(tmpdir(), 'campaign-send-'));
  const everyone: string[] = [];
  const subscribers: string[] = [];

  beforeAll(async () => {
    stack = await startTestStack();
    stateFile = writeDiscoveryFile(dir, stack);
    everyone.push(...(await importColdLeads(stack, dir, 30, 'cold')));
    for (const locale of ['de', 'de', 'en', 'de', 'en'] as const) {
      const email = uniqueEmail(`subscriber-${locale}`);
      await subscribe(stack, email, locale);
      subscribers.push(email);
    }
    const leaving = uniqueEmail('unsubscribed');
    await subscribe(stack, leaving, 'de');
    await unsubscribe(stack, leaving);
    const bouncing = uniqueEmail('bounced');
    await subscribe(stack, bouncing, 'en');
    await bounceOptIn(stack, bouncing);
    everyone.push(...subscribers, leaving, bouncing);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const cli = (...argv: string[]) => runCliOn(stack, stateFile, argv);

  /** The campaign's mails in the SES emulator, to anyone of this test's leads. */
  async function campaignMails(subjects: string[]): Promise<DevMail[]> {
    const all = (await (await fetch(`${stack.url}/_dev/mail`)).json()) as DevMail[];
    return all.filter((mail) => subjects.includes(mail.subject) && mail.to.some((to) => everyone.includes(to)));
  }

  function folderWithId(id: string): string {
    const folder = exampleCampaignCopy(dir, id);
    // A subject of its own, so this campaign's mails are told apart from the other test's.
    writeFileSync(path.join(folder, 'de', 'subject.txt'), `Newsletter ${id}`);
    writeFileSync(path.join(folder, 'en', 'subject.txt'), `Newsletter ${id} (en)`);
    return folder;
  }

  it('previews 5, sends exactly 5 mails with List-Unsubscribe, a second send 0 more, status 5 sent', async () => {
    // Prepare
    const folder = folderWithId('2027-01-issue-16');
    const subjects = ['Newsletter 2027-01-issue-16', 'Newsletter 2027-01-issue-16 (en)'];

    // Act
    const preview = await cli('campaign', 'preview', folder);
    const sent = await cli('campaign', 'send', folder);
    await stack.drain();
    const mails = await campaignMails(subjects);
    const again = await cli('campaign', 'send', folder);
    await stack.drain();
    const mailsAfterAgain = await campaignMails(subjects);
    const status = await cli('campaign', 'status', '2027-01-issue-16');

    // Assess
    expect(preview.out).toContain('Recipients: 5 (de 3, en 2)');
    expect(sent).toMatchObject({ code: 0, err: '' });
    expect(mails.map((mail) => mail.to[0]).sort()).toEqual([...subscribers].sort());
    for (const mail of mails) {
      expect(unsubscribeLink(mail)).toMatch(new RegExp(`^${stack.url}/unsubscribe\\?token=`));
      expect(header(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    }
    expect(again.out).toContain('exists already');
    expect(mailsAfterAgain).toHaveLength(5);
    expect(status.out).toMatch(/^sent: +5$/m);
    expect(status.out).toMatch(/Status: +finished/);
  });

  it('mails nobody once a scheduled campaign is cancelled', async () => {
    // Prepare
    const folder = folderWithId('2027-02-cancelled');
    const at = new Date(stack.stack.clock.now().getTime() + 2 * 3_600_000).toISOString();
    expect((await cli('campaign', 'send', folder, '--at', at)).code).toBe(0);
    await stack.drain();

    // Act
    const cancelled = await cli('campaign', 'cancel', '2027-02-cancelled');
    await stack.tick(3);
    await stack.drain();

    // Assess
    expect(cancelled.out).toMatch(/cancelled at/);
    expect(await campaignMails(['Newsletter 2027-02-cancelled', 'Newsletter 2027-02-cancelled (en)'])).toHaveLength(0);
    expect((await cli('campaign', 'status', '2027-02-cancelled')).out).toMatch(/Status: +cancelled/);
  });
});
