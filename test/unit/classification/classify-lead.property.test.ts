import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FUNNEL_STAGES, LIFECYCLES, type Interaction } from '../../../shared/domain/lead';
import { classifyLead, defaultScoringConfig, type LeadForClassification, type ScoringConfig } from '../../../shared/domain/classification';
import { NOW, daysAgo, withConfig } from './fixtures';

// Small pools make collisions likely: same id, same asset, same webinar, same message, same instant.
const arbId = fc.integer({ min: 1, max: 12 }).map((n) => `int-${n}`);
// Few instants, on both sides of both decay windows (45 and 180 days), so that ties are common.
const arbAt = fc.constantFrom(0, 0.5, 1, 30, 44, 46, 179, 181, 365).map((days) => daysAgo(days));

const arbDetails = fc.oneof(
  fc.constant({ type: 'newsletter_signup' as const }),
  fc.constant({ type: 'consent_confirmed' as const }),
  fc.record({
    type: fc.constant('download' as const),
    assetId: fc.constantFrom('ebook-lead-gen', 'case-study-b2b', 'pricing-sheet'),
    funnelStage: fc.constantFrom(...FUNNEL_STAGES),
  }),
  fc.record({ type: fc.constant('webinar_attended' as const), externalId: fc.constantFrom('w-41', 'w-42') }),
  fc.record({ type: fc.constant('trial_started' as const), externalId: fc.constantFrom('trial-pro', 'trial-team') }),
  fc.record({ type: fc.constant('email_click' as const), messageId: fc.constantFrom('ses-1', 'ses-2', 'ses-3') }),
  fc.record({ type: fc.constant('email_open' as const), messageId: fc.constantFrom('ses-1', 'ses-2', 'ses-3') }),
  fc.record({ type: fc.constant('contact' as const), message: fc.constantFrom('Bitte um Rückruf', 'Angebot?') }),
);

const arbInteraction: fc.Arbitrary<Interaction> = fc
  .record({
    id: arbId,
    at: arbAt,
    details: arbDetails,
    attribution: fc.option(fc.record({ utm_source: fc.constantFrom('linkedin', 'google') }), { nil: undefined }),
  })
  .map(({ details, attribution, ...base }) => ({ ...base, ...details, ...(attribution ? { attribution } : {}) }));

const arbLead: fc.Arbitrary<LeadForClassification> = fc
  .record({
    email: fc.constantFrom('anna@acme-maschinenbau.de', 'max@gmail.com', 'eva@WEB.DE', 'it@mittelstand.example'),
    company: fc.option(fc.constantFrom('Acme GmbH', ''), { nil: undefined }),
    lifecycle: fc.constantFrom(...LIFECYCLES),
    pql: fc.boolean(),
    engagementResetAt: fc.option(arbAt, { nil: undefined }),
  })
  .map(({ company, engagementResetAt, ...lead }) => ({
    ...lead,
    ...(company === undefined ? {} : { company }),
    ...(engagementResetAt === undefined ? {} : { engagementResetAt }),
  }));

const arbConfig: fc.Arbitrary<ScoringConfig> = fc.constantFrom(
  defaultScoringConfig,
  withConfig({
    engagement: { emailOpenPoints: 1, newsletterSignupPoints: 3, contactPoints: 20, trialStartedPoints: 15 },
    stages: { qualifiedThreshold: 20, mqlThreshold: 60 },
    decay: { decayDays: 45 },
  }),
);

/** The same set of interactions, in another order and with some of them delivered again. */
const arbScenario = fc
  .record({ lead: arbLead, config: arbConfig, interactions: fc.array(arbInteraction, { maxLength: 25 }) })
  .chain((scenario) =>
    fc
      .subarray(scenario.interactions)
      .map((redelivered) => [...scenario.interactions, ...redelivered.map((i) => structuredClone(i))])
      .chain((withDuplicates) =>
        fc.shuffledSubarray(withDuplicates, { minLength: withDuplicates.length, maxLength: withDuplicates.length }),
      )
      .map((reordered) => ({ ...scenario, reordered })),
  );

describe('classifyLead properties', () => {
  it('depends only on the set of interactions, not on their order or redelivery', () => {
    // Prepare: random realistic scenarios with a permuted, partly duplicated copy of the interactions
    fc.assert(
      fc.property(arbScenario, ({ lead, config, interactions, reordered }) => {
        // Act
        const original = classifyLead({ lead, interactions, config, now: NOW });
        const permuted = classifyLead({ lead, interactions: reordered, config, now: NOW });

        // Assess
        expect(permuted).toEqual(original);
      }),
      { numRuns: 500 },
    );
  });

  it('explains exactly the score, never moves the lifecycle back and lists every interaction id', () => {
    // Prepare
    fc.assert(
      fc.property(arbScenario, ({ lead, config, interactions }) => {
        // Act
        const result = classifyLead({ lead, interactions, config, now: NOW });

        // Assess
        const explained = result.scoreExplanation.reduce((sum, c) => sum + c.points, 0);
        expect(explained).toBe(result.score);
        expect(result.fitScore + result.engagementScore).toBe(result.score);
        expect(LIFECYCLES.indexOf(result.lifecycle)).toBeGreaterThanOrEqual(LIFECYCLES.indexOf(lead.lifecycle));
        expect(Object.keys(result.interactionPoints).sort()).toEqual([...new Set(interactions.map((i) => i.id))].sort());
      }),
      { numRuns: 300 },
    );
  });
});
