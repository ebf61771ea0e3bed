/**
 * `npm run bench`: runs every measurement, prints the tables and writes bench/results.json.
 *
 * Order: the CDK synth and the cold-init processes first (three DynamoDB Local instances, one per
 * data-heavy step — see startEmulators — and the SES emulator start meanwhile and then sit idle),
 * then one worker process per measurement against those emulators, then the cost model. Every
 * step has a time budget taken from what is left of the whole run's (BENCH_BUDGET_SECONDS, default
 * 960 s); loops inside the steps stop at their budget and run.ts kills a worker that overruns it.
 * DynamoDB Local (Java) is stopped on every way out.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { startDynamoDbLocal, type DynamoDbLocal } from '../local/dynamodb-local';
import { startSesEmulator, type SesEmulator } from '../local/ses-emulator';
import { benchEnvironment } from './bench-env';
import { measureBundles, stopSynth } from './bundles';
import { AUDIENCE_PAGE_SIZE, RECIPIENTS_PER_MESSAGE } from '../shared/campaigns/campaign-engine';
import { sendRatePerInvocation } from '../shared/campaigns/campaign-engine-sender';
import { QUEUES } from '../shared/wiring/app-wiring';
import type { CampaignBenchResult } from './campaign';
import { computeCost, type NewsletterInputs } from './cost-model';
import { PROGRESS_PREFIX } from './progress';
import { renderReport, type BenchResults, type Machine, type TargetCheck } from './report';
import { median, round } from './stats';
import type { WorkerStep } from './worker';

const BENCH_DIR = import.meta.dirname;
const ROOT = join(BENCH_DIR, '..');
const RESULTS_FILE = join(BENCH_DIR, 'results.json');
const BUDGET_MS = Number(process.env.BENCH_BUDGET_SECONDS ?? 960) * 1000;
const startedAt = Date.now();
const children = new Set<ChildProcess>();
/** Set once the emulators are starting, so a Ctrl-C during their start-up still stops them. */
let emulatorsStarting: Promise<unknown> = Promise.resolve();
let emulators: { dynamo: Partial<Record<DynamoInstance, DynamoDbLocal>>; ses?: SesEmulator } = { dynamo: {} };

const remainingMs = () => BUDGET_MS - (Date.now() - startedAt);
/** A step's budget: its own cap, but never eating what the steps after it need at least. */
const budgetFor = (capMs: number, reserveForLaterMs: number) => Math.max(10_000, Math.min(capMs, remainingMs() - reserveForLaterMs));

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

function machine(): Machine {
  const cpuinfo = (() => {
    try {
      return readFileSync('/proc/cpuinfo', 'utf8');
    } catch {
      return '';
    }
  })();
  return {
    cpus: availableParallelism(),
    cpuModel: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? 'unknown',
    memoryGiB: round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    loadAverageAtStart: loadavg().map((value) => round(value, 2)),
  };
}

/**
 * One DynamoDB Local per data-heavy measurement. Stream reads (GetRecords) of a DynamoDB Local get
 * slower with the stream records it already holds — those of deleted tables included — so the
 * end-to-end pipeline on an instance that had taken the 2,000 capture transactions ran ~8× slower,
 * and on one that held the dispatcher's 50,000 leads slower still. Each is stopped after its step.
 */
type DynamoInstance = 'capture' | 'dispatcher' | 'endToEnd' | 'campaign';
const DYNAMO_INSTANCES: DynamoInstance[] = ['capture', 'dispatcher', 'endToEnd', 'campaign'];

async function startEmulators(): Promise<{ dynamo: Record<DynamoInstance, DynamoDbLocal>; ses: SesEmulator }> {
  const [sesResult, ...dynamoResults] = await Promise.allSettled([startSesEmulator(), ...DYNAMO_INSTANCES.map(() => startDynamoDbLocal())]);
  emulators.ses = sesResult?.status === 'fulfilled' ? (sesResult.value as SesEmulator) : undefined;
  DYNAMO_INSTANCES.forEach((name, i) => {
    const result = dynamoResults[i];
    if (result?.status === 'fulfilled') emulators.dynamo[name] = result.value as DynamoDbLocal;
  });
  const failed = [sesResult, ...dynamoResults].find((result) => result?.status === 'rejected') as PromiseRejectedResult | undefined;
  if (failed) throw failed.reason;
  return { dynamo: emulators.dynamo as Record<DynamoInstance, DynamoDbLocal>, ses: emulators.ses! };
}

