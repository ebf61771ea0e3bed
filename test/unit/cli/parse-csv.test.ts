import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, parseCsv } from '../../../cli/csv/parse-csv';

const fields = (text: string, delimiter?: ',' | ';' | '\t') =>
  parseCsv(text, delimiter ? { delimiter } : {}).map((record) => record.fields);

describe('parseCsv', () => {
  it('splits records on CRLF and fields on commas', () => {
    // Prepare
    const text = 'a,b,c\r\n1,2,3\r\n';

    // Act
    const records = fields(text);

    // Assess
    expect(records).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
    ]);
  });

  it('accepts LF and lone CR line ends and a missing final line break', () => {
    // Prepare
    const text = 'a,b\n1,2\r3,4';

    // Act
    const records = fields(text);

    // Assess
    expect(records).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
    ]);
  });

  it('drops a leading byte-order mark', () => {
    // Prepare
    const text = '\uFEFFemail,company\r\nx@y.example,ACME\r\n';

    // Act
    const records = fields(text);

    // Assess
    expect(records[0]).toEqual(['email', 'company']);
  });

  it('unquotes fields holding commas, doubled quotes and line breaks, and counts lines across them', () => {
    // Prepare
    const text = 'name,company\r\n"Doe, Jane","ACME ""Best"" GmbH"\r\n"multi\r\nline",x\r\nlast,row\r\n';

    // Act
    const records = parseCsv(text);

    // Assess
    expect(records.map((r) => r.fields)).toEqual([
      ['name', 'company'],
      ['Doe, Jane', 'ACME "Best" GmbH'],
      ['multi\r\nline', 'x'],
      ['last', 'row'],
    ]);
    expect(records.map((r) => r.line)).toEqual([1, 2, 3, 5]);
  });

  it('keeps empty fields, including after a trailing delimiter and in an empty quoted field', () => {
    // Prepare
    const text = 'a,,c,\r\n"",b,"",\r\n';

    // Act
    const records = fields(text);

    // Assess
    expect(records).toEqual([
      ['a', '', 'c', ''],
      ['', 'b', '', ''],
    ]);
  });

  it('reads an empty line as one empty field and an empty text as no records', () => {
    // Act
    const blankLine = fields('a\r\n\r\nb\r\n');
    const empty = fields('');

    // Assess
    expect(blankLine).toEqual([['a'], [''], ['b']]);
    expect(empty).toEqual([]);
  });

  it('splits on a semicolon or tab when told to', () => {
    // Act
    const semicolon = fields('a;"b;c";d,e\r\n', ';');
    const tab = fields('a\tb,c\r\n', '\t');

    // Assess
    expect(semicolon).toEqual([['a', 'b;c', 'd,e']]);
    expect(tab).toEqual([['a', 'b,c']]);
  });

  it('keeps spaces around fields as written', () => {
    // Act
    const records = fields(' a , b \r\n');

    // Assess
    expect(records).toEqual([[' a ', ' b ']]);
  });

  it.each([
    ['a quoted field that is never closed', 'a,b\r\n"open,x\r\ny,z\r\n', 2, /never closed/],
    ['a quote inside an unquoted field', 'a,b\r\nab"c,d\r\n', 2, /quote inside an unquoted field/],
    ['text after a closing quote', 'a,b\r\nx,"ab"c\r\n', 2, /after a closing quote/],
    ['a space after a closing quote', 'a\r\nb\r\n"x" ,y\r\n', 3, /space after a closing quote/],
    // CRLF inside quotes is one line break, whatever the parser underneath counts
    ['a bad quote after a multi-line field', 'a,b\r\n"x\r\ny",z\r\nab"c,d\r\n', 4, /quote inside an unquoted field/],
    ['a bad quote on the second line of a record', 'a,b\r\n"x\r\ny",b"c\r\n', 3, /quote inside an unquoted field/],
    ['a quote left open after a multi-line field of its record', 'a,b\r\n"x\r\ny","open\r\nz\r\n', 3, /never closed/],
    ['text after a closing quote behind a byte-order mark', '\uFEFF"ab"c,d\r\n', 1, /unexpected character "c" after a closing quote/],
    ['an emoji after a closing quote, named whole', 'a\n"ab"😀\n', 2, /unexpected character "😀" after a closing quote/],
  ])('rejects %s with its line number', (_label, text, line, message) => {
    // Act
    const parse = () => parseCsv(text);

    // Assess
    expect(parse).toThrow(CsvSyntaxError);
    expect(parse).toThrow(message);
    try {
      parse();
    } catch (error) {
      expect((error as CsvSyntaxError).line).toBe(line);
    }
  });

  it('reads back any table written with RFC 4180 quoting (property)', () => {
    // Prepare
    const cell = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', ',', ';', '"', '\r', '\n', 'ä', '\t', '€'), maxLength: 8 });
    const table = fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 6 });
    const write = (rows: string[][]) => rows.map((row) => row.map((f) => `"${f.replace(/"/g, '""')}"`).join(',')).join('\r\n');

    // Act + Assess
    fc.assert(
      fc.property(table, fc.boolean(), (rows, finalBreak) => {
        const parsed = fields(write(rows) + (finalBreak ? '\r\n' : ''));
        expect(parsed).toEqual(rows);
      }),
    );
  });

  it('reads back unquoted tables whatever the line ends (property)', () => {
    // Prepare
    const cell = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '-', 'ü', '@', '.'), maxLength: 6 });
    const table = fc.array(fc.array(cell, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 6 });
    const lineEnd = fc.constantFrom('\r\n', '\n', '\r');

    // Act + Assess
    fc.assert(
      fc.property(table, lineEnd, (rows, end) => {
        const parsed = fields(rows.map((row) => row.join(',')).join(end) + end);
        expect(parsed).toEqual(rows);
      }),
    );
  });
});
