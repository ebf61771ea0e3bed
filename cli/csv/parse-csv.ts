/**
 * RFC 4180 CSV through csv-parse, with the line numbers and messages the import has always shown.
 * Pure: text in, records out.
 *
 * What it accepts beyond the letter of RFC 4180 (because spreadsheets produce it):
 * - a leading byte-order mark (Excel's "CSV UTF-8") is dropped;
 * - records may end in CRLF (the RFC), LF or a lone CR;
 * - the delimiter may be `;` or a tab instead of `,` (German Excel writes `;`);
 * - a final line break after the last record is optional.
 *
 * What it rejects, with the line number, because guessing would silently shift columns:
 * - a quote inside an unquoted field (`ab"c`): the whole field must be quoted;
 * - anything but a delimiter or line break after a closing quote (`"ab"c`);
 * - a quoted field that is never closed.
 *
 * Fields are returned exactly as written (no trimming); an empty line is a record with one empty field.
 *
 * Line numbers are counted here, not taken from csv-parse: its `info.lines` counts a CRLF inside a
 * quoted field twice and reports an unclosed quote at the end of the file. Record boundaries come
 * from csv-parse's byte offset after each record (`info.bytes`), error positions from the raw text
 * of the failing record.
 */
import { CsvError, parse, type InfoRecord, type Options } from 'csv-parse/sync';

export type CsvDelimiter = ',' | ';' | '\t';

export interface CsvRecord {
  /** the fields, unquoted and unescaped */
  fields: string[];
  /** 1-based line of the file where the record starts (records may span lines inside quotes) */
  line: number;
}

export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'CsvSyntaxError';
  }
}

const QUOTE = '"';
const CR = 0x0d;
const LF = 0x0a;

export function parseCsv(text: string, options: { delimiter?: CsvDelimiter } = {}): CsvRecord[] {
  const lines = new LineCounter(Buffer.from(text, 'utf8'));
  /** byte offset where the record being read starts: the end of the one before */
  let recordStart = 0;
  const parseOptions = {
    bom: true,
    delimiter: options.delimiter ?? ',',
    // Mixed line ends are read as they come; CRLF first, so it counts as one break.
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_column_count: true,
    skip_empty_lines: false,
    // Only for errors: the text of the failing record as far as it was read.
    raw: true,
    on_record: ({ record }: { record: string[] }, info: InfoRecord): CsvRecord => {
      const line = lines.lineAt(recordStart);
      recordStart = info.bytes;
      return { fields: record, line };
    },
  } satisfies Options<CsvRecord, { record: string[] }>;
  try {
    // csv-parse's types know neither `raw` (records arrive as { record, raw }) nor an on_record that reshapes them.
    return parse(text, parseOptions as unknown as Options) as unknown as CsvRecord[];
  } catch (error) {
    if (error instanceof CsvError) throw syntaxError(error, { text, lines, recordStart });
    throw error;
  }
}

/** Maps a csv-parse error to the message and the line of the offending character, as users know them. */
function syntaxError(error: CsvError, at: { text: string; lines: LineCounter; recordStart: number }): CsvSyntaxError {
  const recordLine = at.lines.lineAt(at.recordStart);
  // The failing record's text as far as csv-parse read it, from the record's start (after a byte-order mark).
  const raw = typeof error.raw === 'string' ? error.raw : '';
  const lineWithin = (offset: number) => recordLine + lineBreaks(raw.slice(0, offset));
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return new CsvSyntaxError('quoted field is never closed', lineWithin(unclosedQuoteAt(raw)));
    case 'INVALID_OPENING_QUOTE':
      return new CsvSyntaxError('a quote inside an unquoted field: quote the whole field and double inner quotes', lineWithin(raw.length));
    case 'CSV_INVALID_CLOSING_QUOTE': {
      // `raw` ends with the closing quote; the character csv-parse stumbled on comes next. Its message
      // shows that character's first byte only, so it is read from the text.
      const startChar = at.recordStart === 0 ? (at.text.startsWith('\uFEFF') ? 1 : 0) : at.lines.charsBefore(at.recordStart);
      const found = String.fromCodePoint(at.text.codePointAt(startChar + raw.length) ?? 0xfffd);
      return new CsvSyntaxError(`unexpected ${describe(found)} after a closing quote`, lineWithin(raw.length));
    }
    default:
      return new CsvSyntaxError(error.message.replace(/ at line \d+.*$/su, ''), recordLine);
  }
}

/** Where the quote that opened the still-open field sits in a record's raw text. */
function unclosedQuoteAt(raw: string): number {
  let opened = 0;
  let quoted = false;
  for (let i = 0; i < raw.length; i += 1) {
    if (raw[i] !== QUOTE) continue;
    if (!quoted) {
      quoted = true;
      opened = i;
    } else if (raw[i + 1] === QUOTE) {
      i += 1;
    } else {
      quoted = false;
    }
  }
  return opened;
}

function lineBreaks(text: string): number {
  return text.match(/\r\n|\r|\n/g)?.length ?? 0;
}

function describe(c: string): string {
  return c === ' ' ? 'space' : `character ${JSON.stringify(c)}`;
}

/** 1-based line at a byte offset; offsets are asked in increasing order, so the whole file is scanned once. */
class LineCounter {
  private offset = 0;
  private line = 1;

  constructor(private readonly bytes: Buffer) {}

  /** How many UTF-16 characters the first `byteOffset` bytes decode to. */
  charsBefore(byteOffset: number): number {
    return this.bytes.subarray(0, byteOffset).toString('utf8').length;
  }

  lineAt(target: number): number {
    if (target < this.offset) {
      this.offset = 0;
      this.line = 1;
    }
    for (; this.offset < target; this.offset += 1) {
      const byte = this.bytes[this.offset];
      // A CR followed by LF is one break, counted at the LF. UTF-8 never uses these bytes inside a character.
      if (byte === LF || (byte === CR && this.bytes[this.offset + 1] !== LF)) this.line += 1;
    }
    return this.line;
  }
}
