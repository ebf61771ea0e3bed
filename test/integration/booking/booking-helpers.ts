/**
 * Helpers of the expert-call tests: a browser's view of the /call pages (the offered slots are read from the page's
 * radios, never computed), and a raw look at the slot items that the conditional write guards.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DevMail, TestStack } from '../../support/test-stack';

export const BROWSER = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

export function get(url: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { headers: { ...BROWSER, ...headers }, redirect: 'manual' });
}

/** The slot values a page offers as radios, in page order. */
export function offeredSlots(html: string): string[] {
  return [...html.matchAll(/<input type="radio" id="[^"]+" name="slot" value="([^"]+)"/g)].map((match) => match[1]!);
}

/** The free slots the public page offers right now. */
export async function freeSlotsOnPage(stack: TestStack): Promise<string[]> {
  const response = await get(`${stack.url}/call`);
  return offeredSlots(await response.text());
}

export function identity(email: string): Record<string, string> {
  return { email, firstName: 'Dana', lastName: 'Example', company: 'Acme GmbH' };
}

/** Presses "book" on the public page, as a browser posts the form. */
export function bookPublic(stack: TestStack, email: string, slot: string, headers: Record<string, string> = {}): Promise<Response> {
  return stack.postForm('/call', { action: 'book', slot, ...identity(email) }, headers);
}

/** POST to an absolute URL (a link's page posts back to itself, token included) as a browser form. */
export function postFormTo(url: string, fields: Record<string, string>): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...BROWSER },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
}

export function isCallConfirmation(mail: DevMail): boolean {
  return /Expertengespräch|expert call/.test(mail.subject);
}

/** The href of the first link to `path` on a page. */
export function pageLink(html: string, path: string): string {
  // escapeHtml writes "=" as &#x3D;: undo the entities an href may carry before matching.
  const text = html.replaceAll('&#x3D;', '=').replaceAll('&amp;', '&');
  const match = new RegExp(`href="(https?://[^"]*${path.replace(/[./]/g, '\\$&')}\\?token=[^"]+)"`).exec(text);
  if (!match) throw new Error(`No ${path} link on the page`);
  return match[1]!;
}

/** The held slot items of the test file's table: who holds which start. */
export async function heldSlots(stack: TestStack): Promise<Array<{ slot: string; leadId: string; bookingId: string }>> {
  const endpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB;
  if (!endpoint) throw new Error('start the stack first');
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint, region: process.env.AWS_REGION ?? 'eu-central-1' }));
  const result = await client.send(
    new QueryCommand({
      TableName: stack.stack.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'CALLSLOTS' },
      ConsistentRead: true,
    }),
  );
  return (result.Items ?? []).map((item) => ({ slot: String(item.slot), leadId: String(item.leadId), bookingId: String(item.bookingId) }));
}

/** The calendar properties of an .ics body, unfolded (RFC 5545 3.1), by name (the first of each). */
export function icsProperties(ics: string): Record<string, string> {
  const lines = ics.replace(/\r\n[ \t]/g, '').split('\r\n');
  const properties: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).split(';')[0]!;
    properties[name] ??= line.slice(colon + 1);
  }
  return properties;
}

/** 2026-12-09T09:15:00.000Z -> 20261209T091500Z */
export function icsUtc(iso: string): string {
  return iso.replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}
