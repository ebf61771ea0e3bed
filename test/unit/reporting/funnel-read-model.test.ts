import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../shared/http/http-errors';
import type { EmailDay, FunnelDay, FunnelProjectionReader, FunnelTotals } from '../../../shared/reporting/funnel-projection-store';
import { datesOf, MAX_RANGE_DAYS, readEmailPerformance, readFunnel } from '../../../shared/reporting/funnel-read-model';

const totals: FunnelTotals = {
  total: 10,
  lifecycle: { cold: 2, warm: 4, mql: 3, sql: 1 },
  qualification: { unqualified: 6, qualified: 4 },
  funnelStage: { tofu: 3, mofu: 2, bofu: 3, none: 2 },
  pql: 1,
  everMql: 5,
  reachedWarm: 8,
};

const day = (date: string, counts: Partial<FunnelDay>): FunnelDay => ({
  date,
  created: 0,
  mql: 0,
  sql: 0,
  transitions: {},
  bySource: {},
  ...counts,
});

/** A reader over fixed items that records which dates each call asked for. */
function fakeReader(days: FunnelDay[], emailDays: EmailDay[] = []) {
  const asked: string[][] = [];
  const reader: FunnelProjectionReader = {
    readFunnelDays: async (dates) => days.filter((d) => dates.includes(d.date)),
    readAttributionDays: async () => [],
    readEmailDays: async (dates) => {
      asked.push([...dates]);
      return emailDays.filter((d) => dates.includes(d.date));
    },
    readTotals: async () => totals,
    readFunnelDaysAndTotals: async (dates) => {
      asked.push([...dates]);
      return { days: days.filter((d) => dates.includes(d.date)), totals };
    },
  };
  return { reader, asked };
}

describe('readFunnel', () => {
  it('answers stages and conversion from the totals, and one row per day of the range with its sources', async () => {
    // Prepare
    const { reader, asked } = fakeReader([
      day('2026-02-27', { created: 9, bySource: { old: { leads: 9, mql: 0, sql: 0 } } }),
      day('2026-02-28', {
        created: 3,
        mql: 1,
        bySource: { linkedin: { leads: 2, mql: 1, sql: 0 }, '(none)': { leads: 1, mql: 0, sql: 0 } },
      }),
      day('2026-03-02', { created: 2, sql: 1, bySource: { linkedin: { leads: 1, mql: 0, sql: 1 }, google: { leads: 1, mql: 2, sql: 0 } } }),
    ]);

    // Act
    const view = await readFunnel(reader, { from: '2026-02-28', to: '2026-03-02' });

    // Assess
    expect(asked).toEqual([['2026-02-28', '2026-03-01', '2026-03-02']]);
    expect(view).toEqual({
      lifecycle: { cold: 2, warm: 4, mql: 3, sql: 1 },
      funnelStage: { tofu: 3, mofu: 2, bofu: 3, none: 2 },
      conversion: {
        warmToMql: { numerator: 5, denominator: 8, rate: 5 / 8 },
        mqlToSql: { numerator: 1, denominator: 5, rate: 1 / 5 },
        qualifiedShare: { numerator: 4, denominator: 10, rate: 4 / 10 },
      },
      daily: [
        { date: '2026-02-28', created: 3, mql: 1, sql: 0 },
        { date: '2026-03-01', created: 0, mql: 0, sql: 0 },
        { date: '2026-03-02', created: 2, mql: 0, sql: 1 },
      ],
      sources: [
        { utm_source: 'linkedin', leads: 3, mql: 1 },
        { utm_source: 'google', leads: 1, mql: 2 },
        { utm_source: '(none)', leads: 1, mql: 0 },
      ],
    });
  });
});

describe('readEmailPerformance', () => {
  it('sums each template over the days of the range', async () => {
    // Prepare
    const counts = (sent: number, opened: number) => ({ sent, opened, clicked: 0, bounced: 0, complained: 0, unsubscribed: 0 });
    const { reader } = fakeReader(
      [],
      [
        { date: '2026-03-01', byTemplate: { 'opt-in': counts(2, 1), 'tofu-1': counts(5, 0) } },
        { date: '2026-03-02', byTemplate: { 'opt-in': counts(1, 2) } },
        { date: '2026-03-09', byTemplate: { 'opt-in': counts(100, 100) } },
      ],
    );

    // Act
    const performance = await readEmailPerformance(reader, { from: '2026-03-01', to: '2026-03-02' });

    // Assess
    expect(performance).toEqual({ 'opt-in': counts(3, 3), 'tofu-1': counts(5, 0) });
  });
});

describe('datesOf', () => {
  it('lists the days of a range across a month end and a leap day', () => {
    // Assess
    expect(datesOf({ from: '2028-02-28', to: '2028-03-01' })).toEqual(['2028-02-28', '2028-02-29', '2028-03-01']);
    expect(datesOf({ from: '2026-01-01', to: '2026-12-31' })).toHaveLength(365);
  });

  it.each([
    [{ from: '2026-02-30', to: '2026-03-01' }, { from: 'must be a date YYYY-MM-DD' }],
    [{ from: '2026-03-01', to: 'today' }, { to: 'must be a date YYYY-MM-DD' }],
    [{ from: '2026-03-02', to: '2026-03-01' }, { to: 'must not be before from' }],
    [{ from: '2025-01-01', to: '2026-01-02' }, { to: `must be at most ${MAX_RANGE_DAYS} days after from, from included` }],
  ])('refuses %j, naming the field', (range, fields) => {
    // Act
    const read = () => datesOf(range);

    // Assess
    expect(read).toThrow(ValidationError);
    try {
      read();
    } catch (error) {
      expect((error as ValidationError).fields).toEqual(fields);
    }
  });

  it(`accepts exactly ${MAX_RANGE_DAYS} days`, () => {
    // Assess
    expect(datesOf({ from: '2028-01-01', to: '2028-12-31' })).toHaveLength(MAX_RANGE_DAYS);
  });
});
