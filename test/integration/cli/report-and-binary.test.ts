import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportFunnel } from '../../../cli/commands/report-funnel';
import type { Lifecycle } from '../../../shared/domain/lead';
import { uniqueEmail, type TestStack, startTestStack } from '../../support/test-stack';
import { contextFor, putItems, runBinary, tempDir, writeDiscoveryFile, writeTemp } from './cli-kit';

/** A known set of lead profiles, all created in 2031 (every other lead of this stack is older). */
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
  // before --since: not counted
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

  const expectedSince2031 = {
    since: '2031-01-01T00:00:00.000Z',
    total: 9,
    lifecycle: { cold: 2, warm: 4, mql: 2, sql: 1 },
    qualification: { unqualified: 5, qualified: 4 },
    funnelStage: { tofu: 3, mofu: 2, bofu: 2, none: 2 },
    pql: 1,
    everMql: 3,
    conversion: {
      warmToMql: { numerator: 3, denominator: 7, rate: 3 / 7 },
      mqlToSql: { numerator: 1, denominator: 3, rate: 1 / 3 },
      qualifiedShare: { numerator: 4, denominator: 9, rate: 4 / 9 },
    },
  };

  it('report funnel --since --json counts a known set of leads per stage, with conversion rates', async () => {
    // Prepare
    const { ctx, out } = contextFor(stack);

    // Act
    const report = await reportFunnel(ctx, { since: '2031-01-01', json: true });

    // Assess
    expect(report).toEqual(expectedSince2031);
    expect(JSON.parse(out())).toEqual(expectedSince2031);
  });

  it('report funnel without --since counts every lead profile, including the older ones', async () => {
    // Prepare
    const { ctx } = contextFor(stack);

    // Act
    const report = await reportFunnel(ctx, { json: false });

    // Assess
    expect(report.since).toBeNull();
    expect(report.total).toBeGreaterThanOrEqual(SEEDS.length);
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

  it('report funnel prints the counts and rates as a table', async () => {
    // Prepare
    const { ctx, out } = contextFor(stack);

    // Act
    await reportFunnel(ctx, { since: '2031-01-01T00:00:00Z', json: false });

    // Assess
    const text = out();
    expect(text).toContain('Funnel report: 9 leads (created since 2031-01-01T00:00:00.000Z)');
    expect(text).toMatch(/^ {2}mql\s+2\s+22\.2%$/m);
    expect(text).toMatch(/^PQL\s+1\s+11\.1%$/m);
    expect(text).toMatch(/^ {2}warm → mql\s+3\/7\s+42\.9%$/m);
    expect(text).toMatch(/^ {2}mql → sql\s+1\/3\s+33\.3%$/m);
    expect(text).toMatch(/^ {2}qualified share\s+4\/9\s+44\.4%$/m);
  });

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
