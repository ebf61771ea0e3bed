import { describe, expect, it } from 'vitest';
import { defaultNurtureConfig, recycleResumeAt, type NurtureConfig } from '../../../shared/domain/nurture';
import { clockTicks, runDispatcher, warmLead, type SimEvent } from './virtual-nurture-run';

const config = defaultNurtureConfig;
const FROM = '2025-03-03T00:00:00.000Z';
const UNTIL = '2025-05-01T00:00:00.000Z';
const stage = (at: string, funnelStage: 'tofu' | 'mofu' | 'bofu' | null): SimEvent => ({ at, change: { funnelStage } });

describe('nurture over virtual time: dispatchNurture run on a clock, against the in-memory store', () => {
  const fullFunnel: SimEvent[] = [
    stage('2025-03-03T09:00:00.000Z', 'tofu'),
    stage('2025-03-11T12:07:00.000Z', 'mofu'),
    stage('2025-03-22T10:00:00.000Z', 'bofu'),
  ];

  it('walks tofu → mofu → bofu with the right templates at the right times (15-minute dispatcher)', async () => {
    // Prepare
    const ticks = clockTicks(FROM, UNTIL, 15);

    // Act
    const { sends, ticks: seen } = await runDispatcher({ lead: warmLead(), config, events: fullFunnel, ticks });

    // Assess
    expect(sends).toEqual([
      { templateId: 'tofu-1', at: '2025-03-05T09:00:00.000Z' }, // entered + 2d
      { templateId: 'tofu-2', at: '2025-03-10T09:00:00.000Z' }, // entered + 7d
      { templateId: 'mofu-1', at: '2025-03-14T12:15:00.000Z' }, // entered 12:07 + 3d, first tick after
      { templateId: 'mofu-2', at: '2025-03-21T12:15:00.000Z' }, // previous send + 7d beats entered + 10d (12:07)
      { templateId: 'bofu-1', at: '2025-03-24T10:00:00.000Z' }, // entered + 2d beats previous send + 2d
    ]);
    expect(seen.at(-1)!.plan).toEqual({ kind: 'stop', reason: 'track-done' });
  });

  it('walks the same funnel with an hourly dispatcher, each delay counting from the actual previous send', async () => {
    // Prepare
    const ticks = clockTicks(FROM, UNTIL, 60);

    // Act
    const { sends } = await runDispatcher({ lead: warmLead(), config, events: fullFunnel, ticks });

    // Assess
    expect(sends).toEqual([
      { templateId: 'tofu-1', at: '2025-03-05T09:00:00.000Z' },
      { templateId: 'tofu-2', at: '2025-03-10T09:00:00.000Z' },
      { templateId: 'mofu-1', at: '2025-03-14T13:00:00.000Z' },
      { templateId: 'mofu-2', at: '2025-03-21T13:00:00.000Z' },
      { templateId: 'bofu-1', at: '2025-03-24T10:00:00.000Z' },
    ]);
  });

  it('abandons the rest of a track when the stage moves on mid-track', async () => {
    // Prepare
    const events = [stage('2025-03-03T09:00:00.000Z', 'tofu'), stage('2025-03-06T00:00:00.000Z', 'bofu')];

    // Act
    const { sends } = await runDispatcher({ lead: warmLead(), config, events, ticks: clockTicks(FROM, UNTIL, 15) });

    // Assess
    expect(sends).toEqual([
      { templateId: 'tofu-1', at: '2025-03-05T09:00:00.000Z' },
      { templateId: 'bofu-1', at: '2025-03-08T00:00:00.000Z' },
    ]);
  });

  it('keeps the frequency cap across a track switch', async () => {
    // Prepare: bofu would send on entry, but the switch comes one hour after tofu-1
    const immediateBofu: NurtureConfig = {
      ...config,
      tracks: { ...config.tracks, bofu: [{ day: 0, templateId: 'bofu-1', offer: 'expert-call' }] },
    };
    const events = [stage('2025-03-03T09:00:00.000Z', 'tofu'), stage('2025-03-05T10:00:00.000Z', 'bofu')];

    // Act
    const { sends } = await runDispatcher({ lead: warmLead(), config: immediateBofu, events, ticks: clockTicks(FROM, UNTIL, 15) });

    // Assess
    expect(sends).toEqual([
      { templateId: 'tofu-1', at: '2025-03-05T09:00:00.000Z' },
      { templateId: 'bofu-1', at: '2025-03-07T09:00:00.000Z' }, // tofu-1 + 48h
    ]);
  });

  it.each(['mql', 'sql'] as const)('stops nurturing once the lead becomes %s', async (lifecycle) => {
    // Prepare
    const events: SimEvent[] = [stage('2025-03-03T09:00:00.000Z', 'tofu'), { at: '2025-03-06T00:00:00.000Z', change: { lifecycle } }];

    // Act
    const { sends, ticks } = await runDispatcher({ lead: warmLead(), config, events, ticks: clockTicks(FROM, UNTIL, 15) });

    // Assess
    expect(sends).toEqual([{ templateId: 'tofu-1', at: '2025-03-05T09:00:00.000Z' }]);
    const afterHandover = ticks.filter((t) => t.at >= '2025-03-06T00:00:00.000Z');
    expect(afterHandover.every((t) => t.plan.kind === 'stop' && t.plan.reason === 'not-warm')).toBe(true);
  });

  it('resumes a recycled lead only after the cool-off, where its track left off', async () => {
    // Prepare
    const events: SimEvent[] = [
      stage('2025-03-03T09:00:00.000Z', 'tofu'),
      { at: '2025-03-06T00:00:00.000Z', change: { lifecycle: 'sql' } },
      {
        at: '2025-03-20T00:00:00.000Z',
        change: { lifecycle: 'warm', resumeAt: recycleResumeAt('2025-03-20T00:00:00.000Z', config) },
      },
    ];

    // Act
    const { sends } = await runDispatcher({ lead: warmLead(), config, events, ticks: clockTicks(FROM, UNTIL, 15) });

    // Assess
    expect(sends).toEqual([
      { templateId: 'tofu-1', at: '2025-03-05T09:00:00.000Z' },
      { templateId: 'tofu-2', at: '2025-04-19T00:00:00.000Z' }, // recycle + 30d
    ]);
  });

  it.each(['none', 'pending', 'withdrawn'] as const)('sends nothing while marketing consent is %s', async (marketingConsent) => {
    // Prepare
    const events = [stage('2025-03-03T09:00:00.000Z', 'tofu')];

    // Act
    const { sends } = await runDispatcher({
      lead: warmLead({ marketingConsent }),
      config,
      events,
      ticks: clockTicks(FROM, UNTIL, 60),
    });

    // Assess
    expect(sends).toEqual([]);
  });

  it('sends the overdue step as soon as double opt-in completes, and nothing after consent is withdrawn', async () => {
    // Prepare
    const events: SimEvent[] = [
      stage('2025-03-03T09:00:00.000Z', 'tofu'),
      { at: '2025-03-06T10:20:00.000Z', change: { marketingConsent: 'confirmed' } },
      { at: '2025-03-09T00:00:00.000Z', change: { marketingConsent: 'withdrawn' } },
    ];

    // Act
    const { sends } = await runDispatcher({
      lead: warmLead({ marketingConsent: 'pending' }),
      config,
      events,
      ticks: clockTicks(FROM, UNTIL, 15),
    });

    // Assess
    expect(sends).toEqual([{ templateId: 'tofu-1', at: '2025-03-06T10:30:00.000Z' }]);
  });

  it.each(['bounce', 'complaint', 'erased'] as const)('stops after a %s suppression', async (suppressed) => {
    // Prepare
    const events: SimEvent[] = [stage('2025-03-03T09:00:00.000Z', 'tofu'), { at: '2025-03-06T00:00:00.000Z', change: { suppressed } }];

    // Act
    const { sends } = await runDispatcher({ lead: warmLead(), config, events, ticks: clockTicks(FROM, UNTIL, 15) });

    // Assess
    expect(sends).toEqual([{ templateId: 'tofu-1', at: '2025-03-05T09:00:00.000Z' }]);
  });

  it('skips a step whose send failed for good and keeps to the schedule for the next one', async () => {
    // Prepare
    const events = [stage('2025-03-03T09:00:00.000Z', 'tofu')];

    // Act
    const { sends, ticks } = await runDispatcher({
      lead: warmLead(),
      config,
      events,
      ticks: clockTicks(FROM, UNTIL, 15),
      sendOutcome: (attempt) => (attempt === 0 ? 'rejected' : 'accepted'),
    });

    // Assess
    expect(ticks.filter((t) => t.failed).map((t) => t.at)).toEqual(['2025-03-05T09:00:00.000Z']);
    expect(sends).toEqual([{ templateId: 'tofu-2', at: '2025-03-10T09:00:00.000Z' }]);
  });

  it('stays quiet when the stage is lost, and picks the track up again from the stage change', async () => {
    // Prepare
    const events = [
      stage('2025-03-03T09:00:00.000Z', 'tofu'),
      stage('2025-03-04T00:00:00.000Z', null),
      stage('2025-03-12T00:00:00.000Z', 'mofu'),
    ];

    // Act
    const { sends } = await runDispatcher({ lead: warmLead(), config, events, ticks: clockTicks(FROM, UNTIL, 15) });

    // Assess
    expect(sends).toEqual([
      { templateId: 'mofu-1', at: '2025-03-15T00:00:00.000Z' },
      { templateId: 'mofu-2', at: '2025-03-22T00:00:00.000Z' },
    ]);
  });
});
