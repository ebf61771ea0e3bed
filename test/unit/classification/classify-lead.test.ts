import { describe, expect, it } from 'vitest';
import type { Interaction } from '../../../shared/domain/lead';
import { classifyLead, type LeadForClassification, type ScoringConfig } from '../../../shared/domain/classification';
import { NOW, TEST_RULES, aLead, anInteraction, daysAgo, withConfig } from './fixtures';

function classify(interactions: readonly Interaction[], lead: LeadForClassification = aLead(), config: ScoringConfig = TEST_RULES) {
  return classifyLead({ lead, interactions, config, now: NOW });
}

describe('classifyLead: fit', () => {
  it('gives 10 points for a business email domain, dated now', () => {
    // Prepare
    const lead = aLead({ email: 'anna.schmidt@acme-maschinenbau.de' });

    // Act
    const result = classify([], lead);

    // Assess
    expect(result.fitScore).toBe(10);
    expect(result.scoreExplanation).toEqual([{ reason: 'business email domain', points: 10, at: NOW }]);
  });

  it.each(['max@gmail.com', 'max@googlemail.com', 'max@web.de', 'max@GMX.de', 'max@gmx.net', 'max@t-online.de', 'max@icloud.com'])(
    'gives no business email points for the freemail address %s',
    (email) => {
      // Prepare
      const lead = aLead({ email });

      // Act
      const result = classify([], lead);

      // Assess
      expect(result.fitScore).toBe(0);
      expect(result.scoreExplanation).toEqual([]);
    },
  );

  it('gives no business email points for an address without a domain', () => {
    // Prepare
    const lead = aLead({ email: 'not-an-address' });

    // Act
    const result = classify([], lead);

    // Assess
    expect(result.fitScore).toBe(0);
  });

  it('gives 5 points when a company is given', () => {
    // Prepare
    const lead = aLead({ company: 'Acme GmbH' });

    // Act
    const result = classify([], lead);

    // Assess
    expect(result.fitScore).toBe(5);
    expect(result.scoreExplanation).toEqual([{ reason: 'company given', points: 5, at: NOW }]);
  });

  it('gives no company points for a blank company', () => {
    // Prepare
    const lead = aLead({ company: '   ' });

    // Act
    const result = classify([], lead);

    // Assess
    expect(result.fitScore).toBe(0);
  });

  it('uses the freemail list and points from the config', () => {
    // Prepare
    const lead = aLead({ email: 'anna@acme.de', company: 'Acme' });
    const config = withConfig({ fit: { freemailDomains: ['acme.de'], companyGivenPoints: 7 } });

    // Act
    const result = classify([], lead, config);

    // Assess
    expect(result.fitScore).toBe(7);
  });

  it('lists fit entries before engagement entries', () => {
    // Prepare
    const lead = aLead({ email: 'anna@acme.de', company: 'Acme' });
    const consent = anInteraction('consent_confirmed', { at: daysAgo(3) });

    // Act
    const result = classify([consent], lead);

    // Assess
    expect(result.scoreExplanation.map((c) => c.reason)).toEqual(['business email domain', 'company given', 'consent confirmed']);
    expect(result).toMatchObject({ fitScore: 15, engagementScore: 10, score: 25 });
  });
});

