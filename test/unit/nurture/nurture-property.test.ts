/**
 * Properties of the nurture run, checked on the real dispatchNurture: random leads, lead changes,
 * dispatcher schedules, configurations and SES answers, run over virtual time against the in-memory
 * store (virtual-nurture-run.ts). The DynamoDB adapter of the same port is covered by the integration tests.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FUNNEL_STAGES,
  LIFECYCLES,
  MARKETING_CONSENTS,
  type FunnelStage,
  type Lifecycle,
  type MarketingConsent,
} from '../../../shared/domain/lead';
import { defaultNurtureConfig, type LeadForNurture, type NurtureConfig } from '../../../shared/domain/nurture';
import { MARKETING_TEMPLATE_IDS } from '../../../shared/email/email-templates';
import { runDispatcher, type LeadChange, type SendOutcome, type SimEvent } from './virtual-nurture-run';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const START = Date.parse('2025-01-01T00:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

const trackArb = fc.array(fc.integer({ min: 1, max: 4 * 24 }), { minLength: 1, maxLength: 4 }).chain((gapsInHours) =>
  fc.integer({ min: 0, max: 3 }).map((firstDay) => {
    // Gaps of whole hours, expressed in days, keep the days strictly increasing and small enough to clash with the cap.
    let day = firstDay;
    // The dispatcher sends only marketing templates (imprint, unsubscribe link): the steps use those.
    return gapsInHours.map((gap, i) => {
      if (i > 0) day += gap / 24;
      return { day, templateId: MARKETING_TEMPLATE_IDS[i % MARKETING_TEMPLATE_IDS.length]!, offer: 'ebook-lead-types' };
    });
  }),
);

const configArb: fc.Arbitrary<NurtureConfig> = fc.oneof(
  fc.constant(defaultNurtureConfig),
  fc.record({
    tracks: fc.record({ tofu: trackArb, mofu: trackArb, bofu: trackArb }),
    frequencyCapHours: fc.integer({ min: 0, max: 96 }),
    recycleCoolOffDays: fc.integer({ min: 0, max: 30 }),
    dueIndexShards: fc.constant(8),
  }),
);

type GeneratedChange = LeadChange | { resumeAfterHours: number };

/** Mostly `usual`, sometimes any of `all`: leads must be eligible often enough for sends to happen. */
function mostly<T>(usual: T, all: readonly T[]): fc.Arbitrary<T> {
  return fc.oneof({ weight: 3, arbitrary: fc.constant(usual) }, { weight: 1, arbitrary: fc.constantFrom(...all) });
}

const lifecycleArb = mostly<Lifecycle>('warm', LIFECYCLES);
const consentArb = mostly<MarketingConsent>('confirmed', MARKETING_CONSENTS);
const suppressedArb = mostly<LeadForNurture['suppressed']>(null, [null, 'bounce', 'complaint', 'erased']);
const stageArb = fc.constantFrom<FunnelStage | null>(...FUNNEL_STAGES, null);

const changeArb: fc.Arbitrary<GeneratedChange> = fc.oneof(
  { weight: 5, arbitrary: stageArb.map((funnelStage) => ({ funnelStage })) },
  { weight: 1, arbitrary: lifecycleArb.map((lifecycle) => ({ lifecycle })) },
  { weight: 1, arbitrary: consentArb.map((marketingConsent) => ({ marketingConsent })) },
  { weight: 1, arbitrary: suppressedArb.map((suppressed) => ({ suppressed })) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 40 * 24 }).map((resumeAfterHours) => ({ resumeAfterHours })) },
);

// Shrinking a failing run over hundreds of ticks can take minutes; past this limit fast-check reports the
// failure with the counterexample shrunk so far instead.
const propertyParams = (numRuns: number): fc.Parameters<unknown> => ({ numRuns, interruptAfterTimeLimit: 20_000 });
const PROPERTY_TEST_TIMEOUT_MS = 60_000;

const scenarioArb = fc.record({
  config: configArb,
  initial: fc.record({
    lifecycle: lifecycleArb,
    marketingConsent: consentArb,
    suppressed: suppressedArb,
    funnelStage: stageArb,
  }),
  events: fc.array(fc.record({ offsetMinutes: fc.integer({ min: 0, max: 90 * 24 * 60 }), change: changeArb }), {
    maxLength: 25,
    size: 'medium',
  }),
  // roughly 30 to 200 days of dispatcher runs at irregular intervals
  tickGapsMinutes: fc.array(fc.integer({ min: 1, max: 24 * 60 }), { minLength: 60, maxLength: 400, size: 'max' }),
  // what SES answers each send attempt: mostly accepted, but every other answer often enough to meet each path of the run
  sesAnswers: fc.array(mostly<SendOutcome>('accepted', ['accepted', 'rejected', 'busy', 'unrecorded']), { maxLength: 20 }),
});

function toSimEvents(events: readonly { offsetMinutes: number; change: GeneratedChange }[]): SimEvent[] {
  return events.map(({ offsetMinutes, change }) => {
    const atMs = START + offsetMinutes * MINUTE;
    return {
      at: iso(atMs),
      change: 'resumeAfterHours' in change ? { resumeAt: iso(atMs + change.resumeAfterHours * HOUR) } : change,
    };
  });
}

function tickTimes(gapsMinutes: readonly number[]): string[] {
  const ticks: string[] = [];
  let t = START;
  for (const gap of gapsMinutes) ticks.push(iso((t += gap * MINUTE)));
  return ticks;
}

