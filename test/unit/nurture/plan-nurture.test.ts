import { describe, expect, it } from 'vitest';
import {
  defaultNurtureConfig,
  enterTrack,
  markSent,
  nextDueAt,
  planNurture,
  recycleResumeAt,
  skipStep,
  type NurtureConfig,
  type NurtureState,
} from '../../../shared/domain/nurture';
import { warmLead } from './virtual-nurture-run';

const config = defaultNurtureConfig;
const T0 = '2025-03-03T09:00:00.000Z';

describe('enterTrack', () => {
  it('starts a fresh state at step 0 when there is none', () => {
    // Prepare
    const at = T0;

    // Act
    const state = enterTrack(undefined, 'tofu', at);

    // Assess
    expect(state).toEqual({ track: 'tofu', nextStep: 0, enteredAt: T0 });
  });

  it('restarts at step 0 on a new track but keeps lastSentAt', () => {
    // Prepare
    const before: NurtureState = { track: 'tofu', nextStep: 1, enteredAt: T0, lastSentAt: '2025-03-05T09:00:00.000Z' };

    // Act
    const after = enterTrack(before, 'mofu', '2025-03-06T00:00:00.000Z');

    // Assess
    expect(after).toEqual({
      track: 'mofu',
      nextStep: 0,
      enteredAt: '2025-03-06T00:00:00.000Z',
      lastSentAt: '2025-03-05T09:00:00.000Z',
    });
  });

  it('leaves the state unchanged on the same track or without a stage', () => {
    // Prepare
    const before: NurtureState = { track: 'mofu', nextStep: 1, enteredAt: T0 };

    // Act
    const same = enterTrack(before, 'mofu', '2025-04-01T00:00:00.000Z');
    const noStage = enterTrack(before, null, '2025-04-01T00:00:00.000Z');
    const noStageNoState = enterTrack(undefined, null, '2025-04-01T00:00:00.000Z');

    // Assess
    expect(same).toBe(before);
    expect(noStage).toBe(before);
    expect(noStageNoState).toBeUndefined();
  });
});