describe('classifyLead: engagement', () => {
  it('gives 10 points for a confirmed consent, once per lead', () => {
    // Prepare
    const first = anInteraction('consent_confirmed', { at: daysAgo(5) });
    const again = anInteraction('consent_confirmed', { at: daysAgo(2) });

    // Act
    const result = classify([again, first]);

    // Assess
    expect(result.engagementScore).toBe(10);
    expect(result.interactionPoints).toEqual({ [first.id]: 10, [again.id]: 0 });
    expect(result.scoreExplanation).toEqual([{ reason: 'consent confirmed', points: 10, at: first.at }]);
  });

  it.each([
    ['tofu', 15],
    ['mofu', 25],
    ['bofu', 40],
  ] as const)('gives a %s download %i points and sets that funnel stage', (stage, points) => {
    // Prepare
    const download = anInteraction('download', { assetId: 'case-study-b2b', funnelStage: stage });

    // Act
    const result = classify([download]);

    // Assess
    expect(result.engagementScore).toBe(points);
    expect(result.funnelStage).toBe(stage);
    expect(result.scoreExplanation).toEqual([{ reason: `download: case-study-b2b (${stage})`, points, at: download.at }]);
  });

  it('counts each asset once, the earliest download, whatever the array order', () => {
    // Prepare
    const earliest = anInteraction('download', { assetId: 'whitepaper-crm', funnelStage: 'tofu', at: daysAgo(10) });
    const later = anInteraction('download', { assetId: 'whitepaper-crm', funnelStage: 'tofu', at: daysAgo(2) });
    const other = anInteraction('download', { assetId: 'pricing-sheet', funnelStage: 'bofu', at: daysAgo(1) });

    // Act
    const result = classify([later, other, earliest]);

    // Assess
    expect(result.engagementScore).toBe(15 + 40);
    expect(result.interactionPoints).toEqual({ [earliest.id]: 15, [later.id]: 0, [other.id]: 40 });
    expect(result.scoreExplanation.map((c) => c.at)).toEqual([earliest.at, other.at]);
  });

  it('decides between simultaneous downloads of one asset by interaction id', () => {
    // Prepare
    const at = daysAgo(3);
    const b = anInteraction('download', { id: 'b', assetId: 'checklist', funnelStage: 'tofu', at });
    const a = anInteraction('download', { id: 'a', assetId: 'checklist', funnelStage: 'mofu', at });

    // Act
    const result = classify([b, a]);

    // Assess
    expect(result.interactionPoints).toEqual({ a: 25, b: 0 });
  });

  it('gives 30 points per attended webinar, once per webinar, and sets the funnel stage to mofu', () => {
    // Prepare
    const w42 = anInteraction('webinar_attended', { externalId: 'w-42', at: daysAgo(9) });
    const w42again = anInteraction('webinar_attended', { externalId: 'w-42', at: daysAgo(8) });
    const w43 = anInteraction('webinar_attended', { externalId: 'w-43', at: daysAgo(7) });

    // Act
    const result = classify([w43, w42again, w42]);

    // Assess
    expect(result.engagementScore).toBe(60);
    expect(result.funnelStage).toBe('mofu');
    expect(result.interactionPoints[w42again.id]).toBe(0);
    expect(result.scoreExplanation.map((c) => c.reason)).toEqual(['webinar attended: w-42', 'webinar attended: w-43']);
  });

  it('keeps a higher funnel stage when a webinar follows a bofu download', () => {
    // Prepare
    const download = anInteraction('download', { assetId: 'pricing-sheet', funnelStage: 'bofu', at: daysAgo(9) });
    const webinar = anInteraction('webinar_attended', { externalId: 'w-42', at: daysAgo(1) });

    // Act
    const result = classify([download, webinar]);

    // Assess
    expect(result.funnelStage).toBe('bofu');
  });

  it('gives 5 points per email click, once per message', () => {
    // Prepare
    const click = anInteraction('email_click', { messageId: 'ses-001', at: daysAgo(4) });
    const secondClick = anInteraction('email_click', { messageId: 'ses-001', at: daysAgo(3) });
    const otherMail = anInteraction('email_click', { messageId: 'ses-002', at: daysAgo(2) });

    // Act
    const result = classify([click, secondClick, otherMail]);

    // Assess
    expect(result.engagementScore).toBe(10);
    expect(result.interactionPoints).toEqual({ [click.id]: 5, [secondClick.id]: 0, [otherMail.id]: 5 });
    expect(result.scoreExplanation.map((c) => c.reason)).toEqual(['email click: ses-001', 'email click: ses-002']);
    expect(result.funnelStage).toBeNull();
  });

  it('records an email open with 0 points and no explanation entry', () => {
    // Prepare
    const open = anInteraction('email_open', { messageId: 'ses-001' });

    // Act
    const result = classify([open]);

    // Assess
    expect(result.interactionPoints).toEqual({ [open.id]: 0 });
    expect(result.engagementScore).toBe(0);
    expect(result.scoreExplanation).toEqual([]);
  });

  it('records a newsletter signup with 0 points as a tofu interaction', () => {
    // Prepare
    const signup = anInteraction('newsletter_signup');

    // Act
    const result = classify([signup]);

    // Assess
    expect(result.interactionPoints).toEqual({ [signup.id]: 0 });
    expect(result.funnelStage).toBe('tofu');
    expect(result.scoreExplanation).toEqual([]);
  });

  it('scores opens and signups when the config gives them points', () => {
    // Prepare
    const config = withConfig({ engagement: { emailOpenPoints: 1, newsletterSignupPoints: 3 } });
    const open = anInteraction('email_open', { messageId: 'ses-009', at: daysAgo(2) });
    const signup = anInteraction('newsletter_signup', { at: daysAgo(3) });

    // Act
    const result = classify([open, signup], aLead(), config);

    // Assess
    expect(result.scoreExplanation).toEqual([
      { reason: 'newsletter signup', points: 3, at: signup.at },
      { reason: 'email open: ses-009', points: 1, at: open.at },
    ]);
  });
});

