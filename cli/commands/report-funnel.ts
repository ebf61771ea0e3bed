import { buildFunnelReport, formatFunnelReport, type FunnelReport } from '../../shared/reporting/funnel-report';
import { CliError } from '../cli-error';
import type { CommandContext } from '../context';

/** `--since` accepts a date (2024-05-01, read as UTC midnight) or an ISO date-time. */
export function parseSince(value: string): string {
  const ms = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw new CliError(`--since must be a date such as 2024-05-01 or an ISO date-time, got ${JSON.stringify(value)}`);
  return new Date(ms).toISOString();
}

/**
 * `leadpipe report funnel [--since <date>] [--json]`: lead counts per lifecycle, qualification and
 * funnel stage, PQLs and conversion rates, over all leads or those created since a date. Reads the
 * profiles with a parallel Scan (an operator report may scan; see shared/storage/scan-leads.ts).
 */
export async function reportFunnel(ctx: CommandContext, input: { since?: string; json: boolean }): Promise<FunnelReport> {
  const since = input.since === undefined ? undefined : parseSince(input.since);
  const { scanLeadProfiles } = await import('../../shared/storage/scan-leads');
  let lastReported = 0;
  const leads = await scanLeadProfiles(ctx.tableName, {
    fields: ['lifecycle', 'qualification', 'funnelStage', 'pql', 'createdAt', 'mqlAt', 'qualificationSeq'],
    onProgress: (scanned) => {
      if (scanned - lastReported >= 1000) {
        lastReported = scanned;
        ctx.err.write(`scanned ${scanned} leads\n`);
      }
    },
  });
  const report = buildFunnelReport(leads, since === undefined ? {} : { since });
  ctx.out.write(input.json ? `${JSON.stringify(report, null, 2)}\n` : formatFunnelReport(report));
  return report;
}
