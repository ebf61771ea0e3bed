import { classifyForStorage } from '../../shared/classification/classification-window';
import { defaultScoringConfig } from '../../shared/domain/classification';
import { CsvTableError } from '../csv/csv-table';
import { leadIdFor } from '../../shared/security/lead-id';
import type { ClassifyImported, ImportOutcome } from '../../shared/storage/import-leads';
import { CliError, readOperatorFile } from '../cli-error';
import type { CommandContext } from '../context';
import { prepareImport, type PreparedImport, type RowRejection } from './import-rows';

export interface ImportSummary {
  created: number;
  updated: number;
  unchanged: number;
  rejected: RowRejection[];
}

/** Reads and validates the file; needs no target, so a bad file fails before anything is touched. */
export async function readImportFile(file: string): Promise<PreparedImport> {
  const text = await readOperatorFile(file);
  try {
    return prepareImport(text);
  } catch (error) {
    if (error instanceof CsvTableError) throw new CliError(`${file}: ${error.message}`);
    throw error;
  }
}

/**
 * `leadpipe import <file.csv>`: creates COLD leads (no consent, no interactions, source "import")
 * from a CSV with the columns email, firstName, lastName, company. Idempotent: rows whose lead
 * already holds the same data are reported unchanged. Existing cold leads may get a new name or
 * company; warm (or further) leads are never touched. The creation time is the CLI's clock, read
 * once at the start, so every lead of one import has the same createdAt.
 */
export async function importCsv(ctx: CommandContext, input: { file: string } | { prepared: PreparedImport }): Promise<ImportSummary> {
  const at = ctx.now().toISOString();
  const prepared = 'prepared' in input ? input.prepared : await readImportFile(input.file);
  if (prepared.ignoredColumns.length > 0)
    ctx.err.write(`note: ignoring column${prepared.ignoredColumns.length > 1 ? 's' : ''} ${prepared.ignoredColumns.join(', ')}\n`);

  const { importLeads } = await import('../../shared/storage/import-leads');
  const rows = prepared.candidates.map((candidate) => ({ ...candidate, leadId: leadIdFor(candidate.email, ctx.leadIdKey) }));
  // Rows of the file, not leads: rows rejected while reading the file are done before the first write.
  const rejectedInFile = prepared.rejections.length;
  const outcomes = await importLeads(ctx.tableName, rows, at, {
    onProgress: (done) => ctx.err.write(`rows ${rejectedInFile + done}/${prepared.totalRows}\n`),
    classify: classifyAtImport,
  });
  const summary = summarise(prepared.rejections, outcomes);
  ctx.out.write(formatSummary(summary, prepared.totalRows));
  return summary;
}

/**
 * An imported lead's classification under config/scoring-rules.json: the same pure classification the
 * functions and `rescore` use, over no interactions (an imported lead has none), so its fit score (business
 * email, company) is what a later rescore under the same rules computes, and that rescore changes nothing.
 */
export const classifyAtImport: ClassifyImported = ({ email, company, createdAt }) => {
  const { lifecycle: _cold, ...classification } = classifyForStorage({
    lead: { email, ...(company !== undefined ? { company } : {}), lifecycle: 'cold', createdAt },
    interactions: [],
    config: defaultScoringConfig,
    now: createdAt,
  });
  return classification;
};

function summarise(fileRejections: RowRejection[], outcomes: ImportOutcome[]): ImportSummary {
  const summary: ImportSummary = { created: 0, updated: 0, unchanged: 0, rejected: [...fileRejections] };
  for (const outcome of outcomes) {
    if (outcome.result === 'rejected') summary.rejected.push({ row: outcome.row, email: outcome.email, reason: outcome.reason });
    else summary[outcome.result] += 1;
  }
  summary.rejected.sort((a, b) => a.row - b.row);
  return summary;
}

function formatSummary(summary: ImportSummary, totalRows: number): string {
  const lines = [
    `${totalRows} row${totalRows === 1 ? '' : 's'}: created ${summary.created}, updated ${summary.updated}, ` +
      `unchanged ${summary.unchanged}, rejected ${summary.rejected.length}`,
  ];
  for (const rejection of summary.rejected) {
    lines.push(`  row ${rejection.row}${rejection.email ? ` (${printable(rejection.email)})` : ''}: ${rejection.reason}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Rejected cells may hold control characters (that is often why they were rejected): never echo them raw. */
function printable(text: string): string {
  const clipped = text.length > 80 ? `${text.slice(0, 80)}…` : text;
  return /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/.test(clipped) ? JSON.stringify(clipped) : clipped;
}