async function stopDynamo(name: DynamoInstance): Promise<void> {
  const instance = emulators.dynamo[name];
  delete emulators.dynamo[name];
  await instance?.stop().catch(() => undefined);
}

async function stopEmulators(): Promise<void> {
  const { dynamo, ses } = emulators;
  emulators = { dynamo: {} };
  await Promise.all(
    [...Object.values(dynamo).map((instance) => instance.stop()), ses?.stop()].map((promise) => promise?.catch(() => undefined)),
  );
}

/** Runs one measurement in a worker process; resolves with its result, rejects on failure or overrun. */
function runWorker<T>(step: WorkerStep, options: Record<string, unknown>, timeoutMs: number, env: Record<string, string>): Promise<T> {
  const outFile = join(tmpdir(), `leadpipe-bench-${process.pid}-${step}.json`);
  rmSync(outFile, { force: true });
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_') && !key.startsWith('POWERTOOLS_') && key !== 'NODE_OPTIONS'),
  ) as Record<string, string>;
  return new Promise<T>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--disable-warning=NodeVersionSupportWarning',
        '--expose-gc',
        '--import',
        'tsx',
        join(BENCH_DIR, 'worker.ts'),
        step,
        outFile,
        JSON.stringify(options),
      ],
      {
        cwd: ROOT,
        env: { ...inherited, ...env },
        // The functions log to stdout as on Lambda; nobody reads it here.
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    children.add(child);
    const tail: string[] = [];
    let buffered = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith(PROGRESS_PREFIX)) log(`  ${line.slice(PROGRESS_PREFIX.length)}`);
        else if (
          line.trim() &&
          !/NodeVersionSupportWarning|node >=22|a\.co\/c895JFp|trace-warnings/.test(line) &&
          !/versions published after|To continue receiving|security updates please upgrade|^\s*$/.test(line)
        ) {
          tail.push(line);
          if (tail.length > 40) tail.shift();
        }
      }
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
    }, timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      children.delete(child);
      let payload: { ok: boolean; result?: T; error?: string } | undefined;
      try {
        payload = JSON.parse(readFileSync(outFile, 'utf8'));
      } catch {
        payload = undefined;
      }
      rmSync(outFile, { force: true });
      if (payload?.ok) return resolve(payload.result as T);
      const reason = timedOut
        ? `timed out after ${Math.round(timeoutMs / 1000)} s`
        : (payload?.error ?? `worker exited with ${signal ?? code}`);
      reject(new Error(`${reason}${tail.length ? `\n${tail.slice(-15).join('\n')}` : ''}`));
    });
  });
}

