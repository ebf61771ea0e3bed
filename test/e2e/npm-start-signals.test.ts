/**
 * Issue 14, Start item 3: SIGTERM to the node process that `npm start` runs (a process manager, `kill <pid>`
 * of the pid a developer sees in ps) stops everything it started: node, DynamoDB Local's java and tsx's
 * esbuild, and npm with it. Also when the signal comes while Java is still starting. (SIGTERM to npm itself is
 * test/e2e/npm-start.test.ts.) Every pid of the process group is checked, not only java.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { StackProcess, stackPort } from './stack-process';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Resolves once none of the pids is alive, or after a bounded number of checks (then the test's assertion says which). */
async function gone(pids: number[]): Promise<void> {
  for (let check = 0; check < 400 && pids.some(isAlive); check += 1) await new Promise((resolve) => setTimeout(resolve, 50));
}

describe('SIGTERM to the node process of npm start', () => {
  let dir: string;
  let stack: StackProcess | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'leadpipe-signals-'));
  });
  afterEach(async () => {
    await stack?.kill9().catch(() => undefined);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const nodeOf = (members: { pid: number; args: string }[]) => members.find((member) => member.args.includes('local/start.ts'));

  it('once ready: every process of the group is gone, npm included', async () => {
    // Prepare
    stack = new StackProcess(['--in-memory', '--data-dir', join(dir, 'ready')], { PORT: String(await stackPort()) });
    await stack.ready();
    const members = stack.groupMembers();
    const node = nodeOf(members);
    expect(node, JSON.stringify(members)).toBeDefined();
    expect(members.some((member) => member.args.includes('DynamoDBLocal.jar'))).toBe(true);

    // Act
    process.kill(node!.pid, 'SIGTERM');
    const code = await stack.exited();
    await gone(members.map((member) => member.pid));

    // Assess
    expect(code).toBe(0);
    expect(members.filter((member) => isAlive(member.pid))).toEqual([]);
  });

  it('while Java is still starting: the JVM is stopped too, not orphaned', async () => {
    // Prepare: wait for the java process to appear, then signal before the ready line
    stack = new StackProcess(['--in-memory', '--data-dir', join(dir, 'starting')], { PORT: String(await stackPort()) });
    let members = stack.groupMembers();
    for (let check = 0; check < 1200 && !members.some((member) => member.args.includes('DynamoDBLocal.jar')); check += 1) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      members = stack.groupMembers();
    }
    const node = nodeOf(members);
    expect(
      members.some((member) => member.args.includes('DynamoDBLocal.jar')),
      stack.output,
    ).toBe(true);

    // Act
    process.kill(node!.pid, 'SIGTERM');
    await stack.exited();
    await gone(members.map((member) => member.pid));

    // Assess
    expect(members.filter((member) => isAlive(member.pid))).toEqual([]);
  });
});
