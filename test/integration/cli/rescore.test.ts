import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readScoringConfigFile, rescore } from '../../../cli/commands/rescore';
import { defaultScoringConfig } from '../../../shared/domain/classification';
import { uniqueEmail, type TestStack, startTestStack } from '../../support/test-stack';
import { contextFor, leadIdOf, partitionItems, tempDir } from './cli-kit';

describe('leadpipe rescore', () => {
  let stack: TestStack;
  let dir: string;
  let email: string;
  let configFile: string;
  beforeAll(async () => {
    stack = await startTestStack();
    dir = tempDir();
    // business email 10 + company 5 + ToFu download 15 = 30: warm and unqualified under the default rules
    email = uniqueEmail('rescore');
    await stack.postJson('/forms/download', { email, firstName: 'Rita', company: 'Rescore GmbH', assetId: 'ebook-lead-types' });
    await stack.drain();
    configFile = join(dir, 'lower-thresholds.json');
    writeFileSync(configFile, JSON.stringify({ ...defaultScoringConfig, stages: { qualifiedThreshold: 30, mqlThreshold: 30 } }, null, 2));
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const stageEvents = async () =>
    (await (await fetch(`${stack.url}/_dev/events?detail-type=${encodeURIComponent('Lead Stage Changed')}`)).json()) as unknown[];

  it('--dry-run reports the leads a lower mqlThreshold would make MQL, and writes nothing', async () => {
    // Prepare
    const before = await stack.lead(email);
    expect(before).toMatchObject({ lifecycle: 'warm', qualification: 'unqualified', score: 30 });
    const itemsBefore = await partitionItems(stack, email);
    const eventsBefore = (await stageEvents()).length;
    const { ctx, out } = contextFor(stack);

    // Act
    const result = await rescore(ctx, { config: await readScoringConfigFile(configFile), configLabel: configFile, dryRun: true });
    await stack.drain();

    // Assess
    expect(result.stageChanges).toContainEqual({
      email,
      leadId: leadIdOf(stack, email),
      changes: [
        { field: 'lifecycle', from: 'warm', to: 'mql' },
        { field: 'qualification', from: 'unqualified', to: 'qualified' },
      ],
    });
    expect(out()).toMatch(new RegExp(`^Dry run under .*: ${result.stageChanges.length} of ${result.leads} leads? would change stage`));
    expect(out()).toContain(`  ${email}  lifecycle warm → mql, qualification unqualified → qualified`);
    expect(await stack.lead(email)).toEqual(before);
    expect(await partitionItems(stack, email)).toEqual(itemsBefore);
    expect(await stageEvents()).toHaveLength(eventsBefore);
  });

  it('without --dry-run writes the new classification with its stage-change events', async () => {
    // Prepare
    const { ctx, out } = contextFor(stack);
    const config = await readScoringConfigFile(configFile);

    // Act
    const result = await rescore(ctx, { config, configLabel: configFile, dryRun: false });
    await stack.drain();

    // Assess
    expect(result.stageChanges.map((change) => change.email)).toContain(email);
    expect(out()).toContain(`  ${email}  lifecycle warm → mql, qualification unqualified → qualified`);
    expect(await stack.lead(email)).toMatchObject({ lifecycle: 'mql', qualification: 'qualified', score: 30 });
    const events = (await stageEvents()) as Array<{ detail: { leadId: string; field: string; to: string } }>;
    expect(
      events.filter((event) => event.detail.leadId === leadIdOf(stack, email)).map((event) => `${event.detail.field}:${event.detail.to}`),
    ).toEqual(expect.arrayContaining(['lifecycle:mql', 'qualification:qualified']));

    // Act + Assess: running it again finds nothing left to change
    const again = contextFor(stack);
    const second = await rescore(again.ctx, { config, configLabel: configFile, dryRun: false });
    expect(second.stageChanges).toEqual([]);
  });
});
