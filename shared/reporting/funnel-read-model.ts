/**
 * The console's read use cases over the funnel projection (funnel-projection-store.ts). Each request reads the day items
 * of its range plus the totals item by key: the cost follows the number of days asked for, never the number of leads.
 *
 * Stages now (lifecycle, funnel stage) and conversion come from the totals item: conversion counts what a lead ever
 * reached, as the funnel report always has (a recycled MQL still counts for warm → mql). `daily` and `sources` cover the
 * range: leads created, MQLs and SQLs per day, and per utm_source of the lead's first touch.
 */
import type { FunnelStage, Lifecycle } from '../domain/lead';
import { ValidationError } from '../http/http-errors';
import { EMAIL_COUNTERS, type EmailCounts, type FunnelProjectionReader, type FunnelTotals } from './funnel-projection-store';

/** The longest range one request may ask for: a year, leap day included. */
export const MAX_RANGE_DAYS = 366;

export interface DayRange {
  /** YYYY-MM-DD (UTC), inclusive */
  from: string;
  /** YYYY-MM-DD (UTC), inclusive */
  to: string;
}

export interface Rate {
  numerator: number;
  denominator: number;
  /** numerator / denominator, or null when the denominator is 0 */
  rate: number | null;
}

export interface FunnelConversion {
  /** leads that ever reached mql, of those that ever reached warm or beyond */
  warmToMql: Rate;
  /** sql leads, of those that ever reached mql */
  mqlToSql: Rate;
  /** qualified leads, of all leads */
  qualifiedShare: Rate;
}

export interface FunnelDailyRow {
  date: string;
  created: number;
  mql: number;
  sql: number;
}

export interface FunnelSourceRow {
  /** "(none)" for leads whose first touch carried no utm_source, "(other)" for sources beyond a day's bound */
  utm_source: string;
  leads: number;
  mql: number;
}

/** The body of GET /console/api/funnel. */
export interface FunnelView {
  lifecycle: Record<Lifecycle, number>;
  funnelStage: Record<FunnelStage | 'none', number>;
  conversion: FunnelConversion;
  /** one row per day of the range, oldest first, zeros included */
  daily: FunnelDailyRow[];
  /** most leads first, then most MQLs, then by name */
  sources: FunnelSourceRow[];
}

/** Per template id: how its mail did in the range. Templates without mail in the range are absent. */
export type EmailPerformance = Record<string, EmailCounts>;

/** The dashboard: stages now, conversion, and the range's days and sources. Reads (days in range + 1) items. */
export async function readFunnel(store: FunnelProjectionReader, range: DayRange): Promise<FunnelView> {
  const dates = datesOf(range);
  const { days, totals } = await store.readFunnelDaysAndTotals(dates);
  const byDate = new Map(days.map((day) => [day.date, day]));
  const sources = new Map<string, FunnelSourceRow>();
  for (const day of days) {
    for (const [source, counts] of Object.entries(day.bySource)) {
      const row = sources.get(source) ?? { utm_source: source, leads: 0, mql: 0 };
      row.leads += counts.leads;
      row.mql += counts.mql;
      sources.set(source, row);
    }
  }
  return {
    lifecycle: { ...totals.lifecycle },
    funnelStage: { ...totals.funnelStage },
    conversion: conversionOf(totals),
    daily: dates.map((date) => {
      const day = byDate.get(date);
      return { date, created: day?.created ?? 0, mql: day?.mql ?? 0, sql: day?.sql ?? 0 };
    }),
    sources: [...sources.values()]
      .filter((row) => row.leads !== 0 || row.mql !== 0)
      .sort((a, b) => b.leads - a.leads || b.mql - a.mql || a.utm_source.localeCompare(b.utm_source)),
  };
}

/** Per template: sent, opened, clicked, bounced, complained and unsubscribed in the range. Reads (days in range) items. */
export async function readEmailPerformance(store: FunnelProjectionReader, range: DayRange): Promise<EmailPerformance> {
  const days = await store.readEmailDays(datesOf(range));
  const performance: EmailPerformance = {};
  for (const day of days) {
    for (const [templateId, counts] of Object.entries(day.byTemplate)) {
      const sum = performance[templateId] ?? zeroEmailCounts();
      for (const counter of EMAIL_COUNTERS) sum[counter] += counts[counter];
      performance[templateId] = sum;
    }
  }
  return performance;
}

export function conversionOf(totals: FunnelTotals): FunnelConversion {
  return {
    warmToMql: rate(totals.everMql, totals.reachedWarm),
    mqlToSql: rate(totals.lifecycle.sql, totals.everMql),
    qualifiedShare: rate(totals.qualification.qualified, totals.total),
  };
}

export function rate(numerator: number, denominator: number): Rate {
  return { numerator, denominator, rate: denominator === 0 ? null : numerator / denominator };
}

export function zeroEmailCounts(): EmailCounts {
  return { sent: 0, opened: 0, clicked: 0, bounced: 0, complained: 0, unsubscribed: 0 };
}

const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/**
 * The dates of a range, oldest first. A bad date or a range that is reversed or longer than MAX_RANGE_DAYS is a
 * ValidationError naming the field (400 on the console API).
 */
export function datesOf(range: DayRange): string[] {
  const from = dayMs(range.from);
  const to = dayMs(range.to);
  const problems: Record<string, string> = {};
  if (from === undefined) problems.from = 'must be a date YYYY-MM-DD';
  if (to === undefined) problems.to = 'must be a date YYYY-MM-DD';
  if (from !== undefined && to !== undefined) {
    if (to < from) problems.to = 'must not be before from';
    else if ((to - from) / DAY_MS + 1 > MAX_RANGE_DAYS) problems.to = `must be at most ${MAX_RANGE_DAYS} days after from, from included`;
  }
  if (Object.keys(problems).length > 0) throw new ValidationError(problems);
  const dates: string[] = [];
  for (let ms = from!; ms <= to!; ms += DAY_MS) dates.push(new Date(ms).toISOString().slice(0, 10));
  return dates;
}

/** A real calendar day (2026-02-30 is not one), as UTC midnight epoch ms. */
function dayMs(value: unknown): number | undefined {
  if (typeof value !== 'string' || !DAY_PATTERN.test(value)) return undefined;
  const ms = Date.parse(`${value}T00:00:00.000Z`);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value) return undefined;
  return ms;
}
