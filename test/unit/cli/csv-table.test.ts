import { describe, expect, it } from 'vitest';
import { CsvTableError, detectDelimiter, readCsvTable } from '../../../cli/csv/csv-table';

const spec = { columns: ['email', 'firstName', 'lastName', 'company'] as const, required: ['email'] as const };

describe('readCsvTable', () => {
  it('maps fields to columns by header name, in any order and spelling', () => {
    // Prepare
    const text = 'Company;E-Mail;first_name\r\nACME;a@acme.example;Ann\r\n';

    // Act
    const table = readCsvTable(text, spec);

    // Assess
    expect(table.delimiter).toBe(';');
    expect(table.rows).toEqual([{ row: 2, line: 2, values: { email: 'a@acme.example', firstName: 'Ann', lastName: '', company: 'ACME' } }]);
  });

  it('numbers rows as a spreadsheet does and skips blank lines (also blank rows of delimiters)', () => {
    // Prepare
    const text = 'email\r\na@x.example\r\n\r\n"b@x.example"\r\n , \r\nc@x.example,extra\r\n';

    // Act
    const table = readCsvTable(`${text}`, { columns: ['email'] as const, required: ['email'] as const });

    // Assess
    expect(table.rows.map((r) => [r.row, r.values.email])).toEqual([
      [2, 'a@x.example'],
      [4, 'b@x.example'],
    ]);
    expect(table.problems).toEqual([{ row: 6, line: 6, reason: 'has 2 fields, the header has 1' }]);
  });

  it('reports rows with the wrong number of fields and lists unknown columns', () => {
    // Prepare
    const text = 'email,company,notes\na@x.example,ACME,hi\nb@x.example,ACME\n';

    // Act
    const table = readCsvTable(text, spec);

    // Assess
    expect(table.ignoredColumns).toEqual(['notes']);
    expect(table.rows).toHaveLength(1);
    expect(table.problems).toEqual([{ row: 3, line: 3, reason: 'has 2 fields, the header has 3' }]);
  });

  it.each([
    ['an empty file', '', /empty/],
    ['a header without the required column', 'name,company\r\nx,y\r\n', /lacks the required column email/],
    ['a column named twice', 'email,Email\r\n', /names the column email twice/],
    ['malformed quoting', 'email\r\n"a@x.example\r\n', /Malformed CSV at line 2/],
  ])('rejects %s', (_label, text, message) => {
    // Act
    const read = () => readCsvTable(text, spec);

    // Assess
    expect(read).toThrow(CsvTableError);
    expect(read).toThrow(message);
  });
});

describe('detectDelimiter', () => {
  it.each([
    ['email,firstName\n', ','],
    ['email;firstName;company\n', ';'],
    ['email\tfirstName\n', '\t'],
    ['"a;b;c",d\n', ','],
    ['email\n', ','],
  ])('picks the delimiter of %j', (text, expected) => {
    // Act
    const delimiter = detectDelimiter(text);

    // Assess
    expect(delimiter).toBe(expected);
  });
});
