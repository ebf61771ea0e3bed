import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportFunnel } from '../../../cli/commands/report-funnel';
import type { Lifecycle } from '../../../shared/domain/lead';
import { uniqueEmail, type TestStack, startTestStack } from '../../support/test-stack';
import { contextFor, putItems, runBinary, tempDir, writeDiscoveryFile, writeTemp } from './cli-kit';

/** A known set of lead profiles, written straight into the table (no events), all but one created in February 2031. */
const SEEDS: Array<{
  lifecycle: Lifecycle;
  qualification?: 'qualified' | 'unqualified';
  funnelStage?: 'tofu' | 'mofu' | 'bofu';
  pql?: boolean;
  createdAt?: string;
}> = [
  { lifecycle: 'cold' },
  { lifecycle: 'cold', qualification: 'unqualified' },
  { lifecycle: 'warm', qualification: 'unqualified', funnelStage: 'tofu' },
  { lifecycle: 'warm', qualification: 'unqualified', funnelStage: 'tofu' },
  { lifecycle: 'warm', qualification: 'unqualified', funnelStage: 'tofu' },
  { lifecycle: 'warm', qualification: 'qualified', funnelStage: 'mofu' },
  { lifecycle: 'mql', qualification: 'qualified', funnelStage: 'bofu', pql: true },
  { lifecycle: 'mql', qualification: 'qualified', funnelStage: 'mofu', pql: false },
  { lifecycle: 'sql', qualification: 'qualified', funnelStage: 'bofu' },
  // before --since: counted in the stages, not in the period
  { lifecycle: 'mql', qualification: 'qualified', funnelStage: 'bofu', pql: true, createdAt: '2030-12-31T23:59:59.000Z' },
];