async function main(): Promise<void> {
  const results: BenchResults = {
    startedAt: new Date(startedAt).toISOString(),
    budgetSeconds: BUDGET_MS / 1000,
    machine: machine(),
    targets: [],
    errors: {},
    stepSeconds: {},
  };
  const timed = async <T>(step: string, run: () => Promise<T>): Promise<T | undefined> => {
    const start = Date.now();
    log(`▶ ${step} (${Math.round(remainingMs() / 1000)} s of the budget left)`);
    try {
      return await run();
    } catch (error) {
      results.errors[step] = error instanceof Error ? error.message : String(error);
      log(`✖ ${step}: ${results.errors[step]}`);
      return undefined;
    } finally {
      results.stepSeconds[step] = round((Date.now() - start) / 1000);
    }
  };
  log(`leadpipe benchmarks: budget ${BUDGET_MS / 1000} s, ${results.machine.cpus} cores, Node ${results.machine.node}`);

  // DynamoDB Local and the SES emulator start while CDK synthesizes; they are idle during the cold-init processes.
  const emulatorsReady = startEmulators();
  emulatorsStarting = emulatorsReady.catch(() => undefined);
  results.bundles = await timed('bundles', () => measureBundles({ rounds: 20, budgetMs: budgetFor(230_000, 300_000) }));
  const endpoints = await timed('emulators', async () => {
    const { dynamo, ses } = await emulatorsReady;
    return {
      capture: dynamo.capture.endpoint,
      dispatcher: dynamo.dispatcher.endpoint,
      endToEnd: dynamo.endToEnd.endpoint,
      campaign: dynamo.campaign.endpoint,
      ses: ses.endpoint,
    };
  });

  if (endpoints) {
    const env = (label: string, instance: DynamoInstance) =>
      benchEnvironment({ dynamodb: endpoints[instance], ses: endpoints.ses }, `bench-${label}-${randomUUID().slice(0, 8)}`);
    results.requestPath = await timed('request-path', () =>
      runWorker('request-path', { submissionsPerForm: 25 }, budgetFor(60_000, 240_000), env('request-path', 'capture')),
    );
    {
      const budget = budgetFor(100_000, 190_000);
      results.captureLatency = await timed('capture-latency', () =>
        runWorker(
          'capture-latency',
          { submissions: 2000, warmupPairs: 100, budgetMs: budget - 15_000 },
          budget + 20_000,
          env('latency', 'capture'),
        ),
      );
      await stopDynamo('capture');
    }
    {
      const budget = budgetFor(170_000, 110_000);
      results.dispatcher = await timed('dispatcher-scaling', () =>
        runWorker(
          'dispatcher-scaling',
          { small: 1_000, large: 50_000, repetitions: 11, budgetMs: budget - 20_000 },
          budget + 30_000,
          env('dispatcher', 'dispatcher'),
        ),
      );
      await stopDynamo('dispatcher');
    }
    {
      const budget = budgetFor(40_000, 80_000);
      results.classification = await timed('classification', () =>
        runWorker(
          'classification',
          { leads: 2_000, rounds: 15, budgetMs: budget - 10_000 },
          budget + 15_000,
          env('classification', 'endToEnd'),
        ),
      );
    }
    {
      const budget = budgetFor(150_000, 5_000);
      results.endToEnd = await timed('end-to-end', () =>
        runWorker(
          'end-to-end',
          { leads: 1_000, concurrency: 10, probeLeads: 30, budgetMs: budget - 15_000 },
          budget + 30_000,
          env('e2e', 'endToEnd'),
        ),
      );
    }
    {
      // Seeding 51,000 lead profiles takes most of it (about 2 minutes on DynamoDB Local); the reads take milliseconds.
      const budget = budgetFor(200_000, 5_000);
      results.dashboard = await timed('dashboard-scaling', () =>
        runWorker(
          'dashboard-scaling',
          { small: 1_000, large: 50_000, days: 30, repetitions: 11, budgetMs: budget - 15_000 },
          budget + 20_000,
          env('dashboard', 'endToEnd'),
        ),
      );
    }
    {
      // 10,000 recipients through the local SQS and the SES emulator; cut (and marked incomplete) at the budget.
      const budget = budgetFor(600_000, 5_000);
      results.campaign = await timed('campaign', () =>
        runWorker('campaign', { recipients: 10_000, budgetMs: budget - 60_000 }, budget + 30_000, env('campaign', 'campaign')),
      );
      await stopDynamo('campaign');
    }
  }
  await timed('stop emulators', stopEmulators);

  results.cost = await timed('cost-model', async () => costFrom(results));
  results.targets = targetsOf(results);
  results.machine.loadAverageAtEnd = loadavg().map((value) => round(value, 2));
  results.finishedAt = new Date().toISOString();
  results.totalSeconds = round((Date.now() - startedAt) / 1000);
  writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`\n${renderReport(results)}\n\nresults written to ${RESULTS_FILE}\n`);
  if (Object.keys(results.errors).length > 0) process.exitCode = 1;
}

