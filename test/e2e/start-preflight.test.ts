/**
 * Issue 14, Start items 1, 2 and 4: `npm start` tells a missing or old Java and a busy port within 10 s,
 * before any JVM starts, in a message that says what to do (no stack trace); a start prints no AWS SDK
 * Node-version warning. The stack is started as `npm start` runs it (node --import tsx local/start.ts), with
 * a PATH that holds only what the case needs.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../local/local-stack';
import { StackProcess, stackPort } from './stack-process';

const TEN_SECONDS = 10_000;

/** Runs local/start.ts as the start script does; resolves with its exit code, output and how long it took. */
function runStart(env: NodeJS.ProcessEnv, dataDir: string): Promise<{ code: number | null; output: string; elapsedMs: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts', '--in-memory', '--data-dir', dataDir], {
    cwd: PROJECT_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, output, elapsedMs: Date.now() - started })));
}

/** The test's environment without anything that names a Java. */
function withoutJava(path: string): NodeJS.ProcessEnv {
  const { JAVA_HOME: _home, ...env } = process.env;
  return { ...env, PATH: path };
}

describe('npm start before it starts anything', () => {
  let dir: string;
  let onlyNode: string;
  let oldJava: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'leadpipe-preflight-'));
    // A PATH with node and nothing else: no java anywhere on it.
    onlyNode = join(dir, 'only-node');
    oldJava = join(dir, 'old-java');
    for (const bin of [onlyNode, oldJava]) {
      mkdirSync(bin);
      symlinkSync(process.execPath, join(bin, 'node'));
    }
    // A Java 8 as `java -version` reports it (on stderr).
    writeFileSync(join(oldJava, 'java'), '#!/bin/sh\necho \'java version "1.8.0_292"\' >&2\n');
    chmodSync(join(oldJava, 'java'), 0o755);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('without Java: exits non-zero within 10 s, saying Java 17+ is required and how to install it, no stack trace', async () => {
    // Act
    const result = await runStart({ ...withoutJava(onlyNode), PORT: String(await stackPort()) }, join(dir, 'data-1'));

    // Assess
    expect(result.code, result.output).not.toBe(0);
    expect(result.code).not.toBeNull();
    expect(result.elapsedMs).toBeLessThan(TEN_SECONDS);
    expect(result.output).toContain('Java was not found');
    expect(result.output).toContain('Java 17 or newer');
    expect(result.output).toContain('sudo apt-get install openjdk-17-jre-headless');
    expect(result.output).toContain('JAVA_HOME');
    expect(result.output).not.toMatch(/\n\s+at /);
    expect(result.output).not.toContain('leadpipe local stack ready');
  });

  it('with Java 8: exits non-zero within 10 s, naming the version found and the one required', async () => {
    // Act
    const result = await runStart({ ...withoutJava(oldJava), PORT: String(await stackPort()) }, join(dir, 'data-2'));

    // Assess
    expect(result.code, result.output).not.toBe(0);
    expect(result.elapsedMs).toBeLessThan(TEN_SECONDS);
    expect(result.output).toContain('Java 8 was found');
    expect(result.output).toContain('Java 17+ is required');
    expect(result.output).not.toMatch(/\n\s+at /);
  });

  it('with its port taken: exits non-zero within 10 s, before Java, naming the port and PORT=', async () => {
    // Prepare: the port held as another server holds it; no Java on PATH, so reaching the Java check would say so
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(0, resolve));
    const port = (server.address() as { port: number }).port;

    // Act
    const result = await runStart({ ...withoutJava(onlyNode), PORT: String(port) }, join(dir, 'data-3')).finally(
      () => new Promise((resolve) => server.close(resolve)),
    );

    // Assess
    expect(result.code, result.output).not.toBe(0);
    expect(result.elapsedMs).toBeLessThan(TEN_SECONDS);
    expect(result.output).toContain(`Port ${port} is already in use`);
    expect(result.output).toMatch(/PORT=\d+ npm start/);
    expect(result.output).not.toContain('Java');
    expect(result.output).not.toMatch(/\n\s+at /);
  });

  it('a start that gets ready prints no AWS SDK Node-version warning, and none while it stops', async () => {
    // Prepare
    const stack = new StackProcess(['--in-memory', '--data-dir', join(dir, 'data-4')], { PORT: String(await stackPort()) });
    await stack.ready();

    // Act: a request that makes the functions create their SDK clients, then a stop (the warning used to come then)
    const response = await fetch(`${stack.output.match(/ready: (\S+)/)![1]}/forms/newsletter`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: `warning-${Date.now()}@example.com`, marketingConsent: true }),
    });
    process.kill(stack.pid, 'SIGTERM');
    await stack.exited();

    // Assess
    expect(response.status).toBe(200);
    expect(stack.output).toContain('stopping the local stack');
    // (npm echoes the start script, whose --disable-warning flag names the warning: look for the warning itself)
    expect(stack.output).not.toContain('Warning: NodeVersionSupportWarning');
    expect(stack.output).not.toContain('will require node');
  });
});
