/**
 * Helpers of the campaign integration tests: subscribers are made the way people become and stop being
 * subscribers (the newsletter form, the confirm link, the one-click unsubscribe link, an SES bounce of
 * a mail to them), and the subscribers index is read the way the campaign engine reads it.
 */
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { expect } from 'vitest';
import { subscriberShardFor } from '../../../shared/campaigns/campaign';
import { signToken } from '../../../shared/security/signed-token';
import { leadTableDefinition } from '../../../shared/storage/table-design';
import type { TestStack } from '../../support/test-stack';
import { contextFor, leadIdOf } from '../cli/cli-kit';
import { oneClickUnsubscribe, sesEvent, signUpConfirmed } from '../nurture/nurture-helpers';

export { leadIdOf, signUpConfirmed };

/** The lead's row in the subscribers index (GSI `subscribers`), or undefined when it is not a subscriber. */
export async function subscriberRow(stack: TestStack, email: string): Promise<Record<string, unknown> | undefined> {
  const { documentClient } = await import('../../../shared/storage/dynamodb-client');
  const leadId = leadIdOf(stack, email);
  const index = leadTableDefinition.subscriberIndex;
  const page = await documentClient.send(
    new QueryCommand({
      TableName: stack.stack.tableName,
      IndexName: index.name,
      KeyConditionExpression: '#shard = :shard AND #lead = :lead',
      ExpressionAttributeNames: { '#shard': index.partitionKey, '#lead': index.sortKey },
      ExpressionAttributeValues: { ':shard': subscriberShardFor(leadId), ':lead': leadId },
    }),
  );
  expect(page.Items?.length ?? 0).toBeLessThanOrEqual(1);
  return page.Items?.[0];
}

/** The one-click unsubscribe link every marketing mail carries, signed with the stack's key, POSTed as a mail client does. */
export async function unsubscribe(stack: TestStack, email: string): Promise<void> {
  const token = signToken(
    { purpose: 'unsubscribe', leadId: leadIdOf(stack, email), data: { locale: 'de' } },
    process.env.LEADPIPE_SIGNING_KEY!,
  );
  const response = await oneClickUnsubscribe(`${stack.url}/unsubscribe?token=${encodeURIComponent(token)}`);
  expect(response.status).toBe(200);
}

/** SES reports a permanent bounce (or a complaint) of the lead's opt-in mail; the feedback handler suppresses the lead. */
export async function bounceOptIn(stack: TestStack, email: string, type: 'bounce' | 'complaint' = 'bounce'): Promise<void> {
  const optIn = (await stack.mailTo(email)).find((mail) => mail.text.includes('/confirm?token='));
  expect(optIn).toBeDefined();
  await sesEvent(stack, { type, messageId: optIn!.messageId });
}

/** Imports `count` cold leads (no consent) through the CLI's import, from a CSV file. */
export async function importColdLeads(stack: TestStack, dir: string, count: number, label: string): Promise<string[]> {
  const { importCsv } = await import('../../../cli/commands/import');
  const emails = Array.from({ length: count }, (_, i) => `${label}-${i}-${crypto.randomUUID().slice(0, 6)}@kunde.example`);
  const file = path.join(dir, `${label}.csv`);
  writeFileSync(file, `email,firstName,company\n${emails.map((email, i) => `${email},Person ${i},Kunde ${i} GmbH`).join('\n')}\n`);
  const { ctx } = contextFor(stack);
  await importCsv(ctx, { file });
  return emails;
}

/** Signs up for the newsletter in a locale and confirms the double opt-in over HTTP: a confirmed subscriber. */
export async function subscribe(stack: TestStack, email: string, locale: 'de' | 'en'): Promise<void> {
  const signup = await stack.postJson('/forms/newsletter', { email, marketingConsent: true, firstName: 'Kim', locale });
  expect(signup.status).toBe(200);
  await stack.drain();
  const optIn = (await stack.mailTo(email)).find((mail) => mail.text.includes('/confirm?token='));
  const link = /https?:\/\/\S*\/confirm\?token=\S+/.exec(optIn!.text)![0];
  const confirmed = await fetch(link, { method: 'POST', headers: { accept: 'text/html' }, redirect: 'manual' });
  expect(confirmed.status).toBe(200);
  await stack.drain();
  expect(await stack.lead(email)).toMatchObject({ consent: { marketing: 'confirmed' }, locale });
}

/** The example campaign folder the README describes. */
export const EXAMPLE_CAMPAIGN = 'content/campaigns/2027-01-newsletter';

/** A copy of the example campaign folder under `dir` with its own id (each test its own campaign). */
export function exampleCampaignCopy(dir: string, id: string, campaign: { name?: string; audience?: Record<string, unknown> } = {}): string {
  const folder = mkdtempSync(path.join(dir, `${id}-`));
  cpSync(EXAMPLE_CAMPAIGN, folder, { recursive: true });
  writeFileSync(
    path.join(folder, 'campaign.json'),
    JSON.stringify({ id, name: campaign.name ?? `Test ${id}`, audience: campaign.audience ?? {} }),
  );
  return folder;
}