function eligible(lead: LeadForNurture, atMs: number): boolean {
  return (
    lead.marketingConsent === 'confirmed' &&
    lead.suppressed === null &&
    lead.lifecycle === 'warm' &&
    lead.funnelStage !== null &&
    (lead.resumeAt === undefined || Date.parse(lead.resumeAt) <= atMs)
  );
}

describe('nurture run properties (dispatchNurture over virtual time)', () => {
  it(
    'sends what the planner says is due, only that: never twice within the cap, nor while ineligible, nor off track',
    async () => {
      let totalSends = 0;
      const outcomesSeen = new Set<SendOutcome>();
      await fc.assert(
        fc.asyncProperty(scenarioArb, async ({ config, initial, events, tickGapsMinutes, sesAnswers }) => {
          // Prepare
          const simEvents = toSimEvents(events);
          const ticks = tickTimes(tickGapsMinutes);
          const lead: LeadForNurture = {
            ...initial,
            ...(initial.funnelStage ? { nurture: { track: initial.funnelStage, nextStep: 0, enteredAt: iso(START) } } : {}),
          };

          // Act
          const run = await runDispatcher({
            lead,
            config,
            events: simEvents,
            ticks,
            sendOutcome: (attempt) => sesAnswers[attempt] ?? 'accepted',
          });

          // Assess
          let lastSendMs: number | undefined;
          for (const tick of run.ticks) {
            const atMs = Date.parse(tick.at);
            const { plan, attempt } = tick;
            // The run attempts a send exactly when the planner, on the lead as stored, says one is due:
            // the due index led the run to the lead, and nothing else was sent.
            expect(attempt?.templateId).toBe(plan.kind === 'send' ? plan.templateId : undefined);
            if (plan.kind === 'stop') continue;
            const dueMs = Date.parse(plan.dueAt);
            expect(plan.kind === 'send' ? dueMs <= atMs : dueMs > atMs).toBe(true);
            if (plan.kind !== 'send' || !attempt) continue;
            outcomesSeen.add(attempt.outcome);
            // What the send saw, as stored at that moment: an eligible lead, on its stage's track, the configured template.
            expect(eligible(attempt.lead, atMs)).toBe(true);
            expect(attempt.step).toBe(`${attempt.lead.funnelStage}-${plan.step + 1}`);
            expect(config.tracks[plan.track][plan.step]?.templateId).toBe(attempt.templateId);
            if (tick.failed) continue;
            if (lastSendMs !== undefined) {
              expect(atMs - lastSendMs).toBeGreaterThanOrEqual(config.frequencyCapHours * HOUR);
            }
            lastSendMs = atMs;
            totalSends++;
          }
          expect(run.sends.length).toBe(run.ticks.filter((x) => x.attempt && !x.failed).length);
        }),
        propertyParams(100),
      );
      // A property that never sees a send proves nothing; nor one that never meets a failing SES.
      expect(totalSends).toBeGreaterThan(100);
      expect([...outcomesSeen].sort()).toEqual(['accepted', 'busy', 'rejected', 'unrecorded']);
    },
    PROPERTY_TEST_TIMEOUT_MS,
  );

  it(
    "sends a track's steps in order, each at most once, between two entries into a track",
    async () => {
      let totalAttempts = 0;
      await fc.assert(
        fc.asyncProperty(scenarioArb, async ({ config, events, tickGapsMinutes, sesAnswers }) => {
          // Prepare: a lead that stays eligible, so only stage changes move it between tracks
          const stageEvents = toSimEvents(events)
            .filter(({ change }) => change.funnelStage !== undefined)
            .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
          const ticks = tickTimes(tickGapsMinutes);

          // Act
          const run = await runDispatcher({
            lead: { lifecycle: 'warm', marketingConsent: 'confirmed', suppressed: null, funnelStage: null },
            config,
            events: stageEvents,
            ticks,
            sendOutcome: (attempt) => sesAnswers[attempt] ?? 'accepted',
          });

          // Assess: a new stay starts when the stage becomes one other than the last non-null stage
          let nextEvent = 0;
          let lastTrack: FunnelStage | undefined;
          let stepsThisStay: string[] = [];
          for (const tick of run.ticks) {
            while (nextEvent < stageEvents.length && stageEvents[nextEvent]!.at <= tick.at) {
              const stage = stageEvents[nextEvent++]!.change.funnelStage;
              if (stage && stage !== lastTrack) {
                lastTrack = stage;
                stepsThisStay = [];
              }
            }
            const { attempt } = tick;
            if (!attempt) continue;
            totalAttempts++;
            // The next step of the current stay; a busy SES leaves it due, so the next attempt is the same step.
            expect(attempt.step).toBe(`${lastTrack}-${stepsThisStay.length + 1}`);
            if (attempt.outcome !== 'busy') stepsThisStay.push(attempt.step);
          }
        }),
        propertyParams(80),
      );
      expect(totalAttempts).toBeGreaterThan(100);
    },
    PROPERTY_TEST_TIMEOUT_MS,
  );
});

describe('property helpers', () => {
  it('the random configs exercise the cap: some schedules put consecutive steps closer than the cap', () => {
    // Prepare
    const samples = fc.sample(configArb, { numRuns: 200, seed: 42 });

    // Act
    const tight = samples.filter((c) =>
      Object.values(c.tracks).some((steps) => steps.some((s, i) => i > 0 && (s.day - steps[i - 1]!.day) * 24 < c.frequencyCapHours)),
    );

    // Assess
    expect(tight.length).toBeGreaterThan(0);
  });
});
