/**
 * No line over 140 characters (issue 12). Biome's formatter (lineWidth 140) wraps code, but it cannot
 * break a long string, template literal, regular expression or comment, so those slip through `biome check`.
 * This test reads every tracked TypeScript and JavaScript source and names each line that is longer.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '../../..');
const MAX_LINE_LENGTH = 140;
const SOURCE_PATTERNS = ['*.ts', '*.tsx', '*.mts', '*.cts', '*.js', '*.jsx', '*.mjs', '*.cjs'];

/**
 * Tracked files only: CI runs on a clean clone, so these are exactly the files it checks, and git's ignore
 * rules already leave out node_modules, cdk.out, .leadpipe and build output.
 */
function trackedSources(): string[] {
  const listing = execFileSync('git', ['ls-files', '-z', '--', ...SOURCE_PATTERNS], { cwd: ROOT, encoding: 'utf8' });
  // A tracked file deleted in the working tree stays listed until the deletion is committed.
  return listing.split('\0').filter((path) => path !== '' && existsSync(join(ROOT, path)));
}

/** "file:line (length)" for each line over the limit. Length in code points: "ü" or "—" is one character, not two or three bytes. */
function longLines(path: string): string[] {
  return readFileSync(join(ROOT, path), 'utf8')
    .split(/\r?\n/)
    .flatMap((line, index) => {
      const length = [...line].length;
      return length > MAX_LINE_LENGTH ? [`${path}:${index + 1} (${length} characters)`] : [];
    });
}

describe('line length', () => {
  it(`no tracked TypeScript or JavaScript source has a line over ${MAX_LINE_LENGTH} characters`, () => {
    // Prepare
    const files = trackedSources();

    // Act
    const offenders = files.flatMap(longLines);

    // Assess
    // An empty or truncated listing would pass without checking anything; the repository has hundreds of sources.
    expect(files.length).toBeGreaterThan(100);
    expect(offenders, `lines over ${MAX_LINE_LENGTH} characters:\n${offenders.join('\n')}`).toEqual([]);
  });
});
