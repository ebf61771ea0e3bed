import { z } from 'zod';

export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

/**
 * Reads configuration once from the environment and fails fast, naming every missing or bad
 * variable, so a mis-deployed function dies at cold start instead of at its first request.
 */
export function readEnv<S extends z.ZodRawShape>(shape: S, env: NodeJS.ProcessEnv = process.env): z.infer<z.ZodObject<S>> {
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

export const nonEmpty = () => z.string().trim().min(1);
export const absoluteUrl = () => z.url({ protocol: /^https?$/ }).transform((url) => url.replace(/\/+$/, ''));
export const commaList = () =>
  z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean),
    );
