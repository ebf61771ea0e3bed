import { ValidationError } from '../../shared/http/http-errors';
import { type FunnelReport, formatFunnelReport, reportFromTotals } from '../../shared/reporting/funnel-report';
import { datesOf } from '../../shared/reporting/funnel-read-model';
import { CliError } from '../cli-error';
import type { CommandContext } from '../context';

/** `--since` accepts a date (2024-05-01, read as UTC midnight) or an ISO date-time. */
export function parseSince(value: string): string {
  const ms = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw new CliError(`--since must be a date such as 2024-05-01 or an ISO date-time, got ${JSON.stringify(value)}`);
  return new Date(ms).toISOString();
}

/**
 * `leadpipe report funnel [--since <date>] [--rebuild] [--json]`: lead counts per lifecycle, qualification and funnel
 * stage, PQLs and conversion rates over all leads, and with --since the leads created, MQLs and SQLs from that day to
 * today. Reads the funnel projection the console reads (the totals item plus one item per day), never the leads;
 * --rebuild first rebuilds the projection from the leads with one Scan (once, for an installation that had leads
 * before the projection existed; running it again writes the same).
 */
export async function reportFunnel(
  ctx: CommandContext,
  input: { since?: string; json: boolean; rebuild?: boolean },
): Promise<FunnelReport> {
  const today = ctx.now().toISOString().slice(0, 10);
  const from = input.since === undefined ? undefined : parseSince(input.since).slice(0, 10);
  let dates: string[] = [];
  if (from !== undefined) {
    try {
      dates = datesOf({ from, to: today });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      throw new CliError(`--since ${from}: the period up to today (${today}) ${error.fields.to ?? error.fields.from}`);
    }
  }
  if (input.rebuild) {
    const { rebuildFunnelProjection } = await import('../../shared/storage/funnel-projection-rebuild');
    let lastReported = 0;
    const summary = await rebuildFunnelProjection(ctx.tableName, {
      onProgress: (scanned) => {
        if (scanned - lastReported >= 10_000) {
          lastReported = scanned;
          ctx.err.write(`scanned ${scanned} items\n`);
        }
      },
    });
    ctx.err.write(
      `rebuilt the funnel projection from ${summary.leads} leads: ${summary.items} items written, ${summary.deleted} deleted, ` +
        `createdDay set on ${summary.createdDaySet} leads, ${summary.queued} undecided MQLs put in the sales queue\n`,
    );
  }
  const { dynamoFunnelProjectionStore } = await import('../../shared/storage/dynamo-funnel-projection-store');
  const store = dynamoFunnelProjectionStore(ctx.tableName);
  const { days, totals } = await store.readFunnelDaysAndTotals(dates);
  const period =
    from === undefined
      ? null
      : {
          from,
          to: today,
          created: days.reduce((sum, day) => sum + day.created, 0),
          mql: days.reduce((sum, day) => sum + day.mql, 0),
          sql: days.reduce((sum, day) => sum + day.sql, 0),
        };
  const report = reportFromTotals(totals, period);
  ctx.out.write(input.json ? `${JSON.stringify(report, null, 2)}\n` : formatFunnelReport(report));
  return report;
}
