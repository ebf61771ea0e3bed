import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Replaces a file in one step: the content goes to a temporary file beside it, which is then renamed
 * over the target. A crash (kill -9) leaves either the old or the new content, never half of each.
 * Synchronous on purpose: callers write small files and rely on the write having happened when it returns.
 */
export function writeFileAtomically(file: string, content: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`;
  try {
    writeFileSync(temporary, content);
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** A journal directory's files, oldest name first; the directory is created when missing (a first run has none). */
export function journalFiles(dir: string): string[] {
  try {
    mkdirSync(dir, { recursive: true });
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}
