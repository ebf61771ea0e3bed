/**
 * Helpers shared by the capture integration tests. Everything goes over HTTP except the raw-item
 * reads, which look at what the lead view deliberately hides (consent evidence, attribution,
 * unknown attributes) straight in the test file's own DynamoDB table.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { expect } from 'vitest';
import { linkIn, type DevMail, type TestStack } from '../../support/test-stack';

export const CATALOGUE = [
  { assetId: 'ebook-lead-types', funnelStage: 'tofu', file: 'ebook-lead-types.pdf' },
  { assetId: 'case-study-b2b', funnelStage: 'mofu', file: 'case-study-b2b.pdf' },
  { assetId: 'pricing-guide', funnelStage: 'bofu', file: 'pricing-guide.pdf' },
] as const;

export const CONSENT_TEXT_VERSION = '2026-11-v1';

/** A minimal valid JSON body for each form. */
export function validBody(form: 'newsletter' | 'download' | 'contact', email: string): Record<string, unknown> {
  switch (form) {
    case 'newsletter':
      return { email, marketingConsent: true };
    case 'download':
      return { email, firstName: 'Dana', assetId: 'ebook-lead-types' };
    case 'contact':
      return { email, firstName: 'Carla', lastName: 'Kontakt', message: 'Bitte rufen Sie mich an.' };
  }
}

/** The same body as urlencoded strings (booleans as the checkbox value "on"). */
export function validFormFields(form: 'newsletter' | 'download' | 'contact', email: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(validBody(form, email))) fields[name] = value === true ? 'on' : String(value);
  return fields;
}

export function isOptInMail(mail: DevMail): boolean {
  return mail.text.includes('/confirm?token=');
}

export function isDownloadMail(mail: DevMail): boolean {
  return mail.text.includes('/downloads/');
}

export async function optInMails(stack: TestStack, email: string): Promise<DevMail[]> {
  return (await stack.mailTo(email)).filter(isOptInMail);
}

export async function downloadMails(stack: TestStack, email: string): Promise<DevMail[]> {
  return (await stack.mailTo(email)).filter(isDownloadMail);
}

/** Drains the pipeline, then checks that no lead exists and not a single mail went to the address. */
export async function expectNothingStoredOrSent(stack: TestStack, email: string): Promise<void> {
  await stack.drain();
  expect(await stack.lead(email)).toBeUndefined();
  expect(await stack.mailTo(email)).toEqual([]);
  expect(await stack.mailTo(email.trim().toLowerCase())).toEqual([]);
}

/** Signs up for the newsletter, drains, and returns the confirm link from the opt-in mail. */
export async function signUpAndGetConfirmLink(stack: TestStack, email: string, headers: Record<string, string> = {}): Promise<string> {
  const response = await stack.postJson('/forms/newsletter', { email, marketingConsent: true, firstName: 'Olga' }, headers);
  expect(response.status).toBe(200);
  await stack.drain();
  const mails = await optInMails(stack, email);
  expect(mails).toHaveLength(1);
  return linkIn(mails[0]!, '/confirm?token=');
}

/** What a browser sends when the button on the confirm page is pressed. */
export function pressConfirmButton(actionUrl: string, accept = 'text/html'): Promise<Response> {
  return fetch(actionUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept },
    body: '',
    redirect: 'manual',
  });
}

export function tokenOf(link: string): string {
  const token = new URL(link).searchParams.get('token');
  if (!token) throw new Error(`no token in ${link}`);
  return token;
}

export function tokenPayload(link: string): Record<string, any> {
  const [encoded] = tokenOf(link).split('.');
  return JSON.parse(Buffer.from(encoded!, 'base64url').toString('utf8')) as Record<string, any>;
}

/**
 * Moves the stack's clock to the start of the next clock hour: a fresh window of the consent-request
 * limits (shared/capture/rate-limits.ts), for a file that makes more consent requests from the one
 * source address of its posts (127.0.0.1) than the per-IP limit admits in an hour.
 */
export function startNextRateWindow(stack: TestStack): void {
  const msToNextHour = 3_600_000 - (stack.stack.clock.now().getTime() % 3_600_000);
  stack.stack.clock.advanceHours((msToNextHour + 1000) / 3_600_000);
}

/** Reads raw items of the test file's table; the stack has put the emulator endpoint into process.env. */
export class RawTable {
  private readonly client: DynamoDBDocumentClient;

  constructor(private readonly stack: TestStack) {
    const endpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB;
    if (!endpoint) throw new Error('start the stack first: AWS_ENDPOINT_URL_DYNAMODB is not set');
    this.client = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint, region: process.env.AWS_REGION ?? 'eu-central-1' }));
  }

  /** Every item in the lead's partition (profile, interactions, submissions, emails). */
  async partition(leadId: string): Promise<Record<string, any>[]> {
    const items: Record<string, any>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.stack.stack.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': `LEAD#${leadId}` },
          ExclusiveStartKey: startKey,
          ConsistentRead: true,
        }),
      );
      items.push(...((page.Items ?? []) as Record<string, any>[]));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  async profile(leadId: string): Promise<Record<string, any> | undefined> {
    return (await this.partition(leadId)).find((item) => item.sk === 'PROFILE');
  }

  async interactions(leadId: string): Promise<Record<string, any>[]> {
    return (await this.partition(leadId)).filter((item) => String(item.sk).startsWith('INTERACTION#'));
  }

  destroy(): void {
    this.client.destroy();
  }
}