function costFrom(results: BenchResults) {
  const probe = results.endToEnd?.probe?.perLead;
  const dispatcher = results.dispatcher;
  if (!probe || !dispatcher) throw new Error('needs the end-to-end probe and the dispatcher figures');
  const nurture = JSON.parse(readFileSync(join(ROOT, 'config/nurture-sequences.json'), 'utf8')) as { tracks: { tofu: unknown[] } };
  const resources = results.bundles?.resources ?? {};
  const fns = results.bundles?.functions ?? [];
  return computeCost({
    signup: {
      apiRequests: probe.apiRequests,
      invocations: probe.invocations,
      durationsMs: Object.fromEntries(Object.entries(probe.durationsMs).map(([name, d]) => [name, d.p50])),
      readUnits: probe.readUnits,
      writeUnits: probe.writeUnits,
      customEvents: probe.putEventsEntries,
      eventBytes: probe.putEventsBytes,
      emails: probe.sesEmails,
      logBytes: probe.logBytes,
      storedBytes: probe.storedBytes,
    },
    nurtureSend: {
      readUnits: dispatcher.perDueLead.readUnits,
      writeUnits: dispatcher.perDueLead.writeUnits,
      durationMs: dispatcher.perDueLead.durationMs,
      emails: dispatcher.perDueLead.calls['SESv2.SendEmail'] ?? 1,
    },
    nurtureStepsPerLead: nurture.tracks.tofu.length,
    emptyRun: {
      durationMs: dispatcher.emptyRun.durationMs,
      queries: dispatcher.emptyRun.calls['DynamoDB.Query'] ?? 0,
      readUnits: dispatcher.emptyRun.readUnits,
    },
    scheduleEveryMinutes: 15,
    memoryMb: fns.find((fn) => fn.name === 'capture-form')?.memoryMb ?? 512,
    initMs: fns.length ? median(fns.map((fn) => fn.initMs)) : 150,
    secretsFunctions: fns.length
      ? fns.filter((fn) => fn.clients.includes('secrets')).map((fn) => fn.name)
      : ['capture-form', 'send-opt-in', 'confirm-consent'],
    resources: {
      alarms: resources['AWS::CloudWatch::Alarm'] ?? 0,
      dashboards: resources['AWS::CloudWatch::Dashboard'] ?? 0,
      kmsKeys: resources['AWS::KMS::Key'] ?? 0,
      secrets: resources['AWS::SecretsManager::Secret'] ?? 0,
    },
    customMetricSeries: 11,
    ...(results.campaign ? { newsletter: newsletterFrom(results.campaign) } : {}),
    notes:
      results.bundles?.source === 'cdk synth'
        ? []
        : [
            'the CDK synth failed, so the fixed resources (alarms, dashboard, keys, secrets) could not be counted ' +
              'and are missing from the total',
          ],
  });
}

/** What one recipient of the campaign bench costs, for the cost model's newsletter lines (QUEUES sizes the batches). */
function newsletterFrom(campaign: CampaignBenchResult): NewsletterInputs {
  const sends = QUEUES.find((queue) => queue.name === 'campaign-sends')!;
  const recipients = Math.max(1, campaign.mailsSent);
  return {
    readUnits: campaign.perRecipient.readUnits,
    writeUnits: campaign.perRecipient.writeUnits,
    sqsSendsPerRecipient: campaign.perRecipient.sqsRequests,
    invocationsPerRecipient: Object.fromEntries(Object.entries(campaign.invocations).map(([name, n]) => [name, n / recipients])),
    eventsPerRecipient: 1,
    recipientsPerSenderInvocation: RECIPIENTS_PER_MESSAGE * sends.batchSize,
    recipientsPerPlanPage: AUDIENCE_PAGE_SIZE,
    // a new production account: 14 mails/s, 80 % for campaigns, over the queue's maximum concurrency
    sendRatePerInvocation: sendRatePerInvocation(14, 0.8, sends.maxConcurrency),
    queues: QUEUES.length,
  };
}

