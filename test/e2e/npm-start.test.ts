import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../local/free-port';
import { uniqueEmail, type DevMail } from '../support/test-stack';

/** Every process below `root`, from ps: npm, tsx, node and DynamoDB Local's java. */
function descendants(root: number): { pid: number; args: string }[] {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().match(/^(\d+)\s+(\d+)\s+(.*)$/))
    .filter((match): match is RegExpMatchArray => match !== null)
    .map((match) => ({ pid: Number(match[1]), ppid: Number(match[2]), args: match[3]! }));
  const found: { pid: number; args: string }[] = [];
  const queue = [root];
  while (queue.length) {
    const parent = queue.shift()!;
    for (const row of rows.filter((r) => r.ppid === parent)) {
      found.push(row);
      queue.push(row.pid);
    }
  }
  return found;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npm start, as a new user runs it', () => {
  let child: ChildProcess;
  let port: number;
  let output = '';
  // Its own folder for the discovery file: the test must not touch the .leadpipe/ of a stack the developer runs.
  const dataDir = mkdtempSync(join(tmpdir(), 'leadpipe-npm-start-'));

  beforeAll(async () => {
    port = await freePort();
    child = spawn('npm', ['start', '--', '--in-memory', '--data-dir', dataDir], {
      env: { ...process.env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + 90_000;
    while (!output.includes('leadpipe local stack ready:') && Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`npm start exited early:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (!output.includes('leadpipe local stack ready:')) throw new Error(`npm start never got ready:\n${output}`);
  }, 120_000);

  afterAll(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints the ready line with the HTTP port', () => {
    // Assess
    expect(output).toContain(`leadpipe local stack ready: http://localhost:${port}`);
  });

  it('serves the start page with a plain newsletter form', async () => {
    // Act
    const page = await (await fetch(`http://localhost:${port}/`)).text();

    // Assess
    expect(page).toMatch(/<form[^>]+action="\/forms\/newsletter"/);
  });

  it('turns a newsletter signup into a double-opt-in email and a lead', async () => {
    // Prepare
    const email = uniqueEmail('e2e');

    // Act
    const signup = await fetch(`http://localhost:${port}/forms/newsletter`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, marketingConsent: true }),
    });
    const drain = await fetch(`http://localhost:${port}/_dev/drain`, { method: 'POST' });
    const mail = (await (await fetch(`http://localhost:${port}/_dev/mail`)).json()) as DevMail[];
    const lead = (await (await fetch(`http://localhost:${port}/_dev/leads/${email}`)).json()) as Record<string, unknown>;

    // Assess
    expect(signup.status).toBe(200);
    expect(drain.status).toBe(200);
    const optIn = mail.filter((m) => m.to.includes(email));
    expect(optIn).toHaveLength(1);
    expect(optIn[0]!.text).toContain('/confirm?token=');
    expect(lead).toMatchObject({ email, lifecycle: 'warm', consent: { marketing: 'pending' } });
  });

  it('stops every child process, Java included, on SIGTERM', async () => {
    // Prepare
    const before = descendants(child.pid!);
    const java = before.filter((p) => p.args.includes('DynamoDBLocal.jar'));
    expect(java).toHaveLength(1);

    // Act
    const exited = new Promise((resolve) => child.once('exit', resolve));
    for (const p of before) if (!p.args.includes('DynamoDBLocal.jar')) process.kill(p.pid, 'SIGTERM');
    child.kill('SIGTERM');
    await exited;
    const deadline = Date.now() + 10_000;
    while (before.some((p) => isAlive(p.pid)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));

    // Assess
    expect(before.filter((p) => isAlive(p.pid))).toEqual([]);
  }, 30_000);
});