describe('classifyLead: hand-raiser and trial', () => {
  it('makes a contact request an MQL at bofu whatever the score', () => {
    // Prepare
    const contact = anInteraction('contact', { message: 'Bitte um Rückruf' });

    // Act
    const result = classify([contact]);

    // Assess
    expect(result).toMatchObject({
      lifecycle: 'mql',
      qualification: 'qualified',
      funnelStage: 'bofu',
      score: 0,
      interactionPoints: { [contact.id]: 0 },
      scoreExplanation: [],
    });
  });

  it('uses the configured contact points', () => {
    // Prepare
    const config = withConfig({ engagement: { contactPoints: 20 } });
    const contact = anInteraction('contact');

    // Act
    const result = classify([contact], aLead(), config);

    // Assess
    expect(result.scoreExplanation).toEqual([{ reason: 'contact request', points: 20, at: contact.at }]);
  });

  it('makes a started trial a PQL at bofu without making it an MQL', () => {
    // Prepare
    const trial = anInteraction('trial_started', { externalId: 'trial-pro' });

    // Act
    const result = classify([trial]);

    // Assess
    expect(result).toMatchObject({ pql: true, funnelStage: 'bofu', lifecycle: 'warm', score: 0 });
  });

  it('uses the configured trial points, once per trial', () => {
    // Prepare
    const config = withConfig({ engagement: { trialStartedPoints: 12 } });
    const trial = anInteraction('trial_started', { externalId: 'trial-pro', at: daysAgo(3) });
    const restart = anInteraction('trial_started', { externalId: 'trial-pro', at: daysAgo(2) });

    // Act
    const result = classify([trial, restart], aLead(), config);

    // Assess
    expect(result.scoreExplanation).toEqual([{ reason: 'trial started: trial-pro', points: 12, at: trial.at }]);
  });

  it('keeps a stored PQL flag without a trial interaction', () => {
    // Prepare
    const lead = aLead({ lifecycle: 'warm', pql: true });

    // Act
    const result = classify([], lead);

    // Assess
    expect(result.pql).toBe(true);
  });
});

