import { describe, expect, it } from 'vitest';
import { buildFunnelReport, formatFunnelReport, type LeadStageRecord } from '../../../shared/reporting/funnel-report';

const at = '2024-06-01T00:00:00.000Z';
const lead = (overrides: Partial<LeadStageRecord>): LeadStageRecord => ({ lifecycle: 'warm', createdAt: at, ...overrides });

describe('buildFunnelReport', () => {
  it('counts leads per lifecycle, qualification, funnel stage and PQL', () => {
    // Prepare
    const leads = [
      lead({ lifecycle: 'cold' }),
      lead({ lifecycle: 'warm', funnelStage: 'tofu' }),
      lead({ lifecycle: 'warm', qualification: 'qualified', funnelStage: 'mofu' }),
      lead({ lifecycle: 'mql', qualification: 'qualified', funnelStage: 'bofu', pql: true }),
      lead({ lifecycle: 'sql', qualification: 'qualified', funnelStage: 'bofu' }),
    ];

    // Act
    const report = buildFunnelReport(leads);

    // Assess
    expect(report.total).toBe(5);
    expect(report.lifecycle).toEqual({ cold: 1, warm: 2, mql: 1, sql: 1 });
    expect(report.qualification).toEqual({ unqualified: 2, qualified: 3 });
    expect(report.funnelStage).toEqual({ tofu: 1, mofu: 1, bofu: 2, none: 1 });
    expect(report.pql).toBe(1);
    expect(report.since).toBeNull();
  });

  it('computes conversion from the forward-only lifecycle', () => {
    // Prepare: 2 warm, 3 mql, 1 sql, 4 cold; 3 qualified of 10
    const leads = [
      ...Array.from({ length: 4 }, () => lead({ lifecycle: 'cold' })),
      ...Array.from({ length: 2 }, () => lead({ lifecycle: 'warm' })),
      ...Array.from({ length: 3 }, () => lead({ lifecycle: 'mql', qualification: 'qualified' })),
      lead({ lifecycle: 'sql' }),
    ];

    // Act
    const { conversion } = buildFunnelReport(leads);

    // Assess
    expect(conversion.warmToMql).toEqual({ numerator: 4, denominator: 6, rate: 4 / 6 });
    expect(conversion.mqlToSql).toEqual({ numerator: 1, denominator: 4, rate: 0.25 });
    expect(conversion.qualifiedShare).toEqual({ numerator: 3, denominator: 10, rate: 0.3 });
  });

  it('counts a recycled MQL (back to warm, mqlAt or qualificationSeq kept) as reached mql, once', () => {
    // Prepare: 2 plain warm, 1 recycled by mqlAt, 1 recycled by qualificationSeq only, 1 mql, 1 sql
    const leads = [
      lead({ lifecycle: 'warm' }),
      lead({ lifecycle: 'warm', qualificationSeq: 0 }),
      lead({ lifecycle: 'warm', mqlAt: at, qualificationSeq: 1 }),
      lead({ lifecycle: 'warm', qualificationSeq: 2 }),
      lead({ lifecycle: 'mql', mqlAt: at, qualificationSeq: 1 }),
      lead({ lifecycle: 'sql', mqlAt: at, qualificationSeq: 1 }),
    ];

    // Act
    const report = buildFunnelReport(leads);

    // Assess: the lifecycle counts say where leads stand; the conversion what they ever reached
    expect(report.lifecycle).toEqual({ cold: 0, warm: 4, mql: 1, sql: 1 });
    expect(report.everMql).toBe(4);
    expect(report.conversion.warmToMql).toEqual({ numerator: 4, denominator: 6, rate: 4 / 6 });
    expect(report.conversion.mqlToSql).toEqual({ numerator: 1, denominator: 4, rate: 0.25 });
    expect(formatFunnelReport(report)).toMatch(/^Ever MQL\s+4\s+66\.7%$/m);
  });

  it('gives null rates, not NaN, when nothing reached the stage', () => {
    // Act
    const empty = buildFunnelReport([]);
    const coldOnly = buildFunnelReport([lead({ lifecycle: 'cold' })]);

    // Assess
    expect(empty.conversion.qualifiedShare.rate).toBeNull();
    expect(coldOnly.conversion.warmToMql).toEqual({ numerator: 0, denominator: 0, rate: null });
    expect(coldOnly.conversion.mqlToSql.rate).toBeNull();
    expect(coldOnly.conversion.qualifiedShare.rate).toBe(0);
  });

  it('counts only leads created at or after --since', () => {
    // Prepare
    const leads = [
      lead({ createdAt: '2024-04-30T23:59:59.999Z', lifecycle: 'mql' }),
      lead({ createdAt: '2024-05-01T00:00:00.000Z' }),
      lead({ createdAt: '2024-05-02T10:00:00.000Z', lifecycle: 'cold' }),
    ];

    // Act
    const report = buildFunnelReport(leads, { since: '2024-05-01' });

    // Assess
    expect(report.since).toBe('2024-05-01T00:00:00.000Z');
    expect(report.total).toBe(2);
    expect(report.lifecycle).toEqual({ cold: 1, warm: 1, mql: 0, sql: 0 });
  });

  it('rejects a since that is not a date', () => {
    // Act
    const build = () => buildFunnelReport([], { since: 'last week' });

    // Assess
    expect(build).toThrow(/since is not a date/);
  });

  it('counts a lifecycle outside the taxonomy in the total only', () => {
    // Prepare
    const odd = { lifecycle: 'toString', createdAt: at } as unknown as LeadStageRecord;

    // Act
    const report = buildFunnelReport([odd, lead({})]);

    // Assess
    expect(report.total).toBe(2);
    expect(report.lifecycle).toEqual({ cold: 0, warm: 1, mql: 0, sql: 0 });
  });
});

describe('formatFunnelReport', () => {
  it('prints counts, shares and conversion rates as a table', () => {
    // Prepare
    const report = buildFunnelReport([lead({ lifecycle: 'warm' }), lead({ lifecycle: 'mql', qualification: 'qualified', pql: true })], {
      since: '2024-01-01',
    });

    // Act
    const text = formatFunnelReport(report);

    // Assess
    expect(text).toContain('Funnel report: 2 leads (created since 2024-01-01T00:00:00.000Z)');
    expect(text).toMatch(/^ {2}warm\s+1\s+50\.0%$/m);
    expect(text).toMatch(/^PQL\s+1\s+50\.0%$/m);
    expect(text).toMatch(/^ {2}warm → mql\s+1\/2\s+50\.0%$/m);
    expect(text).toMatch(/^ {2}mql → sql\s+0\/1\s+0\.0%$/m);
    expect(text).toMatch(/^ {2}\(none\)\s+2\s+100\.0%$/m);
  });

  it('prints n/a for a rate without a denominator', () => {
    // Act
    const text = formatFunnelReport(buildFunnelReport([]));

    // Assess
    expect(text).toMatch(/^ {2}qualified share\s+0\/0\s+n\/a$/m);
  });
});
