import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startLocalStack, type LocalStack } from '../../local/local-stack';
import { suiteDynamoDbEndpoint } from './suite-dynamodb';

/**
 * A full local stack in this test file's process, sharing the suite's DynamoDB Local (with a table of its own)
 * and running its own SES emulator. Tests talk to it over HTTP, as a user would.
 *
 * Not the suite's shared emulator: every stack's SES event publisher reads its emulator's recent mail and looks
 * each one up in its table, so beside a test that floods the shared emulator (2,000 sign-ups, a campaign) every
 * other stack fetched and looked up thousands of foreign mails five times a second, and a test of 1.4 s timed out
 * at 360 s in CI. The package keeps its mail module-global, so the stacks of one test
 * file still share one store; the publisher tells their mail apart by the message lookup, as before.
 */
export async function startTestStack(options: { clockStartsAt?: string } = {}): Promise<TestStack> {
  const stack = await startLocalStack({
    port: 0,
    dynamoDbEndpoint: suiteDynamoDbEndpoint(),
    tableName: `leadpipe-test-${randomUUID().slice(0, 8)}`,
    ...options,
  });
  return new TestStack(stack);
}

export class TestStack {
  constructor(readonly stack: LocalStack) {}

  get url(): string {
    return this.stack.url;
  }

  async stop(): Promise<void> {
    await this.stack.stop();
    await dropTable(this.stack);
  }

  postJson(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${this.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
      redirect: 'manual',
    });
  }

  postForm(path: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${this.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(fields).toString(),
      redirect: 'manual',
    });
  }

  async drain(): Promise<void> {
    const response = await fetch(`${this.url}/_dev/drain`, { method: 'POST' });
    if (!response.ok) throw new Error(`drain failed: ${response.status}`);
  }

  async tick(advanceHours: number): Promise<string> {
    const response = await this.postJson('/_dev/tick', { advanceHours });
    if (!response.ok) throw new Error(`tick failed: ${response.status}`);
    return ((await response.json()) as { now: string }).now;
  }

  /** Emails sent to one address; each test uses its own addresses, so the shared emulator needs no reset. */
  async mailTo(address: string): Promise<DevMail[]> {
    const all = (await (await fetch(`${this.url}/_dev/mail`)).json()) as DevMail[];
    return all.filter((mail) => mail.to.includes(address));
  }

  async lead(email: string): Promise<Record<string, any> | undefined> {
    const response = await fetch(`${this.url}/_dev/leads/${encodeURIComponent(email)}`);
    if (response.status === 404) return undefined;
    return (await response.json()) as Record<string, any>;
  }
}

/**
 * Deletes a stopped stack's table from the worker's DynamoDB Local, which keeps every table in its JVM heap
 * (-Xmx512m) until the run ends: only the tables of the files still running stay.
 */
export async function dropTable(stack: LocalStack): Promise<void> {
  const client = new DynamoDBClient({ endpoint: stack.environment.AWS_ENDPOINT_URL_DYNAMODB, region: stack.environment.AWS_REGION });
  try {
    await client.send(new DeleteTableCommand({ TableName: stack.tableName }));
  } finally {
    client.destroy();
  }
}

export interface DevMail {
  messageId: string;
  from: string;
  to: string[];
  replyTo?: string[];
  subject: string;
  html: string;
  text: string;
  headers: { name: string; value: string }[];
}

export function uniqueEmail(label = 'lead', domain = 'acme-gmbh.example'): string {
  return `${label}-${randomUUID().slice(0, 8)}@${domain}`;
}

/** The first link in a mail's text part that starts with the given path. */
export function linkIn(mail: DevMail, path: string): string {
  const match = new RegExp(`https?://[^\\s"<>]*${path.replace(/[?/]/g, '\\$&')}[^\\s"<>]*`).exec(mail.text);
  if (!match) throw new Error(`No ${path} link in mail "${mail.subject}"`);
  return match[0];
}
