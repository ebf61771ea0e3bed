import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueEmail, type DevMail } from '../support/test-stack';
import { stackPort } from './stack-process';

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
    port = await stackPort();
    child = spawn('npm', ['start', '--', '--in-memory', '--data-dir', dataDir], {
      env: { ...process.env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so a failed test can kill everything left in afterAll.
      detached: true,
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
    // Only if a test failed before the group was stopped; a group that is gone throws ESRCH.
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
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

  it('stops every process it started when npm alone gets SIGTERM, as from kill or a process manager', async () => {
    // Prepare: everything npm start runs, from the process table (npm, sh, node/tsx, DynamoDB Local's java)
    const before = descendants(child.pid!);
    expect(before.filter((p) => p.args.includes('DynamoDBLocal.jar'))).toHaveLength(1);
    expect(before.some((p) => /\bnode\b/.test(p.args))).toBe(true);

    // Act: signal npm only. Nothing else is signalled, so the stack itself must stop Java. (Before the start
    // script exec'd node, npm's forwarded signal stopped at the shell and node and Java were orphaned.)
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(child.pid!, 'SIGTERM');
    await exited;
    // Processes leave the table a moment after their parent's exit event: poll a bounded number of times.
    for (let check = 0; check < 400 && [...before, { pid: child.pid! }].some((p) => isAlive(p.pid)); check += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    // Assess: not only Java, every process that was running below npm start is gone
    expect([...before, { pid: child.pid!, args: 'npm start' }].filter((p) => isAlive(p.pid))).toEqual([]);
  });
});
