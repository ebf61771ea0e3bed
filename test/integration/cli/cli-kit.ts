import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { CommandContext } from '../../../cli/context';
import { runCli } from '../../../cli/run-cli';
import { REPO_ROOT } from '../../../cli/target';
import { leadIdFor } from '../../../shared/security/lead-id';
import type { TestStack } from '../../support/test-stack';

export interface CollectingContext {
  ctx: CommandContext;
  out: () => string;
  err: () => string;
}

/**
 * A command context on a test stack: the same table and signing key its functions use, output
 * collected. The stack already put its environment into this process (startLocalStack does), as
 * the binary's target resolution would.
 */
export function contextFor(stack: TestStack, options: { now?: () => Date } = {}): CollectingContext {
  let out = '';
  let err = '';
  return {
    ctx: {
      tableName: stack.stack.tableName,
      leadIdKey: stack.stack.environment.LEADPIPE_LEAD_ID_KEY!,
      out: { write: (text: string) => (out += text) },
      err: { write: (text: string) => (err += text) },
      now: options.now ?? (() => stack.stack.clock.now()),
    },
    out: () => out,
    err: () => err,
  };
}

export function leadIdOf(stack: TestStack, email: string): string {
  return leadIdFor(email.toLowerCase(), stack.stack.environment.LEADPIPE_LEAD_ID_KEY!);
}

/** Every stored item of a lead's partition (the storage modules are loaded once the stack set the environment). */
export async function partitionItems(stack: TestStack, email: string): Promise<Array<Record<string, unknown>>> {
  const { documentClient } = await import('../../../shared/storage/dynamodb-client');
  const result = await documentClient.send(
    new QueryCommand({
      TableName: stack.stack.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `LEAD#${leadIdOf(stack, email)}` },
      ConsistentRead: true,
    }),
  );
  return result.Items ?? [];
}

export async function getItem(stack: TestStack, key: { pk: string; sk: string }): Promise<Record<string, unknown> | undefined> {
  const { documentClient } = await import('../../../shared/storage/dynamodb-client');
  return (await documentClient.send(new GetCommand({ TableName: stack.stack.tableName, Key: key, ConsistentRead: true }))).Item;
}

export async function putItems(stack: TestStack, items: Array<Record<string, unknown>>): Promise<void> {
  const { documentClient } = await import('../../../shared/storage/dynamodb-client');
  const { PutCommand } = await import('@aws-sdk/lib-dynamodb');
  for (const item of items) await documentClient.send(new PutCommand({ TableName: stack.stack.tableName, Item: item }));
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'leadpipe-cli-test-'));
}

export function writeTemp(dir: string, name: string, content: string): string {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

/**
 * A discovery file like the one `npm start` writes, pointing at the test stack: its URL, a live pid
 * (this test process, which hosts the stack) and the exact environment its functions run with.
 */
export function writeDiscoveryFile(dir: string, stack: TestStack): string {
  return writeTemp(
    dir,
    'local-stack.json',
    JSON.stringify({ url: stack.url, pid: process.pid, environment: stack.stack.environment }, null, 2),
  );
}

/**
 * Runs the real binary, `npx leadpipe …`, from the repository root, with an environment stripped of
 * everything the stack put into this process: the CLI must find the stack through the discovery file.
 */
export function runBinary(args: string[], stack: TestStack): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = { ...process.env };
  for (const name of Object.keys(stack.stack.environment)) delete env[name];
  delete env.LEADPIPE_TABLE_NAME;
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['leadpipe', ...args], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** `npx leadpipe <argv>` in-process against the test stack (found through its discovery file), with what it printed. */
export async function runCliOn(stack: TestStack, stateFile: string, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli([...argv, '--local-state', stateFile], {
    out: { write: (text: string) => (out += text) },
    err: { write: (text: string) => (err += text) },
    env: { ...process.env },
    now: () => stack.stack.clock.now(),
  });
  return { code, out, err };
}
