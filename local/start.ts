import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { LocalStack } from './local-stack';
import { checkJava, checkPort, PreflightError } from './preflight';

/** `npm start`: the whole funnel on this machine, no AWS account, no Docker. */
async function main(): Promise<void> {
  // The SDK warns that its 2027 versions need Node 22, as a plain "Warning" whose message starts with the
  // name, so --disable-warning=NodeVersionSupportWarning misses it; its own switch does not. Set before any
  // client exists (the stack modules load below), and inherited by child processes.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { values } = parseArgs({
    options: {
      'in-memory': { type: 'boolean', default: false },
      // where the state lives (default .leadpipe/): tests restart a stack on a folder of their own
      'data-dir': { type: 'string' },
      // an SES v2 emulator that is already running, whose mail outlives restarts of this stack
      'ses-endpoint': { type: 'string' },
      // 0: the stream is read only when drained (POST /_dev/drain), so written but unrelayed work can be seen
      'stream-poll-ms': { type: 'string', default: '200' },
    },
    allowPositionals: false,
  });
  const port = Number(process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${process.env.PORT}`);
  const streamPollMs = Number(values['stream-poll-ms']);
  if (!Number.isInteger(streamPollMs) || streamPollMs < 0) {
    throw new Error(`--stream-poll-ms must be a whole number of ms >= 0, got ${values['stream-poll-ms']}`);
  }
  const sesEndpoint = values['ses-endpoint'];
  if (sesEndpoint !== undefined && !URL.canParse(sesEndpoint)) throw new Error(`--ses-endpoint must be a URL, got ${sesEndpoint}`);

  // Before anything starts (and before the SDK-heavy stack modules load): a busy port or a missing Java
  // is told in a few seconds, not after a JVM that never answers.
  await checkPort(port);
  checkJava();
  const { DEFAULT_DATA_DIR, startLocalStack } = await import('./local-stack');
  const { SCHEDULES } = await import('../shared/wiring/app-wiring');
  const dataDir = resolve(values['data-dir'] ?? DEFAULT_DATA_DIR);

  // Listened for from here on: a signal while Java is still starting would otherwise end node at once and
  // orphan the JVM. The stack is stopped as soon as it exists.
  let signalled: string | undefined;
  let shutdown: (signal: string) => Promise<void> = async (signal) => {
    signalled ??= signal;
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  // The console SPA builds (about a second, only when its sources changed) while the stack starts; a failed build
  // is reported but does not stop the pipeline.
  const { ensureConsoleBuilt } = await import('./console-static');
  const consoleBuild = ensureConsoleBuilt().then(
    () => undefined,
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  );
  const inMemory = values['in-memory'];
  const stack = await startLocalStack({ port, inMemory, dataDir, streamPollMs, ...(sesEndpoint ? { sesEndpoint } : {}) });
  const discovery = writeDiscoveryFile(stack, dataDir);

  // While `npm start` is up, the schedules also run on their own, in real time.
  const timers = SCHEDULES.map((schedule: { everyMinutes: number }) =>
    setInterval(
      () => void stack.runSchedules().catch((error: unknown) => console.error('schedule failed', error)),
      schedule.everyMinutes * 60_000,
    ),
  );

  let stopping = false;
  shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the local stack...`);
    timers.forEach(clearInterval);
    rmSync(discovery, { force: true });
    await stack.stop();
    process.exit(0);
  };
  if (signalled) return shutdown(signalled);

  console.log(`leadpipe local stack ready: ${stack.url}`);
  console.log(`  forms:      ${stack.url}/            (start page)`);
  console.log(`  mail:       ${stack.url}/_dev/mail`);
  console.log(`  lead view:  ${stack.url}/_dev/leads/<email>`);
  const consoleError = await consoleBuild;
  console.log(`  console:    ${stack.url}/console/${consoleError ? `   (build failed: ${consoleError})` : '   (sign in locally)'}`);
  console.log(`  data:       ${values['in-memory'] ? 'in memory' : `${displayPath(dataDir)}/ (use --in-memory to skip)`}`);
}

/** Relative to the working directory when inside it (`.leadpipe`), else absolute. */
function displayPath(dir: string): string {
  const relativePath = relative(process.cwd(), dir);
  return relativePath && !relativePath.startsWith('..') && !isAbsolute(relativePath) ? relativePath : dir;
}

/**
 * Tells `npx leadpipe` where the running stack is: every port but the HTTP one is chosen at start.
 * It holds the same environment the functions get, so the CLI uses the same code path as on AWS.
 */
function writeDiscoveryFile(stack: LocalStack, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'local-stack.json');
  writeFileSync(file, JSON.stringify({ url: stack.url, pid: process.pid, environment: stack.environment }, null, 2));
  return file;
}

main().catch((error: unknown) => {
  // Only the message: a start that cannot go on says why and what to do, never with a stack trace.
  console.error(error instanceof PreflightError ? `npm start: ${error.message}` : error instanceof Error ? error.message : error);
  process.exit(1);
});
