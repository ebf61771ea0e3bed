/**
 * Turns the rows of an import file into valid, normalised leads, or rejections with a reason.
 * Pure: the field rules are the capture forms' own (shared/capture/form-schemas.ts), so an import
 * accepts exactly the addresses and names a form would.
 */
import * as z from 'zod/mini';
import { contactSchema, newsletterSchema } from '../../shared/capture/form-schemas';
import { readCsvTable } from '../csv/csv-table';
import { normalizeEmail } from '../../shared/security/lead-id';

export const IMPORT_COLUMNS = ['email', 'firstName', 'lastName', 'company', 'jobTitle', 'phone'] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];

/**
 * Header names a German (or English) spreadsheet export uses for the same columns. Matched like the column
 * names: case, spaces, `_` and `-` ignored, so "E-Mail" is already email and "Vorname" here is also "VORNAME".
 */
export const IMPORT_COLUMN_ALIASES: Readonly<Record<string, ImportColumn>> = {
  'E-Mail-Adresse': 'email',
  Mail: 'email',
  Vorname: 'firstName',
  'First Name': 'firstName',
  Nachname: 'lastName',
  'Last Name': 'lastName',
  Firma: 'company',
  Unternehmen: 'company',
  Position: 'jobTitle',
  Funktion: 'jobTitle',
  'Job Title': 'jobTitle',
  Telefon: 'phone',
  Telefonnummer: 'phone',
  Phone: 'phone',
  Telephone: 'phone',
};

export interface ImportCandidate {
  row: number;
  email: string;
  firstName?: string;
  lastName?: string;
  company?: string;
  jobTitle?: string;
  phone?: string;
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

const rowSchema = z.extend(z.pick(newsletterSchema, { email: true, firstName: true, lastName: true, company: true, jobTitle: true }), {
  phone: contactSchema.shape.phone,
});

/** Parses and validates an import file; throws CsvTableError if the file as a whole is unusable. */
export function prepareImport(csvText: string): PreparedImport {
  const table = readCsvTable(csvText, { columns: IMPORT_COLUMNS, required: ['email'], aliases: IMPORT_COLUMN_ALIASES });
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
      ...(result.data.jobTitle !== undefined ? { jobTitle: result.data.jobTitle } : {}),
      ...(result.data.phone !== undefined ? { phone: result.data.phone } : {}),
    });
  }
  rejections.sort((a, b) => a.row - b.row);
  return { candidates, rejections, ignoredColumns: table.ignoredColumns, totalRows: table.rows.length + table.problems.length };
}
