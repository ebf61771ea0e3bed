import { fileURLToPath } from 'node:url';

/** The repository root: entries in app-wiring.ts and the content/ folder are relative to it. */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');

/** 'capture-form' -> 'CaptureForm': construct ids (and so logical ids) derived from the wiring tables. */
export function pascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}