describe('classifyLead: lifecycle and qualification', () => {
  it('keeps a cold lead without interactions cold, unqualified, without funnel stage', () => {
    // Prepare
    const lead = aLead({ email: 'anna@acme.de', company: 'Acme' });

    // Act
    const result = classify([], lead);

    // Assess
    expect(result).toEqual({
      lifecycle: 'cold',
      qualification: 'unqualified',
      funnelStage: null,
      pql: false,
      fitScore: 15,
      engagementScore: 0,
      score: 15,
      scoreExplanation: [
        { reason: 'business email domain', points: 10, at: NOW },
        { reason: 'company given', points: 5, at: NOW },
      ],
      interactionPoints: {},
    });
  });

  it('makes a cold lead warm with its first interaction, even an unscored one', () => {
    // Prepare
    const open = anInteraction('email_open', { messageId: 'ses-001' });

    // Act
    const result = classify([open]);

    // Assess
    expect(result.lifecycle).toBe('warm');
    expect(result.qualification).toBe('unqualified');
  });

  it('qualifies at exactly the qualified threshold, not one point below', () => {
    // Prepare: 10 (business email) + 5 (company) + 25 (mofu download) = 40
    const lead = aLead({ email: 'anna@acme.de', company: 'Acme' });
    const download = anInteraction('download', { assetId: 'case-study-b2b', funnelStage: 'mofu' });
    const stricter = withConfig({ stages: { qualifiedThreshold: 41 } });

    // Act
    const atThreshold = classify([download], lead);
    const below = classify([download], lead, stricter);

    // Assess
    expect(atThreshold).toMatchObject({ score: 40, qualification: 'qualified', lifecycle: 'warm' });
    expect(below).toMatchObject({ score: 40, qualification: 'unqualified', lifecycle: 'warm' });
  });

  it('becomes an MQL at exactly the MQL threshold, not one point below', () => {
    // Prepare: 40 + 25 + 30 + 5 = 100
    const interactions = [
      anInteraction('download', { assetId: 'pricing-sheet', funnelStage: 'bofu', at: daysAgo(4) }),
      anInteraction('download', { assetId: 'case-study-b2b', funnelStage: 'mofu', at: daysAgo(3) }),
      anInteraction('webinar_attended', { externalId: 'w-42', at: daysAgo(2) }),
      anInteraction('email_click', { messageId: 'ses-001', at: daysAgo(1) }),
    ];
    const stricter = withConfig({ stages: { mqlThreshold: 101 } });

    // Act
    const atThreshold = classify(interactions);
    const below = classify(interactions, aLead(), stricter);

    // Assess
    expect(atThreshold).toMatchObject({ score: 100, lifecycle: 'mql', qualification: 'qualified' });
    expect(below).toMatchObject({ score: 100, lifecycle: 'warm', qualification: 'qualified' });
  });

  it('never moves an SQL back, even with a contact request', () => {
    // Prepare
    const lead = aLead({ lifecycle: 'sql' });
    const contact = anInteraction('contact');

    // Act
    const result = classify([contact], lead);

    // Assess
    expect(result.lifecycle).toBe('sql');
    expect(result.qualification).toBe('qualified');
  });

  it('keeps a stored MQL an MQL and qualified with a low score', () => {
    // Prepare
    const lead = aLead({ lifecycle: 'mql' });

    // Act
    const result = classify([], lead);

    // Assess
    expect(result).toMatchObject({ lifecycle: 'mql', qualification: 'qualified', score: 0 });
  });
});

