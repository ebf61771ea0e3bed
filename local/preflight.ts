import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/**
 * Checks `npm start` makes before it starts anything: a missing Java or a busy port would otherwise
 * surface as a JVM that never answers (a 2-minute wait) or an EADDRINUSE stack trace after Java started.
 * Each failure is a PreflightError, whose message is all the user sees: what is wrong and what to do.
 */
export class PreflightError extends Error {
  override name = 'PreflightError';
}

export const MINIMUM_JAVA_MAJOR = 17;
/** `java -version` answers in well under a second; the bound keeps the whole start's failure under 10 s. */
const JAVA_VERSION_BOUND_MS = 5000;

const JAVA_HELP =
  `DynamoDB Local needs Java ${MINIMUM_JAVA_MAJOR} or newer. Install it, e.g. on Debian/Ubuntu:\n` +
  `  sudo apt-get install openjdk-${MINIMUM_JAVA_MAJOR}-jre-headless\n` +
  `or put any JDK/JRE ${MINIMUM_JAVA_MAJOR}+ on PATH, or set JAVA_HOME to it. Then run npm start again.`;

/** The java that DynamoDB Local runs with: JAVA_HOME's when it has one, else the first on PATH. */
export function javaCommand(env: NodeJS.ProcessEnv = process.env): string {
  const fromHome = env.JAVA_HOME ? join(env.JAVA_HOME, 'bin', 'java') : undefined;
  return fromHome && existsSync(fromHome) ? fromHome : 'java';
}

/** The major version in `java -version` output: `"17.0.15"` → 17, `"1.8.0_292"` → 8; undefined if none. */
export function javaMajorVersion(versionOutput: string): number | undefined {
  const match = versionOutput.match(/version "(\d+)(?:\.(\d+))?[^"]*"/);
  if (!match) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] !== undefined ? Number(match[2]) : first;
}

/** Throws a PreflightError unless a Java of at least MINIMUM_JAVA_MAJOR can be run. */
export function checkJava(env: NodeJS.ProcessEnv = process.env): void {
  const java = javaCommand(env);
  const result = spawnSync(java, ['-version'], { env, encoding: 'utf8', timeout: JAVA_VERSION_BOUND_MS });
  if (result.error) {
    const code = (result.error as NodeJS.ErrnoException).code;
    const problem =
      code === 'ENOENT'
        ? 'Java was not found (no java on PATH and no JAVA_HOME).'
        : code === 'ETIMEDOUT'
          ? `"${java} -version" did not answer within ${JAVA_VERSION_BOUND_MS / 1000} s.`
          : `"${java} -version" failed: ${result.error.message}.`;
    throw new PreflightError(`${problem}\n${JAVA_HELP}`);
  }
  // The JVM prints its version on stderr.
  const output = `${result.stderr}${result.stdout}`;
  const major = javaMajorVersion(output);
  if (result.status !== 0 || major === undefined) {
    throw new PreflightError(
      `"${java} -version" did not report a version (${firstLine(output) || `exit ${result.status}`}).\n${JAVA_HELP}`,
    );
  }
  if (major < MINIMUM_JAVA_MAJOR) {
    throw new PreflightError(`Java ${major} was found (${java}), but Java ${MINIMUM_JAVA_MAJOR}+ is required.\n${JAVA_HELP}`);
  }
}

/**
 * Throws a PreflightError if the HTTP port cannot be listened on. It binds the port as the stack's server
 * does (all interfaces) and lets it go at once; 0 means "any free port" and is always fine.
 */
export async function checkPort(port: number): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      const other = port + 1 <= 65535 ? port + 1 : 3000;
      if (error.code === 'EADDRINUSE') {
        reject(
          new PreflightError(
            `Port ${port} is already in use (another npm start, or another server). ` +
              `Stop it, or start on another port: PORT=${other} npm start`,
          ),
        );
      } else if (error.code === 'EACCES') {
        reject(new PreflightError(`Port ${port} needs privileges this user lacks. Start on another port: PORT=${other} npm start`));
      } else {
        reject(new PreflightError(`Port ${port} cannot be used (${error.code ?? error.message}). Try another: PORT=${other} npm start`));
      }
    });
    server.listen(port, () => server.close(() => resolve()));
  });
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}