describe('leadpipe report funnel, and the real binary against an npm start-like discovery file', () => {
  let stack: TestStack;
  let dir: string;
  let stateFile: string;
  beforeAll(async () => {
    stack = await startTestStack();
    dir = tempDir();
    stateFile = writeDiscoveryFile(dir, stack);
    const items = SEEDS.flatMap((seed, index) => {
      const leadId = `seed-${randomUUID()}`;
      const createdAt = seed.createdAt ?? `2031-02-${String(index + 1).padStart(2, '0')}T10:00:00.000Z`;
      return [
        {
          pk: `LEAD#${leadId}`,
          sk: 'PROFILE',
          leadId,
          email: `${leadId}@seed.example`,
          updatedAt: createdAt,
          version: 1,
          ...seed,
          createdAt,
        },
        // a non-profile item that looks like one: the scan must skip it by its sort key
        { pk: `LEAD#${leadId}`, sk: `EVENT#seed-${index}`, lifecycle: 'sql', qualification: 'qualified', createdAt },
      ];
    });
    await putItems(stack, items);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** A spawned `npx leadpipe` compiles the CLI with tsx first: seconds on a busy machine. */
  const BINARY_TIMEOUT_MS = 60_000;

  /** The CLI's clock for the report: the period of --since runs up to this day. */
  const REPORT_NOW = new Date('2031-03-01T08:00:00.000Z');

  // Every seed, the 2030 one too: the stages and conversion are over all leads. Only the period is limited by --since.
  const expectedRebuilt = {
    since: null,
    total: 10,
    lifecycle: { cold: 2, warm: 4, mql: 3, sql: 1 },
    qualification: { unqualified: 5, qualified: 5 },
    funnelStage: { tofu: 3, mofu: 2, bofu: 3, none: 2 },
    pql: 2,
    everMql: 4,
    conversion: {
      warmToMql: { numerator: 4, denominator: 8, rate: 4 / 8 },
      mqlToSql: { numerator: 1, denominator: 4, rate: 1 / 4 },
      qualifiedShare: { numerator: 5, denominator: 10, rate: 5 / 10 },
    },
    // created 2031-02-01 to 2031-02-09; the seeds carry no mqlAt and no sales decision
    period: { from: '2031-01-01', to: '2031-03-01', created: 9, mql: 0, sql: 0 },
  };

  it('report funnel --rebuild --since --json rebuilds the projection from seeded profiles and counts them per stage', async () => {
    // Prepare: the seeds were written straight into the table, so no event told the projection about them
    const { ctx, out, err } = contextFor(stack, { now: () => REPORT_NOW });
    const before = await reportFunnel(contextFor(stack, { now: () => REPORT_NOW }).ctx, { json: true });

    // Act
    const report = await reportFunnel(ctx, { since: '2031-01-01', json: true, rebuild: true });

    // Assess
    expect(before).toMatchObject({ total: 0, period: null });
    expect(report).toEqual(expectedRebuilt);
    expect(JSON.parse(out())).toEqual(expectedRebuilt);
    expect(err()).toContain('rebuilt the funnel projection from 10 leads');
  });

  it('report funnel prints the counts and rates as a table, and the period of --since', async () => {
    // Prepare
    const { ctx, out } = contextFor(stack, { now: () => REPORT_NOW });

    // Act
    await reportFunnel(ctx, { since: '2031-01-01T00:00:00Z', json: false });

    // Assess
    const text = out();
    expect(text).toContain('Funnel report: 10 leads (all leads)');
    expect(text).toMatch(/^ {2}mql\s+3\s+30\.0%$/m);
    expect(text).toMatch(/^PQL\s+2\s+20\.0%$/m);
    expect(text).toMatch(/^ {2}warm → mql\s+4\/8\s+50\.0%$/m);
    expect(text).toMatch(/^ {2}mql → sql\s+1\/4\s+25\.0%$/m);
    expect(text).toMatch(/^ {2}qualified share\s+5\/10\s+50\.0%$/m);
    expect(text).toContain('From 2031-01-01 to 2031-03-01 (UTC days)');
    expect(text).toMatch(/^ {2}created\s+9$/m);
  });

  it('report funnel without --since reads the projection, which new leads reach through events', async () => {
    // Prepare: a lead that signs up through the form, counted by the projection, not by a rebuild
    await stack.postJson('/forms/newsletter', { email: uniqueEmail('report-live'), marketingConsent: true });
    await stack.drain();
    const { ctx } = contextFor(stack);

    // Act
    const report = await reportFunnel(ctx, { json: false });

    // Assess
    expect(report.period).toBeNull();
    expect(report.total).toBeGreaterThanOrEqual(SEEDS.length + 1);
    expect(report.lifecycle.warm).toBeGreaterThanOrEqual(5);
    expect(report.lifecycle.mql).toBeGreaterThanOrEqual(3);
  });

  it(
    'the binary finds the stack through the discovery file: lead show --json equals GET /_dev/leads/<email>; an unknown lead exits 1',
    async () => {
      // Prepare
      const email = uniqueEmail('binary-show');
      const unknown = uniqueEmail('binary-nobody');
      await stack.postJson('/forms/newsletter', { email, firstName: 'Bina', marketingConsent: true });
      await stack.drain();

      // Act
      const [shown, missing] = await Promise.all([
        runBinary(['lead', 'show', email, '--json', '--local-state', stateFile], stack),
        runBinary(['lead', 'show', unknown, '--local-state', stateFile], stack),
      ]);

      // Assess
      expect(shown.stderr).not.toContain('leadpipe:');
      expect(shown.code).toBe(0);
      expect(JSON.parse(shown.stdout)).toEqual(await stack.lead(email));
      expect(missing.code).toBe(1);
      expect(missing.stdout).toBe('');
      expect(missing.stderr.trim()).toBe(`leadpipe: No lead with email ${unknown}`);
    },
    BINARY_TIMEOUT_MS,
  );

  it(
    'the binary imports a file, with progress on stderr and the summary on stdout',
    async () => {
      // Prepare
      const email = uniqueEmail('binary-import');
      const file = writeTemp(dir, 'binary.csv', `email,firstName\r\n${email},Imke\r\nbroken,X\r\n`);

      // Act
      const result = await runBinary(['import', file, '--local-state', stateFile], stack);

      // Assess
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(
        '2 rows: created 1, updated 0, unchanged 0, rejected 1\n  row 3 (broken): email must be a valid email address\n',
      );
      // rows of the file: the rejected one counts too
      expect(result.stderr).toContain('rows 2/2');
      expect(result.stderr).not.toContain('will require node');
      expect(await stack.lead(email)).toMatchObject({ lifecycle: 'cold', firstName: 'Imke' });
    },
    BINARY_TIMEOUT_MS,
  );

  it(
    'the binary refuses lead erase without a terminal and without --yes, and erases with --yes',
    async () => {
      // Prepare: the binary's stdin is not a terminal here, as in a script
      const email = uniqueEmail('binary-erase');
      await runBinary(['import', writeTemp(dir, 'erase.csv', `email\n${email}\n`), '--local-state', stateFile], stack);
      expect(await stack.lead(email)).toMatchObject({ lifecycle: 'cold' });

      // Act
      const refused = await runBinary(['lead', 'erase', email, '--local-state', stateFile], stack);
      const stillThere = await stack.lead(email);
      const erased = await runBinary(['lead', 'erase', email, '--yes', '--local-state', stateFile], stack);

      // Assess
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('pass --yes to confirm');
      expect(stillThere).toMatchObject({ email });
      expect(erased.code, erased.stderr).toBe(0);
      expect(erased.stdout).toContain(`Erased ${email}`);
      expect(await stack.lead(email)).toBeUndefined();
    },
    BINARY_TIMEOUT_MS,
  );

  it(
    'the binary answers `leadpipe report` with the short usage and exit 1, and an unknown flag with one line',
    async () => {
      // Act
      const report = await runBinary(['report'], stack);
      const flag = await runBinary(['report', 'funnel', '--weekly', '--local-state', stateFile], stack);

      // Assess
      expect(report.code).toBe(1);
      expect(report.stderr).toContain('leadpipe report funnel [--since <date>]');
      expect(report.stderr).not.toContain('Operator commands');
      expect(flag.code).toBe(1);
      expect(flag.stderr).toBe('leadpipe: Unknown option --weekly; run "leadpipe report funnel --help" for the options\n');
    },
    BINARY_TIMEOUT_MS,
  );
});
