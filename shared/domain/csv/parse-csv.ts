/**
 * A small, pure RFC 4180 CSV parser. No I/O: text in, records out.
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
 */
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

export function parseCsv(text: string, options: { delimiter?: CsvDelimiter } = {}): CsvRecord[] {
  const delimiter = options.delimiter ?? ',';
  const input = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  if (input === '') return records;

  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let i = 0;
  const n = input.length;

  const endField = () => {
    fields.push(field);
    field = '';
  };
  const endRecord = () => {
    endField();
    records.push({ fields, line: recordLine });
    fields = [];
  };
  /** At a line break: consumes it (CRLF counts once) and returns true. */
  const consumeLineBreak = (): boolean => {
    const c = input[i];
    if (c === '\r') {
      i += input[i + 1] === '\n' ? 2 : 1;
      line += 1;
      return true;
    }
    if (c === '\n') {
      i += 1;
      line += 1;
      return true;
    }
    return false;
  };

  while (i < n) {
    // At the start of a field.
    if (input[i] === QUOTE) {
      const openedAt = line;
      i += 1;
      for (;;) {
        if (i >= n) throw new CsvSyntaxError('quoted field is never closed', openedAt);
        const c = input[i]!;
        if (c === QUOTE) {
          if (input[i + 1] === QUOTE) {
            field += QUOTE;
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        if (c === '\r' || c === '\n') {
          // Line breaks inside quotes are data; normalise nothing, but keep the line count right.
          if (c === '\r' && input[i + 1] === '\n') {
            field += '\r\n';
            i += 2;
          } else {
            field += c;
            i += 1;
          }
          line += 1;
          continue;
        }
        field += c;
        i += 1;
      }
      // After the closing quote: a delimiter, a line break or the end.
      if (i >= n) break;
      if (input[i] === delimiter) {
        i += 1;
        endField();
        if (i >= n) break; // trailing delimiter: one more empty field, added below
        continue;
      }
      const atLine = line;
      if (consumeLineBreak()) {
        endRecord();
        recordLine = line;
        if (i >= n) return records;
        continue;
      }
      throw new CsvSyntaxError(`unexpected ${describe(input[i]!)} after a closing quote`, atLine);
    }

    // An unquoted field: up to the next delimiter or line break.
    let ended = false;
    while (i < n) {
      const c = input[i]!;
      if (c === delimiter) {
        i += 1;
        endField();
        ended = true;
        break;
      }
      if (c === '\r' || c === '\n') {
        consumeLineBreak();
        endRecord();
        recordLine = line;
        if (i >= n) return records;
        ended = true;
        break;
      }
      if (c === QUOTE) throw new CsvSyntaxError('a quote inside an unquoted field: quote the whole field and double inner quotes', line);
      field += c;
      i += 1;
    }
    if (!ended) break;
    if (i >= n) break;
  }
  // End of input without a final line break (or right after a delimiter): close the last record.
  endRecord();
  return records;
}

function describe(c: string): string {
  return c === ' ' ? 'space' : `character ${JSON.stringify(c)}`;
}
