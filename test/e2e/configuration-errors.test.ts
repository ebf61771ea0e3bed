/**
 * Issue 11, item 8: a bad configuration value must stop `npm start`, naming the variable, instead of a
 * ready line followed by a 500 on every request.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StackProcess, stackPort } from './stack-process';

describe('npm start with a bad configuration value', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'leadpipe-bad-config-'));
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it.each([
    ['LEADPIPE_INGEST_SECRET', 'short'],
    ['SALES_RECIPIENTS', 'sales-at-example.com'],
  ])(
    '%s=%s: exits non-zero naming the variable, never says ready, leaves no process behind',
    async (name, value) => {
      // Prepare
      const stack = new StackProcess(['--in-memory', '--data-dir', dataDir], { PORT: String(await stackPort()), [name]: value });

      // Act: whichever comes first, the exit or the ready line (then the start went on, and the test fails)
      const outcome = await Promise.race([
        stack.exited().then((code) => ({ code })),
        stack.ready().then(
          () => 'ready' as const,
          () => ({ code: -1 }),
        ),
      ]);
      if (outcome === 'ready') await stack.kill9();

      // Assess
      expect(outcome).not.toBe('ready');
      expect(outcome).not.toEqual({ code: 0 });
      expect(stack.output).toMatch(new RegExp(`${name}[: ]`));
      expect(stack.output).not.toContain('leadpipe local stack ready');
      expect(stack.groupMembers()).toEqual([]);
    },
    240_000,
  );
});
