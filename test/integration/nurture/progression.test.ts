import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, uniqueEmail, type TestStack } from '../../support/test-stack';
import { download, hoursBetween, nurtureEmails, nurtureMails, nurtureTemplates, signUpConfirmed, tickFor } from './nurture-helpers';

/**
 * Nurture over virtual time: every `tick` advances the stack's clock, runs the nurture-dispatch schedule
 * once at the new time and drains. Scores are kept below the MQL threshold (100) with a freemail address
 * and no company: consent 10 + mofu download 25 + bofu download 30 = 65, so the lead stays warm.
 */
describe('nurture progression through the funnel stages', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('sends tofu-1 two days after signup, mofu-1 three days after the mofu download, bofu-1 two days after the bofu download', async () => {
    // Prepare: newsletter signup + double opt-in puts the lead on the tofu track
    const email = uniqueEmail('progress', 'gmail.com');
    await signUpConfirmed(stack, email);
    const tofuEntered = (await stack.lead(email))!.nurture.enteredAt as string;

    // Act + Assess: nothing before day 2, tofu-1 right after it
    await stack.tick(47);
    expect(await nurtureTemplates(stack, email)).toEqual([]);
    await stack.tick(2);
    const [tofu1] = await nurtureEmails(stack, email);
    expect(tofu1).toMatchObject({ templateId: 'tofu-1' });
    expect(hoursBetween(tofuEntered, tofu1!.sentAt)).toBeGreaterThanOrEqual(48);
    expect(hoursBetween(tofuEntered, tofu1!.sentAt)).toBeLessThan(50);

    // Act: 11 hours after tofu-1 the lead downloads the mofu case study
    await stack.tick(11);
    await download(stack, email, 'case-study-b2b');
    const mofuLead = await stack.lead(email);
    expect(mofuLead).toMatchObject({
      funnelStage: 'mofu',
      lifecycle: 'warm',
      score: 35,
      nurture: { track: 'mofu', nextStep: 0, lastSentAt: tofu1!.sentAt },
    });
    const mofuEntered = mofuLead!.nurture.enteredAt as string;

    // Assess: mofu-1 counts from the later of track entry and tofu-1, i.e. from the entry, 3 days
    await stack.tick(62); // tofu-1 + 73h: a delay counted from tofu-1 would be over, one from the entry is not
    expect(hoursBetween(tofu1!.sentAt, stack.stack.clock.now().toISOString())).toBeGreaterThan(72);
    expect(await nurtureTemplates(stack, email)).toEqual(['tofu-1']);
    await stack.tick(9); // entry + 71h
    expect(await nurtureTemplates(stack, email)).toEqual(['tofu-1']);
    await stack.tick(2); // entry + 73h
    const mofu1 = (await nurtureEmails(stack, email))[1];
    expect(mofu1).toMatchObject({ templateId: 'mofu-1' });
    expect(hoursBetween(mofuEntered, mofu1!.sentAt)).toBeGreaterThanOrEqual(72);
    expect(hoursBetween(mofuEntered, mofu1!.sentAt)).toBeLessThan(74);

    // Act: the lead downloads the bofu pricing guide 30 hours after mofu-1
    await stack.tick(30);
    await download(stack, email, 'pricing-guide');
    const bofuLead = await stack.lead(email);
    expect(bofuLead).toMatchObject({ funnelStage: 'bofu', lifecycle: 'warm', score: 65, nurture: { track: 'bofu', nextStep: 0 } });
    const bofuEntered = bofuLead!.nurture.enteredAt as string;

    // Assess: bofu-1 two days after the bofu download, nothing before
    await stack.tick(47);
    expect(await nurtureTemplates(stack, email)).toEqual(['tofu-1', 'mofu-1']);
    await stack.tick(2);
    const bofu1 = (await nurtureEmails(stack, email))[2];
    expect(bofu1).toMatchObject({ templateId: 'bofu-1' });
    expect(hoursBetween(bofuEntered, bofu1!.sentAt)).toBeGreaterThanOrEqual(48);
    expect(hoursBetween(bofuEntered, bofu1!.sentAt)).toBeLessThan(50);

    // Assess: the bofu track is done; nothing more for two weeks, and the lead is still warm
    await tickFor(stack, 24 * 14, 24 * 7);
    expect(await nurtureTemplates(stack, email)).toEqual(['tofu-1', 'mofu-1', 'bofu-1']);
    expect(await nurtureMails(stack, email)).toHaveLength(3);
    const done = await stack.lead(email);
    expect(done).toMatchObject({ lifecycle: 'warm', score: 65, nurture: { track: 'bofu', nextStep: 1 } });
    // nothing left to send: the lead is due again only for the decay review of its first scored interaction
    const firstScored = done!.interactions.find((interaction: { points: number }) => interaction.points > 0).at as string;
    expect(done!.nurture.dueAt).toBe(new Date(Date.parse(firstScored) + 180 * 24 * 3_600_000).toISOString());
  });

  it('times tofu-2 from tofu-1 when tofu-1 went out late, then stops when the tofu track is done', async () => {
    // Prepare: tofu-1 goes out late, at the first run after day 4 instead of day 2
    const email = uniqueEmail('late', 'gmail.com');
    await signUpConfirmed(stack, email);
    const entered = (await stack.lead(email))!.nurture.enteredAt as string;
    await stack.tick(100);
    const [tofu1] = await nurtureEmails(stack, email);
    expect(tofu1).toMatchObject({ templateId: 'tofu-1' });

    // Act: a run past entry + 7 days, but before tofu-1 + 5 days
    await stack.tick(80);
    expect(hoursBetween(entered, stack.stack.clock.now().toISOString())).toBeGreaterThan(7 * 24);

    // Assess: tofu-2 waits for the later of the two
    expect(await nurtureTemplates(stack, email)).toEqual(['tofu-1']);
    await stack.tick(41);
    const emails = await nurtureEmails(stack, email);
    expect(emails.map((entry) => entry.templateId)).toEqual(['tofu-1', 'tofu-2']);
    expect(hoursBetween(tofu1!.sentAt, emails[1]!.sentAt)).toBeGreaterThanOrEqual(5 * 24);
    expect(hoursBetween(tofu1!.sentAt, emails[1]!.sentAt)).toBeLessThan(5 * 24 + 2);

    // Assess: track done: no further mail for a month
    await tickFor(stack, 24 * 30, 24 * 10);
    expect(await nurtureTemplates(stack, email)).toEqual(['tofu-1', 'tofu-2']);
    expect(await nurtureMails(stack, email)).toHaveLength(2);
  });
});
