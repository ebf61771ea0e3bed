/**
 * Consent evidence in its bounded shape: each request's evidence with its own interaction, the first
 * and the latest on the profile; every reader (export, retention) sees all of it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leadExport } from '../../../cli/commands/lead-export';
import { startTestStack, uniqueEmail, type TestStack } from '../../support/test-stack';
import { contextFor } from '../cli/cli-kit';
import { RawTable, validBody } from './capture-helpers';

describe('consent evidence', () => {
  let stack: TestStack;
  let table: RawTable;
  beforeAll(async () => {
    stack = await startTestStack();
    table = new RawTable(stack);
  });
  afterAll(async () => {
    table?.destroy();
    await stack?.stop();
  });

  it(`keeps every request's evidence with its interaction, the first and the latest on the profile; \
the export lists all, oldest first`, async () => {
    // Prepare
    const email = uniqueEmail('evidence');

    // Act: three consent requests
    await stack.postJson('/forms/newsletter', { email, marketingConsent: true }, { 'user-agent': 'Agent/1' });
    await stack.postJson('/forms/download', { ...validBody('download', email), marketingConsent: true }, { 'user-agent': 'Agent/2' });
    await stack.postJson('/forms/newsletter', { email, marketingConsent: true, firstName: 'Eve' }, { 'user-agent': 'Agent/3' });
    await stack.drain();
    const { ctx, out } = contextFor(stack);
    await leadExport(ctx, { email });

    // Assess
    const { leadId } = (await stack.lead(email))!;
    const interactions = await table.interactions(leadId);
    expect(interactions.map((interaction) => interaction.consentEvidence.userAgent)).toEqual(['Agent/1', 'Agent/2', 'Agent/3']);
    const profile = (await table.profile(leadId))!;
    expect(profile.consentEvidenceFirst).toEqual(interactions[0]!.consentEvidence);
    expect(profile.consentEvidenceLatest).toEqual(interactions[2]!.consentEvidence);
    const exported = JSON.parse(out()) as { consent: { evidence: Array<{ userAgent: string; form: string }> } };
    expect(exported.consent.evidence.map((evidence) => [evidence.form, evidence.userAgent])).toEqual([
      ['newsletter', 'Agent/1'],
      ['download', 'Agent/2'],
      ['newsletter', 'Agent/3'],
    ]);
  });

  it('drops an expired, unconfirmed request with all of its evidence, on the profile and on the interactions', async () => {
    // Prepare: a download with the consent box ticked, never confirmed
    const email = uniqueEmail('evidence-expired');
    await stack.postJson('/forms/download', { ...validBody('download', email), marketingConsent: true });
    await stack.drain();
    const { leadId } = (await stack.lead(email))!;
    expect((await table.interactions(leadId))[0]!.consentEvidence).toBeDefined();

    // Act: past the retention of an unconfirmed opt-in
    await stack.tick(31 * 24);

    // Assess: the download stays, the request and its evidence are gone
    expect((await stack.lead(email))!.consent.marketing).toBe('none');
    const profile = (await table.profile(leadId))!;
    expect([profile.consentEvidenceFirst, profile.consentEvidenceLatest, profile.consentRequestedAt]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    const [download] = await table.interactions(leadId);
    expect(download).toMatchObject({ type: 'download' });
    expect(download!.consentEvidence).toBeUndefined();
  });
});
