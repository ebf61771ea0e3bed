import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkIn, startTestStack, uniqueEmail, type TestStack } from '../../support/test-stack';
import {
  download,
  hoursBetween,
  nurtureEmails,
  nurtureMails,
  nurtureTemplates,
  sesEvent,
  signUpConfirmed,
  tickFor,
} from './nurture-helpers';

/** Pairs of consecutive nurture emails closer than `hours`. */
function gapsBelow(sentAts: string[], hours: number): string[][] {
  return sentAts.slice(1).flatMap((at, index) => (hoursBetween(sentAts[index]!, at) < hours ? [[sentAts[index]!, at]] : []));
}

describe('who gets nurture mail, and how often', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  describe('frequency cap', () => {
    it('gives no second mail within 48 h when the stage moves twice right after tofu-1', async () => {
      // Prepare: tofu-1 has just gone out
      const email = uniqueEmail('cap-after-send', 'gmail.com');
      await signUpConfirmed(stack, email);
      await stack.tick(49);
      const [tofu1] = await nurtureEmails(stack, email);
      expect(tofu1).toMatchObject({ templateId: 'tofu-1' });

      // Act: mofu and bofu downloads in quick succession
      await download(stack, email, 'case-study-b2b');
      await stack.tick(0.5);
      await download(stack, email, 'pricing-guide');
      expect(await stack.lead(email)).toMatchObject({ funnelStage: 'bofu', lifecycle: 'warm', score: 65 });
      await tickFor(stack, 24 * 5, 6);

      // Assess: the mofu track was left before its first step was due; bofu-1 only after the cap
      const emails = await nurtureEmails(stack, email);
      expect(emails.map((entry) => entry.templateId)).toEqual(['tofu-1', 'bofu-1']);
      expect(hoursBetween(tofu1!.sentAt, emails[1]!.sentAt)).toBeGreaterThanOrEqual(48);
      expect(
        gapsBelow(
          emails.map((entry) => entry.sentAt),
          48,
        ),
      ).toEqual([]);
      expect(await nurtureMails(stack, email)).toHaveLength(2);
    });

    it('gives a single mail, not one per track, when the stage moves twice before the first mail', async () => {
      // Prepare
      const email = uniqueEmail('cap-before-send', 'gmail.com');
      await signUpConfirmed(stack, email);
      await stack.tick(40);

      // Act: tofu -> mofu -> bofu within an hour, eight hours before tofu-1 would have been due
      await download(stack, email, 'case-study-b2b');
      await stack.tick(1);
      await download(stack, email, 'pricing-guide');
      const bofuEntered = (await stack.lead(email))!.nurture.enteredAt as string;
      await tickFor(stack, 24 * 5, 6);

      // Assess
      const emails = await nurtureEmails(stack, email);
      expect(emails.map((entry) => entry.templateId)).toEqual(['bofu-1']);
      expect(hoursBetween(bofuEntered, emails[0]!.sentAt)).toBeGreaterThanOrEqual(48);
      expect(await nurtureMails(stack, email)).toHaveLength(1);
    });
  });

  describe('stop at MQL', () => {
    it('sends nothing more once the score reaches the MQL threshold, even with a bofu step pending', async () => {
      // Prepare: business address (fit 10) + consent 10, tofu-1 sent
      const email = uniqueEmail('mql-score');
      await signUpConfirmed(stack, email);
      await stack.tick(49);
      expect(await nurtureTemplates(stack, email)).toEqual(['tofu-1']);
      await download(stack, email, 'case-study-b2b', { company: 'Acme GmbH' }); // + company 5 + mofu 25 = 50
      await stack.tick(24);
      await download(stack, email, 'pricing-guide'); // + 30 = 80: bofu-1 due 48 h from now
      const pending = await stack.lead(email);
      expect(pending).toMatchObject({ lifecycle: 'warm', funnelStage: 'bofu', score: 80, nurture: { track: 'bofu', nextStep: 0 } });
      const bofuDue = pending!.nurture.dueAt as string;
      await stack.tick(40);

      // Act: a tofu download (+ 15) and a click in tofu-1 (+ 5) bring the score to 100
      await download(stack, email, 'ebook-lead-types');
      const [tofu1] = await nurtureEmails(stack, email);
      await sesEvent(stack, { type: 'click', messageId: tofu1!.messageId });
      expect(await stack.lead(email)).toMatchObject({ lifecycle: 'mql', score: 100 });
      await tickFor(stack, 24 * 21, 24 * 3);

      // Assess: bofu-1 was due in between, and never went out
      expect(hoursBetween(bofuDue, stack.stack.clock.now().toISOString())).toBeGreaterThan(24 * 20);
      expect(await nurtureTemplates(stack, email)).toEqual(['tofu-1']);
      expect(await nurtureMails(stack, email)).toHaveLength(1);
    });

    it('sends nothing more to a hand-raiser who became MQL through the contact form', async () => {
      // Prepare
      const email = uniqueEmail('mql-contact', 'gmail.com');
      await signUpConfirmed(stack, email);
      await stack.tick(49);
      expect(await nurtureTemplates(stack, email)).toEqual(['tofu-1']);

      // Act
      const contact = await stack.postJson('/forms/contact', {
        email,
        firstName: 'Nora',
        lastName: 'Neu',
        message: 'Bitte rufen Sie mich an.',
      });
      expect(contact.status).toBe(200);
      await stack.drain();
      await tickFor(stack, 24 * 21, 24 * 3);

      // Assess
      expect(await stack.lead(email)).toMatchObject({ lifecycle: 'mql', funnelStage: 'bofu', score: 10 });
      expect(await nurtureTemplates(stack, email)).toEqual(['tofu-1']);
      expect(await nurtureMails(stack, email)).toHaveLength(1);
    });
  });

  describe('consent', () => {
    it('sends no nurture mail over 30 days to a lead whose consent is pending or was never asked for', async () => {
      // Prepare
      const pending = uniqueEmail('consent-pending', 'gmail.com');
      const none = uniqueEmail('consent-none', 'gmail.com');
      expect((await stack.postJson('/forms/newsletter', { email: pending, marketingConsent: true, firstName: 'Paula' })).status).toBe(200);
      await download(stack, none, 'ebook-lead-types');
      expect(await stack.lead(pending)).toMatchObject({ consent: { marketing: 'pending' }, funnelStage: 'tofu', lifecycle: 'warm' });
      expect(await stack.lead(none)).toMatchObject({ consent: { marketing: 'none' }, funnelStage: 'tofu', lifecycle: 'warm' });

      // Act
      await tickFor(stack, 24 * 30, 48);

      // Assess: each got its one system mail (opt-in, download link) and nothing else. The emulator is
      // asked, not the lead: an opt-in left unconfirmed for the retention period may be deleted with its lead.
      for (const email of [pending, none]) expect(await nurtureMails(stack, email)).toEqual([]);
      const pendingMails = await stack.mailTo(pending);
      expect(pendingMails).toHaveLength(1);
      expect(pendingMails[0]!.text).toContain('/confirm?token=');
      const noneMails = await stack.mailTo(none);
      expect(noneMails).toHaveLength(1);
      expect(noneMails[0]!.text).toContain('/downloads/');
      expect(await nurtureEmails(stack, none)).toEqual([]);
    });

    it('starts nurture with the next run once a pending consent is confirmed', async () => {
      // Prepare: five days pending, past the day-2 step
      const email = uniqueEmail('consent-late', 'gmail.com');
      expect((await stack.postJson('/forms/newsletter', { email, marketingConsent: true })).status).toBe(200);
      await stack.drain();
      await tickFor(stack, 24 * 5, 24);
      expect(await nurtureTemplates(stack, email)).toEqual([]);
      const [optIn] = await stack.mailTo(email);

      // Act
      const confirmed = await fetch(linkIn(optIn!, '/confirm?token='), {
        method: 'POST',
        headers: { accept: 'text/html' },
        redirect: 'manual',
      });
      expect(confirmed.status).toBe(200);
      await stack.drain();
      expect(await nurtureTemplates(stack, email)).toEqual([]);
      await stack.tick(0.25);

      // Assess
      expect(await nurtureTemplates(stack, email)).toEqual(['tofu-1']);
    });
  });
});