describe('planNurture due time', () => {
  it('waits for enteredAt + day_0 on a fresh track and sends from that instant on', () => {
    // Prepare
    const lead = warmLead({ funnelStage: 'tofu', nurture: { track: 'tofu', nextStep: 0, enteredAt: T0 } });

    // Act
    const justBefore = planNurture(lead, config, '2025-03-05T08:59:59.999Z');
    const atDue = planNurture(lead, config, '2025-03-05T09:00:00.000Z');

    // Assess
    const due = { track: 'tofu', step: 0, templateId: 'tofu-1', offer: 'ebook-lead-types', dueAt: '2025-03-05T09:00:00.000Z' };
    expect(justBefore).toEqual({ kind: 'wait', ...due });
    expect(atDue).toEqual({ kind: 'send', ...due });
  });

  it('counts the gap to the next step from a late previous email, not from track entry', () => {
    // Prepare: tofu-1 (day 2) went out on day 4, so tofu-2 (day 7) is due 5 days after it, on day 9
    const lead = warmLead({
      funnelStage: 'tofu',
      nurture: { track: 'tofu', nextStep: 1, enteredAt: T0, lastSentAt: '2025-03-07T09:00:00.000Z' },
    });

    // Act
    const plan = planNurture(lead, config, '2025-03-10T09:00:00.000Z');

    // Assess
    expect(plan).toEqual({
      kind: 'wait',
      track: 'tofu',
      step: 1,
      templateId: 'tofu-2',
      offer: 'case-study-b2b',
      dueAt: '2025-03-12T09:00:00.000Z',
    });
  });

  it('counts from track entry when that is later than the previous email', () => {
    // Prepare: the last email was long ago, the lead just entered mofu
    const lead = warmLead({
      funnelStage: 'mofu',
      nurture: { track: 'mofu', nextStep: 0, enteredAt: '2025-03-20T15:30:00.000Z', lastSentAt: T0 },
    });

    // Act
    const plan = planNurture(lead, config, '2025-03-21T00:00:00.000Z');

    // Assess
    expect(nextDueAt(plan)).toBe('2025-03-23T15:30:00.000Z');
  });

  it('holds a step back until frequencyCapHours after the previous email', () => {
    // Prepare: steps one day apart, cap 48h
    const tight: NurtureConfig = {
      ...config,
      tracks: {
        ...config.tracks,
        tofu: [
          { day: 1, templateId: 'a', offer: 'ebook-lead-types' },
          { day: 2, templateId: 'b', offer: 'case-study-b2b' },
        ],
      },
    };
    const lead = warmLead({
      funnelStage: 'tofu',
      nurture: { track: 'tofu', nextStep: 1, enteredAt: T0, lastSentAt: '2025-03-04T09:00:00.000Z' },
    });

    // Act
    const plan = planNurture(lead, tight, '2025-03-05T09:00:00.000Z');

    // Assess
    expect(plan).toEqual({
      kind: 'wait',
      track: 'tofu',
      step: 1,
      templateId: 'b',
      offer: 'case-study-b2b',
      dueAt: '2025-03-06T09:00:00.000Z',
    });
  });

  it('holds the first step of a new track back by the cap when the stage changed right after a send', () => {
    // Prepare: bofu step 0 on day 0, the switch to bofu one hour after tofu-1 went out
    const immediate: NurtureConfig = {
      ...config,
      tracks: { ...config.tracks, bofu: [{ day: 0, templateId: 'bofu-now', offer: 'expert-call' }] },
    };
    const afterTofu1: NurtureState = { track: 'tofu', nextStep: 1, enteredAt: T0, lastSentAt: '2025-03-05T09:00:00.000Z' };
    const lead = warmLead({ funnelStage: 'bofu', nurture: enterTrack(afterTofu1, 'bofu', '2025-03-05T10:00:00.000Z') });

    // Act
    const plan = planNurture(lead, immediate, '2025-03-05T10:00:00.000Z');

    // Assess
    expect(plan).toEqual({
      kind: 'wait',
      track: 'bofu',
      step: 0,
      templateId: 'bofu-now',
      offer: 'expert-call',
      dueAt: '2025-03-07T09:00:00.000Z',
    });
  });

  it('treats a lead without state, or on another track, as entering its stage track now', () => {
    // Prepare
    const now = '2025-03-10T10:00:00.000Z';
    const fresh = warmLead({ funnelStage: 'mofu' });
    const stale = warmLead({ funnelStage: 'mofu', nurture: { track: 'tofu', nextStep: 1, enteredAt: T0 } });

    // Act
    const freshPlan = planNurture(fresh, config, now);
    const stalePlan = planNurture(stale, config, now);

    // Assess
    const expected = {
      kind: 'wait',
      track: 'mofu',
      step: 0,
      templateId: 'mofu-1',
      offer: 'webinar:lead-scoring-praxis',
      dueAt: '2025-03-13T10:00:00.000Z',
    };
    expect(freshPlan).toEqual(expected);
    expect(stalePlan).toEqual(expected);
  });

  it('rejects timestamps that are not ISO-8601', () => {
    // Prepare
    const lead = warmLead({ funnelStage: 'tofu', nurture: { track: 'tofu', nextStep: 0, enteredAt: 'yesterday' } });

    // Act
    const badState = () => planNurture(lead, config, T0);
    const badNow = () => planNurture(warmLead({ funnelStage: 'tofu' }), config, 'now');
    const localTime = () => planNurture(warmLead({ funnelStage: 'tofu' }), config, '2025-03-03T09:00:00');
    const withOffset = () => planNurture(warmLead({ funnelStage: 'tofu' }), config, '2025-03-03T10:00:00+01:00');

    // Assess
    expect(badState).toThrow(/enteredAt/);
    expect(badNow).toThrow(/now/);
    expect(localTime).toThrow(/now/);
    expect(withOffset()).toMatchObject({ kind: 'wait', dueAt: '2025-03-05T09:00:00.000Z' });
  });
});

