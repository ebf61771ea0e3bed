/**
 * Issue 14, "Start and CLI" item 6: `npx leadpipe signal send <type> <email> [--id] [--url]` signs and
 * posts to POST /events like scripts/send-signal.ts, finding the stack through its discovery file.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../cli/run-cli';
import { REPO_ROOT } from '../../../cli/target';
import { uniqueEmail, type TestStack, startTestStack } from '../../support/test-stack';
import { runBinary, tempDir, writeDiscoveryFile } from './cli-kit';

describe('leadpipe signal send', () => {
  let stack: TestStack;
  let stateFile: string;
  let missingStateFile: string;
  beforeAll(async () => {
    stack = await startTestStack();
    const dir = tempDir();
    stateFile = writeDiscoveryFile(dir, stack);
    missingStateFile = join(dir, 'no-such-local-stack.json');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  async function cli(argv: string[], env: NodeJS.ProcessEnv = {}) {
    let out = '';
    let err = '';
    const code = await runCli(argv, { out: { write: (t: string) => (out += t) }, err: { write: (t: string) => (err += t) }, env });
    return { code, out, err };
  }

  async function interactions(email: string): Promise<Array<{ type: string; externalId?: string }>> {
    await stack.drain();
    return ((await stack.lead(email))?.interactions ?? []) as Array<{ type: string; externalId?: string }>;
  }

  it('the binary finds the stack by its discovery file, signs with its ticked clock; the signal is recorded once', async () => {
    // Two days ahead of the wall clock: a signature with the wall clock's time would be refused (5 minute tolerance).
    await stack.tick(48);
    const email = uniqueEmail('signal-binary');
    const args = ['signal', 'send', 'webinar_attended', email, '--id', 'webinar-2026-11', '--local-state', stateFile];
    const first = await runBinary(args, stack);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`POST ${stack.url}/events webinar_attended ${email} id=webinar-2026-11: 202`);
    expect(first.stdout).toContain('"recorded"');
    expect(await interactions(email)).toEqual([expect.objectContaining({ type: 'webinar_attended', externalId: 'webinar-2026-11' })]);

    const again = await runBinary(args, stack);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('"duplicate"');
    expect(await interactions(email)).toHaveLength(1);
  });

  it('--url picks the stack without a discovery file; without --id each send gets a fresh id', async () => {
    const email = uniqueEmail('signal-url');
    for (let n = 0; n < 2; n += 1) {
      const result = await cli(['signal', 'send', 'trial_started', email, '--url', stack.url, '--local-state', missingStateFile]);
      expect(result.err).toBe('');
      expect(result.code).toBe(0);
      expect(result.out).toMatch(/id=cli-[0-9a-f]{8}: 202 .*"recorded"/);
    }
    const recorded = await interactions(email);
    expect(recorded.map((interaction) => interaction.type)).toEqual(['trial_started', 'trial_started']);
    expect(new Set(recorded.map((interaction) => interaction.externalId)).size).toBe(2);
  });

  it('scripts/send-signal.ts signs the same way and takes PORT for its base URL', async () => {
    const email = uniqueEmail('signal-script');
    // The stack's own secret (the development default, as the test stack runs with): the script's default too.
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(new URL(stack.url).port) };
    delete env.LEADPIPE_INGEST_SECRET;
    // Spawned, not spawnSync: the stack runs in this process and must keep answering meanwhile.
    const script = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn('npx', ['tsx', 'scripts/send-signal.ts', email, 'trial_started', 'trial-42'], { cwd: REPO_ROOT, env });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
    expect(script.status, script.stderr).toBe(0);
    expect(script.stdout).toContain('202');
    expect(await interactions(email)).toEqual([expect.objectContaining({ type: 'trial_started', externalId: 'trial-42' })]);
  });

  it('a wrong secret is refused by the stack: exit 1 with its 401, nothing stored', async () => {
    const email = uniqueEmail('signal-bad-secret');
    const result = await cli(['signal', 'send', 'webinar_attended', email, '--url', stack.url, '--local-state', stateFile], {
      LEADPIPE_INGEST_SECRET: 'not-the-stack-secret',
    });
    expect(result.code).toBe(1);
    expect(result.err).toContain('HTTP 401');
    expect(await stack.lead(email)).toBeUndefined();
  });

  it('checks its arguments before anything is sent', async () => {
    const email = uniqueEmail('signal-bad-args');
    const badType = await cli(['signal', 'send', 'webinar', email, '--local-state', stateFile]);
    expect(badType.code).toBe(1);
    expect(badType.err).toBe('leadpipe: Unknown signal type "webinar": use one of webinar_attended, trial_started\n');
    const badUrl = await cli(['signal', 'send', 'trial_started', email, '--url', 'localhost:3000']);
    expect(badUrl.code).toBe(1);
    expect(badUrl.err).toContain('--url must be an http(s) URL');
    const missing = await cli(['signal', 'send', 'trial_started']);
    expect(missing.err).toContain('Missing <email>: leadpipe signal send <type> <email>');
    const noStack = await cli(['signal', 'send', 'trial_started', email, '--local-state', missingStateFile]);
    expect(noStack.code).toBe(1);
    expect(noStack.err).toContain('No running local stack');
    const group = await cli(['signal']);
    expect(group.code).toBe(1);
    expect(group.err).toContain('leadpipe signal send <webinar_attended|trial_started> <email>');
    expect(await stack.lead(email)).toBeUndefined();
  });
});
