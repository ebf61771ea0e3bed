import type { DayRange } from '../reporting/funnel-read-model';

/** The days the console's figures cover when it names none: the last 30, today (UTC) included. */
export const DEFAULT_REPORT_DAYS = 30;

/** The last `days` days up to the request's own day (UTC). */
export function lastDays(at: string, days = DEFAULT_REPORT_DAYS): DayRange {
  const to = at.slice(0, 10);
  const from = new Date(Date.parse(`${to}T00:00:00.000Z`) - (days - 1) * 86_400_000).toISOString().slice(0, 10);
  return { from, to };
}

/**
 * `?from=&to=` of GET /console/api/funnel, both YYYY-MM-DD: without `to`, up to today; without `from`, the 30 days up to
 * `to`. The read model (readFunnel) checks the dates and the range's length, with a 400 naming `from` or `to`.
 */
export function funnelRange(query: Record<string, string | undefined> = {}, at: string): DayRange {
  const given = (value: string | undefined) => (value === undefined || value === '' ? undefined : value);
  const to = given(query.to) ?? at.slice(0, 10);
  const from =
    given(query.from) ?? (/^\d{4}-\d{2}-\d{2}$/.test(to) && !Number.isNaN(Date.parse(to)) ? lastDays(to).from : lastDays(at).from);
  return { from, to };
}
