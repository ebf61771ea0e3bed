import { ConfigurationError, readEnv } from '../shared/config/read-env';
import { validateSecretsEnvironment } from '../shared/security/app-secrets';
import { FUNCTIONS, type FunctionName } from '../shared/wiring/app-wiring';
import { FUNCTION_ENV } from '../shared/wiring/function-config';

/**
 * Checks the configuration of every function, exactly as each one's cold start will (its FUNCTION_ENV
 * entry, and the secrets for those bound to 'secrets:read'), before the local stack says it is ready.
 * Locally every function gets the same environment, so one bad value would otherwise surface only as
 * a 500 on the first request that reaches an affected function.
 *
 * Throws one ConfigurationError that names each bad variable once, with the functions that read it.
 */
export function validateFunctionConfiguration(env: NodeJS.ProcessEnv): void {
  const readers = new Map<string, FunctionName[]>();
  const note = (error: unknown, name: FunctionName) => {
    if (!(error instanceof ConfigurationError)) throw error;
    for (const problem of error.message.replace(/^Invalid configuration:\s*/, '').split('; ')) {
      readers.set(problem, [...(readers.get(problem) ?? []), name]);
    }
  };
  for (const name of Object.keys(FUNCTIONS) as FunctionName[]) {
    try {
      readEnv(FUNCTION_ENV[name], env);
    } catch (error) {
      note(error, name);
    }
    if ((FUNCTIONS[name].bindings as readonly string[]).includes('secrets:read')) {
      try {
        validateSecretsEnvironment(env);
      } catch (error) {
        note(error, name);
      }
    }
  }
  if (readers.size === 0) return;
  const everyFunction = Object.keys(FUNCTIONS).length;
  const lines = [...readers].map(([problem, names]) => {
    const readBy = names.length === everyFunction ? 'every function' : names.join(', ');
    return `  - ${problem} (read by ${readBy})`;
  });
  throw new ConfigurationError(`Invalid configuration, the local stack did not start:\n${lines.join('\n')}`);
}
