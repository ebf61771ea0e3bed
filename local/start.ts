import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT, startLocalStack, type LocalStack } from './local-stack';
import { SCHEDULES } from '../shared/wiring/app-wiring';

/** `npm start`: the whole funnel on this machine, no AWS account, no Docker. */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'in-memory': { type: 'boolean', default: false } }, allowPositionals: false });
  const port = Number(process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${process.env.PORT}`);

  const stack = await startLocalStack({ port, inMemory: values['in-memory'] });
  const discovery = writeDiscoveryFile(stack);

  // While `npm start` is up, the schedules also run on their own, in real time.
  const timers = SCHEDULES.map((schedule: { everyMinutes: number }) =>
    setInterval(() => void stack.runSchedules().catch((error: unknown) => console.error('schedule failed', error)), schedule.everyMinutes * 60_000),
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the local stack...`);
    timers.forEach(clearInterval);
    rmSync(discovery, { force: true });
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  console.log(`leadpipe local stack ready: ${stack.url}`);
  console.log(`  forms:      ${stack.url}/            (start page)`);
  console.log(`  mail:       ${stack.url}/_dev/mail`);
  console.log(`  lead view:  ${stack.url}/_dev/leads/<email>`);
  console.log(`  data:       ${values['in-memory'] ? 'in memory' : '.leadpipe/ (use --in-memory to skip)'}`);
}

/**
 * Tells `npx leadpipe` where the running stack is: every port but the HTTP one is chosen at start.
 * It holds the same environment the functions get, so the CLI uses the same code path as on AWS.
 */
function writeDiscoveryFile(stack: LocalStack): string {
  const dir = join(PROJECT_ROOT, '.leadpipe');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'local-stack.json');
  writeFileSync(file, JSON.stringify({ url: stack.url, pid: process.pid, environment: stack.environment }, null, 2));
  return file;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
