/**
 * A CSV file with a header row, read into named columns. Pure: text in, rows out.
 * Header names are matched loosely (case, spaces, `_` and `-` are ignored: "First Name",
 * "first_name" and "firstName" are the same column), so column order and spelling style do not matter.
 */
import { CsvSyntaxError, parseCsv, type CsvDelimiter } from './parse-csv';

export interface CsvTableRow<C extends string> {
  /** 1-based record number as a spreadsheet shows it: the header is row 1, the first data row is row 2 */
  row: number;
  /** 1-based line where the record starts */
  line: number;
  /** every known column; absent columns are '' */
  values: Record<C, string>;
}

export interface CsvTableProblem {
  row: number;
  line: number;
  reason: string;
}

export interface CsvTable<C extends string> {
  delimiter: CsvDelimiter;
  /** header names that match no known column, as written; their values are ignored */
  ignoredColumns: string[];
  rows: CsvTableRow<C>[];
  /** data rows that could not be mapped to the header (wrong number of fields) */
  problems: CsvTableProblem[];
}

/** The file is unusable as a whole: bad quoting, no header, a required column missing. */
export class CsvTableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CsvTableError';
  }
}

export function readCsvTable<C extends string>(
  text: string,
  spec: {
    columns: readonly C[];
    required: readonly C[];
    delimiter?: CsvDelimiter;
    /** other header names for a column (matched as loosely as the column names): "Vorname" → firstName */
    aliases?: Readonly<Record<string, C>>;
  },
): CsvTable<C> {
  const delimiter = spec.delimiter ?? detectDelimiter(text);
  let records: ReturnType<typeof parseCsv>;
  try {
    records = parseCsv(text, { delimiter });
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new CsvTableError(`Malformed CSV at ${error.message}`);
    throw error;
  }
  const headerIndex = records.findIndex((record) => !isBlank(record.fields));
  if (headerIndex < 0) {
    throw new CsvTableError(`The file is empty: a header row naming the columns (${spec.columns.join(', ')}) is required`);
  }
  const header = records[headerIndex]!;

  const byKey = new Map<string, C>([
    ...spec.columns.map((column): [string, C] => [columnKey(column), column]),
    ...Object.entries(spec.aliases ?? {}).map(([alias, column]): [string, C] => [columnKey(alias), column]),
  ]);
  const positions = new Map<C, number>();
  const ignoredColumns: string[] = [];
  header.fields.forEach((name, index) => {
    const column = byKey.get(columnKey(name));
    if (column === undefined) {
      if (name.trim() !== '') ignoredColumns.push(name.trim());
      return;
    }
    if (positions.has(column)) throw new CsvTableError(`The header names the column ${column} twice`);
    positions.set(column, index);
  });
  const missing = spec.required.filter((column) => !positions.has(column));
  if (missing.length > 0) {
    throw new CsvTableError(
      `The header row lacks the required column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ` +
        `(found: ${header.fields.map((f) => f.trim()).join(', ') || 'nothing'}; a header row is required)`,
    );
  }

  const rows: CsvTableRow<C>[] = [];
  const problems: CsvTableProblem[] = [];
  records.forEach((record, index) => {
    if (index <= headerIndex || isBlank(record.fields)) return;
    const row = index + 1;
    if (record.fields.length !== header.fields.length) {
      problems.push({ row, line: record.line, reason: `has ${record.fields.length} fields, the header has ${header.fields.length}` });
      return;
    }
    const values = {} as Record<C, string>;
    for (const column of spec.columns) {
      const position = positions.get(column);
      values[column] = position === undefined ? '' : (record.fields[position] ?? '');
    }
    rows.push({ row, line: record.line, values });
  });
  return { delimiter, ignoredColumns, rows, problems };
}

/** The delimiter that occurs most often, outside quotes, in the first line: `,` unless `;` or tab win. */
export function detectDelimiter(text: string): CsvDelimiter {
  const counts: Record<CsvDelimiter, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const c of text.startsWith('\uFEFF') ? text.slice(1) : text) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && c in counts) counts[c as CsvDelimiter] += 1;
  }
  if (counts[';'] > counts[','] && counts[';'] >= counts['\t']) return ';';
  if (counts['\t'] > counts[','] && counts['\t'] > counts[';']) return '\t';
  return ',';
}

function columnKey(name: string): string {
  return name.toLowerCase().replace(/[\s_-]+/g, '');
}

function isBlank(fields: string[]): boolean {
  return fields.every((field) => field.trim() === '');
}
