/**
 * The funnel report: how many leads are in each lifecycle, qualification and funnel stage, and how
 * they convert. Pure: lead stage records (buildFunnelReport, a recount) or the funnel projection's totals
 * (reportFromTotals, what `leadpipe report funnel` prints) in, numbers (and a text table) out.
 *
 * Conversion rates count what a lead ever reached, not only where it stands: a sales recycle sends an MQL
 * back to warm, but it was an MQL (mqlAt is set, qualificationSeq > 0), so it still counts for warm → mql.
 * - warm → mql: leads that ever reached mql, of those that reached warm or beyond;
 * - mql → sql: sql leads, of those that ever reached mql;
 * - qualified share: qualified leads, of all leads counted.
 * A rate whose denominator is 0 is null ("n/a"), never NaN.
 */
import { FUNNEL_STAGES, LIFECYCLES, QUALIFICATIONS, type FunnelStage, type Lifecycle, type Qualification } from '../domain/lead';
import { conversionOf } from './funnel-read-model';
import type { FunnelTotals } from './funnel-projection-store';

/** What the report needs of a lead; absent fields mean what the lead view shows for them. */
export interface LeadStageRecord {
  lifecycle: Lifecycle;
  qualification?: Qualification;
  funnelStage?: FunnelStage | null;
  pql?: boolean;
  createdAt: string;
  /** when the lead last became an MQL; set on every MQL, kept when sales recycles it */
  mqlAt?: string;
  /** how often the lead became an MQL */
  qualificationSeq?: number;
}

export interface Rate {
  numerator: number;
  denominator: number;
  /** numerator / denominator, or null when the denominator is 0 */
  rate: number | null;
}

export interface FunnelReport {
  /** ISO time: only leads created at or after it are counted; null = all leads */
  since: string | null;
  total: number;
  lifecycle: Record<Lifecycle, number>;
  qualification: Record<Qualification, number>;
  funnelStage: Record<FunnelStage | 'none', number>;
  pql: number;
  /** leads that are or ever were an MQL (recycled ones included) */
  everMql: number;
  conversion: { warmToMql: Rate; mqlToSql: Rate; qualifiedShare: Rate };
  /** from the projection, with --since: leads created, MQLs and SQLs per day, summed over from..to (UTC days, inclusive) */
  period?: FunnelPeriod | null;
}

export interface FunnelPeriod {
  from: string;
  to: string;
  created: number;
  mql: number;
  sql: number;
}

/** The report of all leads from the projection's totals item, plus a period's day counts. */
export function reportFromTotals(totals: FunnelTotals, period: FunnelPeriod | null): FunnelReport {
  return {
    since: null,
    total: totals.total,
    lifecycle: { ...totals.lifecycle },
    qualification: { ...totals.qualification },
    funnelStage: { ...totals.funnelStage },
    pql: totals.pql,
    everMql: totals.everMql,
    conversion: conversionOf(totals),
    period,
  };
}

export function buildFunnelReport(leads: Iterable<LeadStageRecord>, options: { since?: string } = {}): FunnelReport {
  const sinceMs = options.since === undefined ? undefined : Date.parse(options.since);
  if (sinceMs !== undefined && Number.isNaN(sinceMs)) throw new RangeError(`since is not a date: ${JSON.stringify(options.since)}`);

  const lifecycle = zeroes(LIFECYCLES);
  const qualification = zeroes(QUALIFICATIONS);
  const funnelStage = zeroes([...FUNNEL_STAGES, 'none'] as const);
  let total = 0;
  let pql = 0;
  let everMql = 0;
  let reachedWarm = 0;
  for (const lead of leads) {
    if (sinceMs !== undefined && !(Date.parse(lead.createdAt) >= sinceMs)) continue;
    total += 1;
    // Values outside the taxonomy (never written by this code) count in the total only.
    if (Object.hasOwn(lifecycle, lead.lifecycle)) lifecycle[lead.lifecycle] += 1;
    const q = lead.qualification ?? 'unqualified';
    if (Object.hasOwn(qualification, q)) qualification[q] += 1;
    const stage = lead.funnelStage ?? 'none';
    if (Object.hasOwn(funnelStage, stage)) funnelStage[stage] += 1;
    if (lead.pql) pql += 1;
    const wasMql = lead.lifecycle === 'mql' || lead.lifecycle === 'sql' || lead.mqlAt !== undefined || (lead.qualificationSeq ?? 0) > 0;
    if (wasMql) everMql += 1;
    if (wasMql || lead.lifecycle === 'warm') reachedWarm += 1;
  }

  return {
    since: sinceMs === undefined ? null : new Date(sinceMs).toISOString(),
    total,
    lifecycle,
    qualification,
    funnelStage,
    pql,
    everMql,
    conversion: {
      warmToMql: rate(everMql, reachedWarm),
      mqlToSql: rate(lifecycle.sql, everMql),
      qualifiedShare: rate(qualification.qualified, total),
    },
  };
}

/** The report as a plain-text table for a terminal. */
export function formatFunnelReport(report: FunnelReport): string {
  const lines: string[] = [];
  const scope = report.since ? `created since ${report.since}` : 'all leads';
  lines.push(`Funnel report: ${report.total} lead${report.total === 1 ? '' : 's'} (${scope})`, '');
  const section = (title: string, counts: Record<string, number>, labels: Record<string, string> = {}) => {
    lines.push(pad(title, 22) + padStart('leads', 7) + padStart('share', 9));
    for (const [key, count] of Object.entries(counts)) {
      lines.push(pad(`  ${labels[key] ?? key}`, 22) + padStart(String(count), 7) + padStart(percent(rate(count, report.total).rate), 9));
    }
    lines.push('');
  };
  section('Lifecycle', report.lifecycle);
  section('Qualification', report.qualification);
  section('Funnel stage', report.funnelStage, { none: '(none)' });
  lines.push(pad('PQL', 22) + padStart(String(report.pql), 7) + padStart(percent(rate(report.pql, report.total).rate), 9));
  lines.push(pad('Ever MQL', 22) + padStart(String(report.everMql), 7) + padStart(percent(rate(report.everMql, report.total).rate), 9), '');
  lines.push(pad('Conversion', 22) + padStart('of', 7) + padStart('rate', 9));
  const conversions: Array<[string, Rate]> = [
    ['  warm → mql', report.conversion.warmToMql],
    ['  mql → sql', report.conversion.mqlToSql],
    ['  qualified share', report.conversion.qualifiedShare],
  ];
  for (const [label, value] of conversions) {
    lines.push(pad(label, 22) + padStart(`${value.numerator}/${value.denominator}`, 7) + padStart(percent(value.rate), 9));
  }
  if (report.period) {
    const { from, to, created, mql, sql } = report.period;
    lines.push('', `From ${from} to ${to} (UTC days)`);
    for (const [label, count] of [
      ['  created', created],
      ['  became mql', mql],
      ['  became sql', sql],
    ] as const) {
      lines.push(pad(label, 22) + padStart(String(count), 7));
    }
  }
  return `${lines.join('\n')}\n`;
}

function rate(numerator: number, denominator: number): Rate {
  return { numerator, denominator, rate: denominator === 0 ? null : numerator / denominator };
}

function zeroes<K extends string>(names: readonly K[]): Record<K, number> {
  return Object.fromEntries(names.map((name) => [name, 0])) as Record<K, number>;
}

function percent(value: number | null): string {
  return value === null ? 'n/a' : `${(value * 100).toFixed(1)}%`;
}

function pad(text: string, width: number): string {
  return text.padEnd(width);
}

function padStart(text: string, width: number): string {
  return text.padStart(width);
}
