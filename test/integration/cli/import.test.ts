import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCsv } from '../../../cli/commands/import';
import { uniqueEmail, type TestStack, startTestStack } from '../../support/test-stack';
import { contextFor, getItem, leadIdOf, partitionItems, tempDir, writeTemp } from './cli-kit';

const IMPORT_TIME = new Date('2030-03-04T05:06:07.000Z');

describe('leadpipe import', () => {
  let stack: TestStack;
  let dir: string;
  beforeAll(async () => {
    stack = await startTestStack();
    dir = tempDir();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const importFile = async (name: string, csv: string) => {
    const context = contextFor(stack, { now: () => IMPORT_TIME });
    const summary = await importCsv(context.ctx, { file: writeTemp(dir, name, csv) });
    return { summary, out: context.out(), err: context.err() };
  };

  it('creates cold leads without consent, interactions or mail, from a BOM/CRLF/quoted file in any column order', async () => {
    // Prepare
    const [a, b] = [uniqueEmail('import-a'), uniqueEmail('import-b')];
    const csv =
      `\uFEFFcompany,lastName,email,firstName\r\n"Müller, Schmidt & ""Partner"" GmbH",Müller,${a.toUpperCase()},Anna\r\n` +
      `Beta AG,,${b},\r\n`;

    // Act
    const { summary, out, err } = await importFile('create.csv', csv);
    await stack.drain();

    // Assess
    expect(summary).toEqual({ created: 2, updated: 0, unchanged: 0, rejected: [] });
    expect(out).toContain('2 rows: created 2, updated 0, unchanged 0, rejected 0');
    expect(err).toContain('rows 2/2');
    const view = await stack.lead(a);
    expect(view).toMatchObject({
      email: a,
      firstName: 'Anna',
      lastName: 'Müller',
      company: 'Müller, Schmidt & "Partner" GmbH',
      lifecycle: 'cold',
      consent: { marketing: 'none' },
      interactions: [],
      emails: [],
      createdAt: IMPORT_TIME.toISOString(),
    });
    expect(await stack.lead(b)).toMatchObject({ email: b, firstName: null, company: 'Beta AG', lifecycle: 'cold' });
    const stored = await partitionItems(stack, a);
    // the profile, and the outbox item of its Lead Imported event (the funnel projection counts the new lead; it expires)
    expect(stored).toEqual([
      expect.objectContaining({ sk: 'EVENT#imported', outbox: expect.objectContaining({ detailType: 'Lead Imported' }) }),
      expect.objectContaining({ sk: 'PROFILE', source: 'import', version: 1, createdAt: IMPORT_TIME.toISOString() }),
    ]);
    expect(stored[0]).not.toHaveProperty('consentRequestedAt');
    expect(await stack.mailTo(a)).toEqual([]);
  });

  it('imports a German export (Vorname, Nachname, Firma, Position, Telefon, E-Mail) and counts progress in rows', async () => {
    // Prepare: three rows, one of them rejected while the file is read
    const [a, b] = [uniqueEmail('import-de-a'), uniqueEmail('import-de-b')];
    const csv =
      `Vorname;Nachname;Firma;Position;Telefon;E-Mail\nJana;Brandt;Brandt GmbH;Einkauf;+49 30 1234567;${a}\n` +
      `Falsch;;;;;keine-adresse\nOle;Lund;;;;${b}\n`;

    // Act
    const { summary, err } = await importFile('german.csv', csv);

    // Assess
    expect(summary).toMatchObject({ created: 2, updated: 0, unchanged: 0 });
    expect(summary.rejected.map((rejection) => rejection.row)).toEqual([3]);
    expect(err.trim().split('\n').at(-1)).toBe('rows 3/3');
    expect(err).not.toContain('ignoring');
    const profile = (await partitionItems(stack, a)).find((item) => item.sk === 'PROFILE');
    expect(profile).toMatchObject({
      firstName: 'Jana',
      lastName: 'Brandt',
      company: 'Brandt GmbH',
      jobTitle: 'Einkauf',
      phone: '+49 30 1234567',
      fitScore: 15,
    });
  });

  it('is idempotent: the same file again changes nothing and reports its rows unchanged', async () => {
    // Prepare
    const email = uniqueEmail('import-again');
    const csv = `email,firstName,company\n${email},Ida,Idem GmbH\n`;
    await importFile('again-1.csv', csv);
    const before = await partitionItems(stack, email);

    // Act
    const { summary, out } = await importFile('again-2.csv', csv);

    // Assess
    expect(summary).toEqual({ created: 0, updated: 0, unchanged: 1, rejected: [] });
    expect(out).toContain('created 0, updated 0, unchanged 1, rejected 0');
    expect(await partitionItems(stack, email)).toEqual(before);
  });

  it('updates the name and company of an existing cold lead, keeping what a blank cell leaves out', async () => {
    // Prepare
    const email = uniqueEmail('import-update');
    await importFile('update-1.csv', `email,firstName,lastName,company\n${email},Ulla,Update,Old GmbH\n`);

    // Act
    const { summary } = await importFile('update-2.csv', `email,firstName,lastName,company\n${email},,Updated,New GmbH\n`);

    // Assess
    expect(summary).toMatchObject({ created: 0, updated: 1, unchanged: 0 });
    expect(await stack.lead(email)).toMatchObject({ firstName: 'Ulla', lastName: 'Updated', company: 'New GmbH', lifecycle: 'cold' });
    expect(await getItem(stack, { pk: `LEAD#${leadIdOf(stack, email)}`, sk: 'PROFILE' })).toMatchObject({ version: 2 });
  });

  it('reports every rejected row with its number and reason, and imports the rest', async () => {
    // Prepare
    const ok = uniqueEmail('import-ok');
    const csv = [
      'email,firstName,lastName,company',
      `${ok},Olga,Ok,ACME`,
      'not-an-address,X,Y,Z',
      `${uniqueEmail('import-long')},${'L'.repeat(101)},Y,Z`,
      `${uniqueEmail('import-ctrl')},"Two\nlines",Y,Z`,
      `${ok.toUpperCase()},Olga,Again,ACME`,
      `${uniqueEmail('import-short')},only,three`,
    ].join('\r\n');

    // Act
    const { summary, out } = await importFile('rejects.csv', csv);

    // Assess
    expect(summary.created).toBe(1);
    expect(summary.rejected.map(({ row, reason }) => ({ row, reason }))).toEqual([
      { row: 3, reason: 'email must be a valid email address' },
      { row: 4, reason: 'firstName must be at most 100 characters' },
      { row: 5, reason: 'firstName must not contain line breaks or control characters' },
      { row: 6, reason: 'duplicate in file: same address as row 2' },
      { row: 7, reason: 'has 3 fields, the header has 4' },
    ]);
    expect(out).toContain('6 rows: created 1, updated 0, unchanged 0, rejected 5');
    expect(out).toContain('  row 3 (not-an-address): email must be a valid email address');
    expect(await stack.lead(ok)).toMatchObject({ lastName: 'Ok' });
  });

  it('never overwrites a lead that signed up through a form: it stays warm with its data', async () => {
    // Prepare
    const email = uniqueEmail('import-warm');
    await stack.postJson('/forms/newsletter', { email, firstName: 'Wanda', company: 'Real Co', marketingConsent: true });
    await stack.drain();
    const before = await stack.lead(email);
    expect(before).toMatchObject({ lifecycle: 'warm', firstName: 'Wanda' });

    // Act
    const { summary, out } = await importFile('warm.csv', `email,firstName,company\n${email},Imposter,Fake Inc\n`);

    // Assess
    expect(summary).toMatchObject({ created: 0, updated: 0, unchanged: 0 });
    expect(summary.rejected).toEqual([{ row: 2, email, reason: 'lead already exists and is warm: an import never overwrites it' }]);
    expect(out).toContain(`row 2 (${email}): lead already exists and is warm`);
    expect(await stack.lead(email)).toEqual(before);
  });

  it('a cold lead whose first interaction comes through a form is warm after a drain, and keeps its imported name', async () => {
    // Prepare
    const email = uniqueEmail('import-then-form');
    await importFile('cold.csv', `email,firstName,lastName,company\n${email},Carla,Cold,Cold GmbH\n`);

    // Act
    await stack.postJson('/forms/newsletter', { email, marketingConsent: true });
    await stack.drain();

    // Assess
    const view = await stack.lead(email);
    expect(view).toMatchObject({
      lifecycle: 'warm',
      firstName: 'Carla',
      lastName: 'Cold',
      company: 'Cold GmbH',
      consent: { marketing: 'pending' },
    });
    expect(view!.interactions).toEqual([expect.objectContaining({ type: 'newsletter_signup' })]);
    expect(await stack.mailTo(email)).toHaveLength(1);
  });
  it(`rejects a row whose address is erased between the import reading it and writing it: \
the suppression is checked in the same write`, async () => {
    // Prepare: an erasure that lands right before the import's first conditional write of this lead
    const email = uniqueEmail('import-race');
    const leadId = leadIdOf(stack, email);
    const { documentClient } = await import('../../../shared/storage/dynamodb-client');
    const { eraseLead } = await import('../../../shared/storage/erase-lead');
    let erasedMidway = false;
    const middleware = 'test-erase-between-read-and-write';
    documentClient.middlewareStack.add(
      (next) => async (args) => {
        const input = JSON.stringify((args as { input?: unknown }).input ?? {});
        if (!erasedMidway && input.includes(`LEAD#${leadId}`) && input.includes('attribute_not_exists(pk)')) {
          erasedMidway = true;
          await eraseLead(stack.stack.tableName, leadId, IMPORT_TIME.toISOString());
        }
        return next(args);
      },
      { step: 'initialize', name: middleware },
    );

    // Act
    let result: Awaited<ReturnType<typeof importFile>>;
    try {
      result = await importFile('race.csv', `email,firstName\n${email},Rita\n`);
    } finally {
      documentClient.middlewareStack.remove(middleware);
    }
    await stack.drain();

    // Assess
    expect(erasedMidway).toBe(true);
    expect(result.summary).toMatchObject({ created: 0, updated: 0, unchanged: 0 });
    expect(result.summary.rejected).toEqual([{ row: 2, email, reason: 'address is on the suppression list (erased lead)' }]);
    expect(await partitionItems(stack, email)).toEqual([]);
    expect(await stack.lead(email)).toBeUndefined();
    expect(await getItem(stack, { pk: `SUPPRESSED#${leadId}`, sk: 'SUPPRESSED' })).toBeDefined();
  });
});