describe('classifyLead: decay', () => {
  it('stops counting engagement older than decayDays, without an explanation entry', () => {
    // Prepare
    const old = anInteraction('webinar_attended', { externalId: 'w-1', at: daysAgo(180, -1) });
    const recent = anInteraction('consent_confirmed', { at: daysAgo(10) });

    // Act
    const result = classify([old, recent]);

    // Assess
    expect(result.engagementScore).toBe(10);
    expect(result.interactionPoints).toEqual({ [old.id]: 0, [recent.id]: 10 });
    expect(result.scoreExplanation.map((c) => c.reason)).toEqual(['consent confirmed']);
  });

  it('still counts an interaction exactly decayDays old', () => {
    // Prepare
    const boundary = anInteraction('webinar_attended', { externalId: 'w-1', at: daysAgo(180) });

    // Act
    const result = classify([boundary]);

    // Assess
    expect(result.interactionPoints[boundary.id]).toBe(30);
  });

  it('uses decayDays from the config', () => {
    // Prepare
    const config = withConfig({ decay: { decayDays: 30 } });
    const click = anInteraction('email_click', { messageId: 'ses-1', at: daysAgo(31) });

    // Act
    const withDefault = classify([click]);
    const withShortDecay = classify([click], aLead(), config);

    // Assess
    expect(withDefault.engagementScore).toBe(5);
    expect(withShortDecay.engagementScore).toBe(0);
  });

  it('counts a recent download of an asset whose first download has decayed', () => {
    // Prepare
    const decayed = anInteraction('download', { assetId: 'ebook', funnelStage: 'tofu', at: daysAgo(300) });
    const recent = anInteraction('download', { assetId: 'ebook', funnelStage: 'tofu', at: daysAgo(5) });

    // Act
    const result = classify([decayed, recent]);

    // Assess
    expect(result.interactionPoints).toEqual({ [decayed.id]: 0, [recent.id]: 15 });
  });

  it('keeps the funnel stage of decayed interactions', () => {
    // Prepare
    const old = anInteraction('download', { assetId: 'pricing-sheet', funnelStage: 'bofu', at: daysAgo(400) });

    // Act
    const result = classify([old]);

    // Assess
    expect(result).toMatchObject({ funnelStage: 'bofu', score: 0, lifecycle: 'warm' });
  });

  it('keeps an MQL an MQL after the engagement that made it one has decayed', () => {
    // Prepare: 140 points, all of it a year ago
    const interactions = [
      anInteraction('download', { assetId: 'pricing-sheet', funnelStage: 'bofu', at: daysAgo(370) }),
      anInteraction('download', { assetId: 'roi-calculator', funnelStage: 'bofu', at: daysAgo(369) }),
      anInteraction('webinar_attended', { externalId: 'w-7', at: daysAgo(368) }),
      anInteraction('webinar_attended', { externalId: 'w-8', at: daysAgo(367) }),
    ];
    const thenClassified = classifyLead({ lead: aLead(), interactions, config: TEST_RULES, now: daysAgo(360) });
    const lead = aLead({ lifecycle: thenClassified.lifecycle });

    // Act
    const result = classify(interactions, lead);

    // Assess
    expect(thenClassified).toMatchObject({ lifecycle: 'mql', score: 140 });
    expect(result).toMatchObject({ lifecycle: 'mql', qualification: 'qualified', score: 0 });
  });

  it('does not make a warm lead an MQL for a decayed contact request', () => {
    // Prepare
    const lead = aLead({ lifecycle: 'warm' });
    const contact = anInteraction('contact', { at: daysAgo(200) });

    // Act
    const result = classify([contact], lead);

    // Assess
    expect(result.lifecycle).toBe('warm');
  });
});

