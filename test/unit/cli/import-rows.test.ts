import { describe, expect, it } from 'vitest';
import { prepareImport } from '../../../cli/commands/import-rows';
import { CsvTableError } from '../../../cli/csv/csv-table';

describe('prepareImport', () => {
  it('normalises addresses and trims fields like the capture forms do', () => {
    // Prepare
    const text = '\uFEFFcompany,email,lastName,firstName\r\n" ACME, Inc. ",  Ann.Lee@ACME.example ,Lee,Ann\r\n';

    // Act
    const prepared = prepareImport(text);

    // Assess
    expect(prepared.rejections).toEqual([]);
    expect(prepared.candidates).toEqual([
      { row: 2, email: 'ann.lee@acme.example', firstName: 'Ann', lastName: 'Lee', company: 'ACME, Inc.' },
    ]);
  });

  it('maps the headers of a German spreadsheet export, job title and phone included', () => {
    // Prepare: semicolons, as a German Excel writes them
    const text =
      'Vorname;Nachname;Firma;Position;Telefon;E-Mail;Notiz\nJana;Brandt;Brandt GmbH;Einkauf;+49 30 1234567;Jana@Brandt.example;x\n';

    // Act
    const prepared = prepareImport(text);

    // Assess
    expect(prepared.rejections).toEqual([]);
    expect(prepared.ignoredColumns).toEqual(['Notiz']);
    expect(prepared.candidates).toEqual([
      {
        row: 2,
        email: 'jana@brandt.example',
        firstName: 'Jana',
        lastName: 'Brandt',
        company: 'Brandt GmbH',
        jobTitle: 'Einkauf',
        phone: '+49 30 1234567',
      },
    ]);
  });

  it('rejects a phone number the contact form would reject, naming the field', () => {
    // Act
    const prepared = prepareImport('E-Mail,Telefon\nx@acme.example,call me\n');

    // Assess
    expect(prepared.candidates).toEqual([]);
    expect(prepared.rejections).toEqual([{ row: 2, email: 'x@acme.example', reason: expect.stringContaining('phone') }]);
  });

  it('leaves blank optional fields out', () => {
    // Act
    const prepared = prepareImport('email,firstName,lastName,company\nbob@acme.example,,,\n');

    // Assess
    expect(prepared.candidates).toEqual([{ row: 2, email: 'bob@acme.example' }]);
  });

  it('rejects rows with a reason and the spreadsheet row number', () => {
    // Prepare
    const text = [
      'email,firstName,company',
      'ok@acme.example,Ok,ACME',
      'not-an-address,X,Y',
      ',Nobody,Y',
      `long@acme.example,${'x'.repeat(101)},Y`,
      'ctrl@acme.example,"Line\nbreak",Y',
      'OK@ACME.example,Again,ACME',
      'short@acme.example,onlytwo',
      'ümlaut@acme.example,U,Y',
    ].join('\r\n');

    // Act
    const prepared = prepareImport(text);

    // Assess
    expect(prepared.candidates.map((c) => c.row)).toEqual([2]);
    expect(prepared.totalRows).toBe(8);
    expect(prepared.rejections).toEqual([
      { row: 3, email: 'not-an-address', reason: 'email must be a valid email address' },
      { row: 4, reason: 'email is required' },
      { row: 5, email: 'long@acme.example', reason: 'firstName must be at most 100 characters' },
      { row: 6, email: 'ctrl@acme.example', reason: 'firstName must not contain line breaks or control characters' },
      { row: 7, email: 'ok@acme.example', reason: 'duplicate in file: same address as row 2' },
      { row: 8, reason: 'has 2 fields, the header has 3' },
      { row: 9, email: 'ümlaut@acme.example', reason: 'email must be a valid email address' },
    ]);
  });

  it('fails the whole file when the email column is missing', () => {
    // Act
    const prepare = () => prepareImport('name,company\nAnn,ACME\n');

    // Assess
    expect(prepare).toThrow(CsvTableError);
    expect(prepare).toThrow(/required column email/);
  });

  it('lists columns it does not import', () => {
    // Act
    const prepared = prepareImport('email,Fax,Notes\na@acme.example,123,x\n');

    // Assess
    expect(prepared.ignoredColumns).toEqual(['Fax', 'Notes']);
    expect(prepared.candidates).toHaveLength(1);
  });
});
