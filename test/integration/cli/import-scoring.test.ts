/**
 * Issue 14, CLI item 7: imported leads carry their fit score from the import on (business email +10,
 * company +5 under config/scoring-rules.json, computed by the same pure classification), and
 * `rescore --dry-run` reports exactly what the real `rescore` then writes, imported leads included.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCsv } from '../../../cli/commands/import';
import { readScoringConfigFile, rescore, type RescoreResult } from '../../../cli/commands/rescore';
import { classifyLead, defaultScoringConfig } from '../../../shared/domain/classification';
import { uniqueEmail, type TestStack, startTestStack } from '../../support/test-stack';
import { contextFor, partitionItems, tempDir, writeTemp } from './cli-kit';

const RULES = join(process.cwd(), 'config', 'scoring-rules.json');

describe('fit score at import, and rescore --dry-run against the real run', () => {
  let stack: TestStack;
  let dir: string;
  // business email with company 15, business email 10, freemail with company 5, freemail 0
  const rows: Array<{ email: string; company?: string; fit: number }> = [];
  let formLead: string;

  beforeAll(async () => {
    stack = await startTestStack();
    dir = tempDir();
    for (let n = 0; n < 3; n += 1) {
      rows.push({ email: uniqueEmail(`fit-both-${n}`), company: `Firma ${n} GmbH`, fit: 15 });
      rows.push({ email: uniqueEmail(`fit-domain-${n}`), fit: 10 });
      rows.push({ email: uniqueEmail(`fit-company-${n}`, 'gmail.com'), company: `Freelance ${n}`, fit: 5 });
    }
    rows.push({ email: uniqueEmail('fit-none', 'web.de'), fit: 0 });
    const csv = `email,company\n${rows.map((row) => `${row.email},${row.company ?? ''}`).join('\n')}\n`;
    const { ctx } = contextFor(stack);
    const summary = await importCsv(ctx, { file: writeTemp(dir, 'leads.csv', csv) });
    expect(summary.created).toBe(rows.length);
    // One lead that came through a form, so the comparison is not about imported leads alone
    formLead = uniqueEmail('fit-form');
    await stack.postJson('/forms/download', { email: formLead, firstName: 'Rita', company: 'Form GmbH', assetId: 'ebook-lead-types' });
    await stack.drain();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const profileOf = async (email: string) => (await partitionItems(stack, email)).find((item) => item.sk === 'PROFILE');

  it('stores each imported lead with the fit score and explanation the pure classification gives it', async () => {
    for (const row of rows) {
      // Act
      const profile = await profileOf(row.email);

      // Assess
      const expected = classifyLead({
        lead: { email: row.email, ...(row.company ? { company: row.company } : {}), lifecycle: 'cold', pql: false },
        interactions: [],
        config: defaultScoringConfig,
        now: String(profile!.createdAt),
      });
      expect(profile, row.email).toMatchObject({
        lifecycle: 'cold',
        fitScore: row.fit,
        score: row.fit,
        engagementScore: 0,
        qualification: 'unqualified',
        scoreExplanation: expected.scoreExplanation,
      });
      expect(expected.fitScore).toBe(row.fit);
    }
  });

  it('rescore under the same rules: the dry run and the real run both change nothing for imported leads', async () => {
    // Prepare
    const now = stack.stack.clock.now();
    const config = await readScoringConfigFile(RULES);

    // Act
    const dry = await rescore(contextFor(stack, { now: () => now }).ctx, { config, configLabel: RULES, dryRun: true });
    const real = await rescore(contextFor(stack, { now: () => now }).ctx, { config, configLabel: RULES, dryRun: false });

    // Assess
    expect(withoutMode(real)).toEqual(withoutMode(dry));
    const imported = new Set(rows.map((row) => row.email));
    expect(dry.stageChanges.filter((change) => imported.has(change.email))).toEqual([]);
    expect(dry.leads).toBe(rows.length + 1);
    expect(dry.unchanged).toBeGreaterThanOrEqual(rows.length);
  });

  it('rescore under rules that qualify on fit alone: the dry run reports exactly the leads and changes the real run writes', async () => {
    // Prepare: qualified from 10 points, so the business-email imports become qualified and the others do not
    const file = join(dir, 'fit-qualifies.json');
    writeFileSync(file, JSON.stringify({ ...defaultScoringConfig, stages: { qualifiedThreshold: 10, mqlThreshold: 100 } }));
    const config = await readScoringConfigFile(file);
    const now = stack.stack.clock.now();

    // Act
    const dry = await rescore(contextFor(stack, { now: () => now }).ctx, { config, configLabel: file, dryRun: true });
    const dryAgain = await rescore(contextFor(stack, { now: () => now }).ctx, { config, configLabel: file, dryRun: true });
    const real = await rescore(contextFor(stack, { now: () => now }).ctx, { config, configLabel: file, dryRun: false });
    const after = await rescore(contextFor(stack, { now: () => now }).ctx, { config, configLabel: file, dryRun: true });

    // Assess: the dry run wrote nothing (a second one sees the same), and the real run did what it said
    expect(withoutMode(dryAgain)).toEqual(withoutMode(dry));
    expect(withoutMode(real)).toEqual(withoutMode(dry));
    const qualifiedImports = rows.filter((row) => row.fit >= 10).map((row) => row.email);
    expect(dry.stageChanges.map((change) => change.email)).toEqual(expect.arrayContaining(qualifiedImports));
    expect(dry.stageChanges.map((change) => change.email)).not.toContain(rows.find((row) => row.fit === 5)!.email);
    expect(after.stageChanges).toEqual([]);
    expect(after.scoreOnly).toBe(0);
    for (const email of qualifiedImports) expect(await profileOf(email)).toMatchObject({ qualification: 'qualified' });
  });
});

function withoutMode(result: RescoreResult): Omit<RescoreResult, 'dryRun'> {
  const { dryRun: _mode, ...rest } = result;
  return rest;
}