describe('classifyLead: engagementResetAt (recycled leads)', () => {
  const resetAt = daysAgo(30);

  it('gives no points to interactions at or before the reset, but to those after it', () => {
    // Prepare
    const lead = aLead({ lifecycle: 'warm', engagementResetAt: resetAt });
    const before = anInteraction('webinar_attended', { externalId: 'w-1', at: daysAgo(40) });
    const atReset = anInteraction('email_click', { messageId: 'ses-1', at: resetAt });
    const after = anInteraction('email_click', { messageId: 'ses-2', at: daysAgo(30, 1) });

    // Act
    const result = classify([before, atReset, after], lead);

    // Assess
    expect(result.interactionPoints).toEqual({ [before.id]: 0, [atReset.id]: 0, [after.id]: 5 });
    expect(result.scoreExplanation).toEqual([{ reason: 'email click: ses-2', points: 5, at: after.at }]);
  });

  it('ignores a contact request at or before the reset for the hand-raiser MQL', () => {
    // Prepare
    const lead = aLead({ lifecycle: 'warm', engagementResetAt: resetAt });
    const contact = anInteraction('contact', { at: resetAt });

    // Act
    const result = classify([contact], lead);

    // Assess
    expect(result.lifecycle).toBe('warm');
    expect(result.qualification).toBe('unqualified');
  });

  it('makes a recycled lead an MQL again with a contact request after the reset', () => {
    // Prepare
    const lead = aLead({ lifecycle: 'warm', engagementResetAt: resetAt });
    const oldContact = anInteraction('contact', { at: daysAgo(60) });
    const newContact = anInteraction('contact', { at: daysAgo(2) });

    // Act
    const result = classify([oldContact, newContact], lead);

    // Assess
    expect(result.lifecycle).toBe('mql');
  });

  it('scores an asset downloaded again after the reset', () => {
    // Prepare
    const lead = aLead({ lifecycle: 'warm', engagementResetAt: resetAt });
    const before = anInteraction('download', { assetId: 'case-study-b2b', funnelStage: 'mofu', at: daysAgo(50) });
    const after = anInteraction('download', { assetId: 'case-study-b2b', funnelStage: 'mofu', at: daysAgo(5) });

    // Act
    const result = classify([before, after], lead);

    // Assess
    expect(result.interactionPoints).toEqual({ [before.id]: 0, [after.id]: 25 });
  });

  it('keeps the funnel stage and PQL flag of interactions before the reset', () => {
    // Prepare
    const lead = aLead({ lifecycle: 'warm', engagementResetAt: resetAt });
    const trial = anInteraction('trial_started', { externalId: 'trial-pro', at: daysAgo(60) });

    // Act
    const result = classify([trial], lead);

    // Assess
    expect(result).toMatchObject({ funnelStage: 'bofu', pql: true });
  });
});

describe('classifyLead: explanation and interaction set', () => {
  it('orders engagement entries by time, then reason, whatever the input order', () => {
    // Prepare
    // (at the shared instant, id order and points order both disagree with reason order)
    const at = daysAgo(3);
    const webinar = anInteraction('webinar_attended', { externalId: 'w-42', at });
    const download = anInteraction('download', { assetId: 'pricing-sheet', funnelStage: 'bofu', at });
    const consent = anInteraction('consent_confirmed', { at: daysAgo(9) });
    const click = anInteraction('email_click', { messageId: 'ses-1', at: daysAgo(1) });

    // Act
    const result = classify([click, webinar, download, consent]);

    // Assess
    expect(result.scoreExplanation.map((c) => c.reason)).toEqual([
      'consent confirmed',
      'download: pricing-sheet (bofu)',
      'webinar attended: w-42',
      'email click: ses-1',
    ]);
  });

  it('explains exactly the score', () => {
    // Prepare
    const lead = aLead({ email: 'anna@acme.de', company: 'Acme' });
    const interactions = [
      anInteraction('consent_confirmed', { at: daysAgo(9) }),
      anInteraction('download', { assetId: 'ebook', funnelStage: 'tofu', at: daysAgo(8) }),
      anInteraction('email_open', { messageId: 'ses-1', at: daysAgo(7) }),
      anInteraction('email_click', { messageId: 'ses-1', at: daysAgo(7) }),
    ];

    // Act
    const result = classify(interactions, lead);

    // Assess
    const explained = result.scoreExplanation.reduce((sum, c) => sum + c.points, 0);
    expect(result.score).toBe(45);
    expect(explained).toBe(result.score);
    expect(result.score).toBe(result.fitScore + result.engagementScore);
  });

  it('counts a redelivered interaction (same id) once', () => {
    // Prepare
    const click = anInteraction('email_click', { messageId: 'ses-1' });
    const webinar = anInteraction('webinar_attended', { externalId: 'w-1' });

    // Act
    const result = classify([click, webinar, { ...click }, { ...webinar }]);

    // Assess
    expect(result.engagementScore).toBe(35);
    expect(result.interactionPoints).toEqual({ [click.id]: 5, [webinar.id]: 30 });
  });

  it('rejects an unparseable timestamp instead of scoring it at random', () => {
    // Prepare
    const broken = anInteraction('email_click', { id: 'broken-1', at: 'yesterday' });

    // Act
    const act = () => classify([broken]);

    // Assess
    expect(act).toThrow(/interaction broken-1 at/);
  });
});