function targetsOf(results: BenchResults): TargetCheck[] {
  const targets: TargetCheck[] = [];
  const r = results.requestPath;
  targets.push({
    measurement: '2 request path',
    target: 'exactly 1 synchronous AWS call per submission',
    figure: r
      ? r.forms
          .map((form) => {
            const { min, max } = form.totalCallsPerSubmission;
            return `${form.form} ${min === max ? max : `${min}–${max}`}`;
          })
          .join(', ')
      : 'not measured',
    met: r ? r.meetsTarget : false,
  });
  const c = results.captureLatency;
  targets.push({
    measurement: '3 capture latency',
    target: 'handler/bare ≤ 1.5× at p50',
    figure: c ? `${c.ratioP50}× at p50 (${c.ratioP99}× at p99)` : 'not measured',
    met: c ? c.meetsTarget : false,
  });
  const d = results.dispatcher;
  targets.push({
    measurement: '4 dispatcher scaling',
    target: '50k/1k ≤ 1.2 (read capacity; time)',
    figure: d
      ? `read capacity ${d.ratios.readUnits}×; ` +
        `time ${d.ratios.timeNormalized}× net of DynamoDB Local's ${d.ratios.bareCalls}× (raw ${d.ratios.time}×)`
      : 'not measured',
    met: d ? d.meetsTarget : false,
  });
  const b = results.bundles;
  targets.push({
    measurement: '1 bundles / cold init',
    target: 'no target set (ratio to SDK-clients-only baseline)',
    figure: b
      ? `init ${Math.min(...b.functions.map((f) => f.initRatio))}–${Math.max(...b.functions.map((f) => f.initRatio))}×, ` +
        `size ${Math.min(...b.functions.map((f) => f.sizeRatio))}–${Math.max(...b.functions.map((f) => f.sizeRatio))}×`
      : 'not measured',
    met: null,
  });
  const k = results.classification;
  targets.push({
    measurement: '5 classification',
    target: 'no target set',
    figure: k ? `${k.classifyPerSecond}/s, ${k.ratio}× a JSON deep copy` : 'not measured',
    met: null,
  });
  const e = results.endToEnd;
  targets.push({
    measurement: '6 end to end',
    target: 'no target set',
    figure: e ? `${e.leadsPerSecond} leads/s, ${e.ratio}× a bare round trip; slowest link: ${e.slowestLink.stage}` : 'not measured',
    met: null,
  });
  const dash = results.dashboard;
  targets.push({
    measurement: '8 dashboard read model',
    target: '50k/1k ≤ 1.1 (read capacity, same 30 days of activity)',
    figure: dash
      ? `read capacity ${dash.ratios.readUnits}× (${dash.scenarios.map((s) => `${s.medianReadUnits} RRU @${s.leads / 1000}k`).join(', ')})`
      : 'not measured',
    met: dash ? dash.meetsTarget : false,
  });
  const cost = results.cost;
  targets.push({
    measurement: '7 money',
    target: 'no target set',
    figure: cost
      ? cost.volumes.map((v, i) => `$${cost.totalsUsd[i]} @${v / 1000}k (≤ $${cost.upperBoundTotalsUsd[i]})`).join(', ')
      : 'not computed',
    met: null,
  });
  return targets;
}

async function shutdown(signal: string): Promise<void> {
  log(`\n${signal}: stopping workers and emulators`);
  for (const child of children) child.kill('SIGKILL');
  stopSynth();
  // DynamoDB Local may still be starting (its start gives up after 30 s): wait for it, then stop it.
  await Promise.race([emulatorsStarting, new Promise((resolve) => setTimeout(resolve, 40_000))]);
  await stopEmulators();
  // The synth output and bundles of this run (measureBundles removes them itself on a normal exit).
  for (const name of readdirSync(tmpdir()).filter((entry) => entry.startsWith(`leadpipe-bench-${process.pid}-`)))
    rmSync(join(tmpdir(), name), { recursive: true, force: true });
  process.exit(130);
}
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));

// The whole run may not outlive its budget by much, whatever hangs.
const hardStop = setTimeout(() => void shutdown(`hard stop after ${Math.round((BUDGET_MS + 45_000) / 1000)} s`), BUDGET_MS + 45_000);
hardStop.unref();

main()
  .catch((error: unknown) => {
    log(`benchmark failed: ${error instanceof Error ? error.stack : String(error)}`);
    process.exitCode = 1;
  })
  .finally(async () => {
    for (const child of children) child.kill('SIGKILL');
    await stopEmulators();
  });