describe('planNurture stops', () => {
  const onTrack = { funnelStage: 'tofu' as const, nurture: { track: 'tofu' as const, nextStep: 0, enteredAt: T0 } };
  const late = '2025-06-01T00:00:00.000Z';

  it.each(['none', 'pending', 'withdrawn'] as const)('does not send with marketing consent %s', (marketingConsent) => {
    // Prepare
    const lead = warmLead({ ...onTrack, marketingConsent });

    // Act
    const plan = planNurture(lead, config, late);

    // Assess
    expect(plan).toEqual({ kind: 'stop', reason: 'no-consent' });
    expect(nextDueAt(plan)).toBeNull();
  });

  it.each(['bounce', 'complaint', 'erased'] as const)('does not send to a lead suppressed for %s', (suppressed) => {
    // Prepare
    const lead = warmLead({ ...onTrack, suppressed });

    // Act
    const plan = planNurture(lead, config, late);

    // Assess
    expect(plan).toEqual({ kind: 'stop', reason: 'suppressed' });
  });

  it.each(['cold', 'mql', 'sql'] as const)('does not nurture a %s lead', (lifecycle) => {
    // Prepare
    const lead = warmLead({ ...onTrack, lifecycle });

    // Act
    const plan = planNurture(lead, config, late);

    // Assess
    expect(plan).toEqual({ kind: 'stop', reason: 'not-warm' });
  });

  it('does not nurture a lead without a funnel stage, even with a leftover track', () => {
    // Prepare
    const lead = warmLead({ ...onTrack, funnelStage: null });

    // Act
    const plan = planNurture(lead, config, late);

    // Assess
    expect(plan).toEqual({ kind: 'stop', reason: 'no-stage' });
  });

  it('stops with track-done past the last step, and starts again when the stage changes', () => {
    // Prepare
    const done: NurtureState = { track: 'bofu', nextStep: 1, enteredAt: T0, lastSentAt: '2025-03-05T09:00:00.000Z' };
    const lead = warmLead({ funnelStage: 'bofu', nurture: done });

    // Act
    const plan = planNurture(lead, config, late);
    const afterChange = planNurture({ ...lead, funnelStage: 'mofu', nurture: enterTrack(done, 'mofu', late) }, config, late);

    // Assess
    expect(plan).toEqual({ kind: 'stop', reason: 'track-done' });
    expect(nextDueAt(plan)).toBeNull();
    expect(afterChange).toMatchObject({ kind: 'wait', track: 'mofu', step: 0, templateId: 'mofu-1' });
  });

  it('checks consent before anything else, so an ineligible lead never looks due', () => {
    // Prepare
    const lead = warmLead({ funnelStage: null, marketingConsent: 'withdrawn', suppressed: 'erased', lifecycle: 'sql' });

    // Act
    const plan = planNurture(lead, config, late);

    // Assess
    expect(plan).toEqual({ kind: 'stop', reason: 'no-consent' });
  });
});

describe('resumeAt after a sales recycle', () => {
  it('delays a step that is otherwise due until resumeAt, then sends', () => {
    // Prepare
    const resumeAt = recycleResumeAt('2025-03-04T12:00:00.000Z', config);
    const lead = warmLead({ funnelStage: 'tofu', nurture: { track: 'tofu', nextStep: 0, enteredAt: T0 }, resumeAt });

    // Act
    const whileCoolingOff = planNurture(lead, config, '2025-04-03T11:59:00.000Z');
    const afterwards = planNurture(lead, config, '2025-04-03T12:00:00.000Z');

    // Assess
    expect(resumeAt).toBe('2025-04-03T12:00:00.000Z');
    expect(whileCoolingOff).toEqual({
      kind: 'wait',
      track: 'tofu',
      step: 0,
      templateId: 'tofu-1',
      offer: 'ebook-lead-types',
      dueAt: resumeAt,
    });
    expect(afterwards).toMatchObject({ kind: 'send', dueAt: resumeAt });
  });

  it('has no effect once it lies before the regular due time', () => {
    // Prepare
    const lead = warmLead({
      funnelStage: 'tofu',
      nurture: { track: 'tofu', nextStep: 0, enteredAt: T0 },
      resumeAt: '2025-03-04T00:00:00.000Z',
    });

    // Act
    const plan = planNurture(lead, config, T0);

    // Assess
    expect(nextDueAt(plan)).toBe('2025-03-05T09:00:00.000Z');
  });
});

describe('markSent and skipStep', () => {
  it('markSent advances the step and records when it went out', () => {
    // Prepare
    const state: NurtureState = { track: 'tofu', nextStep: 0, enteredAt: T0 };

    // Act
    const after = markSent(state, '2025-03-05T09:15:00.000Z');

    // Assess
    expect(after).toEqual({ track: 'tofu', nextStep: 1, enteredAt: T0, lastSentAt: '2025-03-05T09:15:00.000Z' });
    expect(state.nextStep).toBe(0);
  });

  it('skipStep advances without touching lastSentAt', () => {
    // Prepare
    const state: NurtureState = { track: 'mofu', nextStep: 0, enteredAt: T0, lastSentAt: '2025-03-01T09:00:00.000Z' };

    // Act
    const after = skipStep(state);

    // Assess
    expect(after).toEqual({ track: 'mofu', nextStep: 1, enteredAt: T0, lastSentAt: '2025-03-01T09:00:00.000Z' });
    expect(state.nextStep).toBe(0);
  });
});
