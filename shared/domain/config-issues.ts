import type * as z from 'zod/mini';

/**
 * The one way a config file's problems are told (scoring rules, nurture sequences, booking slots):
 * every bad field by its path, `tracks.tofu[0].day: Too small…`; an unknown key by its own name,
 * since it is usually a typo of a real one.
 */
export function describeConfigIssues(issues: readonly z.core.$ZodIssue[], unknownKey = 'unrecognized key'): string[] {
  return issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => `${formatConfigPath([...issue.path, key])}: ${unknownKey}`)
      : [`${formatConfigPath(issue.path)}: ${issue.message}`],
  );
}

export function formatConfigPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out;
}

/** Config objects are shared by every request of a container: frozen, so no handler can change them for the next. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}
