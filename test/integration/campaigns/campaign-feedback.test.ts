/**
 * The campaign figures from what happens to the mails on the stack: SES events of a campaign mail (through the
 * default bus, the forward rule and the ses-feedback function) and the one-click unsubscribe link in it.
 * Needs functions/ses-feedback.ts, shared/events/ses-events.ts and functions/unsubscribe.ts wired for campaigns.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, uniqueEmail, type DevMail, type TestStack } from '../../support/test-stack';
import { writeDiscoveryFile, runCliOn } from '../cli/cli-kit';
import { oneClickUnsubscribe, sesEvent, unsubscribeLink } from '../nurture/nurture-helpers';
import { subscribe, subscriberRow } from './campaign-helpers';

describe('campaign figures from SES events and the unsubscribe link', () => {
  let stack: TestStack;
  let stateFile: string;
  const dir = mkdtempSync(path.join(tmpdir(), 'campaign-feedback-'));

  beforeAll(async () => {
    stack = await startTestStack();
    stateFile = writeDiscoveryFile(dir, stack);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const cli = (...argv: string[]) => runCliOn(stack, stateFile, argv);

  it('counts delivered, opened, clicked and unsubscribed once per mail, and scores the click +5 once', async () => {
    // Prepare: two subscribers get the newsletter
    const reader = uniqueEmail('reader');
    const leaver = uniqueEmail('leaver');
    await subscribe(stack, reader, 'de');
    await subscribe(stack, leaver, 'en');
    expect((await cli('campaign', 'send', 'content/campaigns/2027-01-newsletter')).code).toBe(0);
    await stack.drain();
    const mailOf = async (email: string) =>
      (await stack.mailTo(email)).find(
        (mail: DevMail) => mail.subject.startsWith('Januar 2027') || mail.subject.startsWith('January 2027'),
      )!;
    const readerMail = await mailOf(reader);
    const leaverMail = await mailOf(leaver);
    const scoreBefore = (await stack.lead(reader))!.score as number;

    // Act: SES reports each event twice for the reader; the leaver unsubscribes with the one-click link, twice
    for (const type of ['delivery', 'open', 'click', 'delivery', 'open', 'click'] as const) {
      await sesEvent(stack, { type, messageId: readerMail.messageId });
    }
    await sesEvent(stack, { type: 'delivery', messageId: leaverMail.messageId });
    expect((await oneClickUnsubscribe(unsubscribeLink(leaverMail))).status).toBe(200);
    expect((await oneClickUnsubscribe(unsubscribeLink(leaverMail))).status).toBe(200);
    await stack.drain();

    // Assess
    const status = (await cli('campaign', 'status', '2027-01-newsletter')).out;
    for (const [figure, count] of Object.entries({
      sent: 2,
      delivered: 2,
      opened: 1,
      clicked: 1,
      bounced: 0,
      complained: 0,
      unsubscribed: 1,
    })) {
      expect(status).toMatch(new RegExp(`^${figure}: +${count}$`, 'm'));
    }
    expect((await stack.lead(reader))!.score).toBe(scoreBefore + 5);
    expect(await subscriberRow(stack, leaver)).toBeUndefined();
  });
});
