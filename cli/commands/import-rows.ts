/**
 * Turns the rows of an import file into valid, normalised leads, or rejections with a reason.
 * Pure: the field rules are the capture forms' own (shared/capture/form-schemas.ts), so an import
 * accepts exactly the addresses and names a form would.
 */
import * as z from 'zod/mini';
import { newsletterSchema } from '../../shared/capture/form-schemas';
import { readCsvTable } from '../csv/csv-table';
import { normalizeEmail } from '../../shared/security/lead-id';

export const IMPORT_COLUMNS = ['email', 'firstName', 'lastName', 'company'] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];

export interface ImportCandidate {
  row: number;
  email: string;
  firstName?: string;
  lastName?: string;
  company?: string;
}

export interface RowRejection {
  row: number;
  /** the address as written, if the row had one */
  email?: string;
  reason: string;
}

export interface PreparedImport {
  candidates: ImportCandidate[];
  rejections: RowRejection[];
  /** header columns that are not imported */
  ignoredColumns: string[];
  /** data rows in the file (blank lines not counted) */
  totalRows: number;
}

const rowSchema = z.pick(newsletterSchema, { email: true, firstName: true, lastName: true, company: true });

/** Parses and validates an import file; throws CsvTableError if the file as a whole is unusable. */
export function prepareImport(csvText: string): PreparedImport {
  const table = readCsvTable(csvText, { columns: IMPORT_COLUMNS, required: ['email'] });
  const rejections: RowRejection[] = table.problems.map((problem) => ({ row: problem.row, reason: problem.reason }));
  const candidates: ImportCandidate[] = [];
  const firstRowOf = new Map<string, number>();
  for (const { row, values } of table.rows) {
    const result = rowSchema.safeParse(values);
    if (!result.success) {
      const reasons = [...new Set(result.error.issues.map((issue) => issue.message))];
      rejections.push({ row, email: values.email.trim() || undefined, reason: reasons.join('; ') });
      continue;
    }
    const email = normalizeEmail(result.data.email);
    const earlier = firstRowOf.get(email);
    if (earlier !== undefined) {
      rejections.push({ row, email, reason: `duplicate in file: same address as row ${earlier}` });
      continue;
    }
    firstRowOf.set(email, row);
    candidates.push({
      row,
      email,
      ...(result.data.firstName !== undefined ? { firstName: result.data.firstName } : {}),
      ...(result.data.lastName !== undefined ? { lastName: result.data.lastName } : {}),
      ...(result.data.company !== undefined ? { company: result.data.company } : {}),
    });
  }
  rejections.sort((a, b) => a.row - b.row);
  return { candidates, rejections, ignoredColumns: table.ignoredColumns, totalRows: table.rows.length + table.problems.length };
}
