import { en } from 'zod/locales';
import * as z from 'zod/mini';

// zod/mini loads no messages (every issue would read "Invalid input"): the English locale, about 3 KB, keeps the
// messages zod classic gave, e.g. "PUBLIC_BASE_URL: Invalid URL". Each module that turns zod issues into text sets it,
// so its messages do not depend on which other module happened to load first. `import * as z`, never `import { z }`:
// the `z` object is the whole namespace, and using it as a value keeps all of zod (every locale too) in the bundle.
z.config(en());

export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

/**
 * Reads configuration once from the environment and fails fast, naming every missing or bad
 * variable, so a mis-deployed function dies at cold start instead of at its first request.
 */
export function readEnv<S extends z.core.$ZodShape>(shape: S, env: NodeJS.ProcessEnv = process.env): z.output<z.ZodMiniObject<S>> {
  const result = z.object(shape).safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    // The variable is the first path element; further ones point into a parsed value, such as an item of a list.
    const name = String(issue.path[0] ?? '');
    const within = issue.path.length > 1 ? ` (item ${issue.path.slice(1).join('.')})` : '';
    return env[name] === undefined ? `${name} is not set` : `${name}: ${issue.message}${within}`;
  });
  throw new ConfigurationError(`Invalid configuration: ${problems.join('; ')}`);
}

export const nonEmpty = () => z.string().check(z.trim(), z.minLength(1));
export const absoluteUrl = () =>
  z.pipe(
    z.url({ protocol: /^https?$/ }),
    z.transform((url: string) => url.replace(/\/+$/, '')),
  );
export const commaList = () =>
  z.pipe(
    z._default(z.string(), ''),
    z.transform((value: string) =>
      value
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean),
    ),
  );
