/**
 * Runs one measurement in its own process: `node --import tsx bench/worker.ts <step> <outFile> <optionsJson>`.
 * A fresh process per measurement gives each its own module singletons (SDK clients, function
 * config read at import) and environment, and lets run.ts stop a measurement that overruns.
 * The result (or the error) is written as JSON to <outFile>; progress goes to stderr.
 */
import { writeFileSync } from 'node:fs';

const STEPS = {
  'request-path': async (options: any) => (await import('./request-path')).measureRequestPath(options),
  'capture-latency': async (options: any) => (await import('./capture-latency')).measureCaptureLatency(options),
  'dispatcher-scaling': async (options: any) => (await import('./dispatcher-scaling')).measureDispatcherScaling(options),
  classification: async (options: any) => (await import('./classification')).measureClassification(options),
  'end-to-end': async (options: any) => (await import('./end-to-end')).measureEndToEnd(options),
  'dashboard-scaling': async (options: any) => (await import('./dashboard-scaling')).measureDashboardScaling(options),
  campaign: async (options: any) => (await import('./campaign')).measureCampaign(options),
} as const;

export type WorkerStep = keyof typeof STEPS;

async function main(): Promise<void> {
  const [step, outFile, optionsJson] = process.argv.slice(2);
  if (!step || !outFile || !(step in STEPS)) {
    process.stderr.write(`usage: worker.ts <${Object.keys(STEPS).join('|')}> <outFile> [optionsJson]\n`);
    process.exit(2);
  }
  const options = optionsJson ? JSON.parse(optionsJson) : {};
  try {
    const result = await STEPS[step as WorkerStep](options);
    writeFileSync(outFile, JSON.stringify({ ok: true, result }));
  } catch (error) {
    writeFileSync(
      outFile,
      JSON.stringify({
        ok: false,
        error: error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error),
      }),
    );
    process.exitCode = 1;
  }
  // Open sockets and timers of the code under test must not keep the worker alive.
  setTimeout(() => process.exit(), 50).unref();
}

void main();
