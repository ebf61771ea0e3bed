/**
 * Measurement 1 — bundles and cold init.
 *
 * The bundles are the ones CDK deploys: `cdk synth --quiet -o <tmp>` (offline; NodejsFunction
 * bundles with the local esbuild), then each AWS::Lambda::Function of the templates is mapped to its
 * asset folder through Code.S3Key (<hash>.zip → asset.<hash>/index.mjs). Should the synth fail (the
 * CDK app is work in progress), every entry is bundled with esbuild using the options of
 * infra/constructs/function-factory.ts instead, and the result says so.
 *
 * The baseline of each function is a bundle holding only the SDK clients that function holds (the
 * same shared/adapters modules, plus the lazily imported Secrets Manager client where the function
 * reads secrets), built with the same esbuild options. Cold init = the module import of a fresh Node
 * process (what Lambda's INIT phase runs), with the function's environment from the template plus
 * region and fake credentials; the handler is never called. Functions and baselines run interleaved,
 * in a shuffled order per round, so both see the same machine.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { progress } from './progress';
import { median, ratio, round, seededRandom, shuffle } from './stats';

export interface BundleFigure {
  name: string;
  bytes: number;
  /** whole asset folder: bundle, source map and content/ (what the zip holds) */
  assetBytes: number;
  memoryMb: number;
  architecture: string;
  clients: string[];
  baseline: string;
  baselineBytes: number;
  sizeRatio: number;
  initMs: number;
  baselineInitMs: number;
  initRatio: number;
  /** spawn to exit, for context: Node's own start-up included */
  processMs: number;
  samples: number;
}

export interface BundlesResult {
  source: 'cdk synth' | 'esbuild fallback';
  sourceNote: string;
  synthSeconds: number;
  esbuildOptions: Record<string, unknown>;
  functions: BundleFigure[];
  baselines: Array<{ key: string; clients: string[]; bytes: number; initMs: number }>;
  rounds: number;
  /** capture-form once more without NODE_OPTIONS=--enable-source-maps (which the template sets), with its baseline */
  withoutSourceMaps: { name: string; initMs: number; baselineInitMs: number; initRatio: number; sourceMapShareOfInit: number } | undefined;
  /** what pulling in zod costs a cold init: tiny bundles (same options) of nothing, zod, and zod/mini, each validating one variable */
  zodProbe: Array<{ name: string; bytes: number; initMs: number }>;
  /** what the capture-form bundle is made of (esbuild metafile, bytes in the output by package) */
  composition: { name: string; bytes: number; packages: Array<{ name: string; bytes: number; share: number }> } | undefined;
  /** resource counts from the synthesized templates, for the cost model */
  resources: Record<string, number>;
  notes: string[];
}

interface Deployable {
  name: string;
  dir: string;
  env: Record<string, string>;
  memoryMb: number;
  architecture: string;
}

const ROOT = join(import.meta.dirname, '..');
const CLIENT_MODULES: Record<string, string> = {
  dynamodb: 'shared/storage/dynamodb-client',
  ses: 'shared/adapters/ses-client',
  eventbridge: 'shared/adapters/event-bridge-client',
  s3: 'shared/adapters/s3-client',
};

/** Values for template variables that are CloudFormation references (they only need to be well-formed). */
const FAKE_VALUES: Record<string, string> = {
  TABLE_NAME: 'LeadpipeDataStack-LeadTable-1ABCDEF2GHIJ',
  EVENT_BUS_NAME: 'LeadpipeStackEventsBus12345678',
  ASSETS_BUCKET: 'leadpipedatastack-assetsbucket-abcdefgh1234',
  APP_SECRETS_ARN: 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:LeadpipeAppSecret-AbCdEf',
  SES_CONFIGURATION_SET: 'LeadpipeStackEmailConfigurationSet-abc123',
  PUBLIC_BASE_URL: 'https://abc123defg.execute-api.eu-central-1.amazonaws.com',
};

export async function measureBundles(
  options: { rounds?: number; budgetMs?: number; synthTimeoutMs?: number } = {},
): Promise<BundlesResult> {
  const wantedRounds = options.rounds ?? 20;
  const budgetMs = options.budgetMs ?? 240_000;
  const started = Date.now();
  const work = join(tmpdir(), `leadpipe-bench-${process.pid}-${Date.now()}`);
  mkdirSync(work, { recursive: true });
  const notes: string[] = [];
  try {
    const settings = esbuildSettings();
    let source: BundlesResult['source'] = 'cdk synth';
    let sourceNote = 'the exact bundles of `cdk synth` (asset folder per Code.S3Key)';
    let deployables: Deployable[] = [];
    let resources: Record<string, number> = {};
    const synthStart = Date.now();
    progress('bundles: cdk synth --quiet (offline, local esbuild)');
    const synth = await synthesize(join(work, 'cdk.out'), options.synthTimeoutMs ?? Math.min(240_000, budgetMs * 0.6));
    const synthSeconds = round((Date.now() - synthStart) / 1000);
    if (synth.ok) {
      try {
        ({ deployables, resources } = deployablesFromTemplates(join(work, 'cdk.out')));
      } catch (error) {
        synth.ok = false;
        synth.error = `templates could not be mapped to assets: ${(error as Error).message}`;
      }
    }
    if (!synth.ok || deployables.length === 0) {
      source = 'esbuild fallback';
      const synthError = (synth.error ?? 'no functions in the templates').slice(0, 300);
      sourceNote = `cdk synth failed (${synthError}); every entry was bundled with esbuild using function-factory.ts's options instead`;
      progress(`bundles: ${sourceNote}`);
      deployables = await bundleWithEsbuild(join(work, 'fallback'), settings);
    }

    // Baselines: one per distinct set of SDK clients.
    const clientsOf = new Map<string, string[]>();
    for (const fn of deployables) clientsOf.set(fn.name, sdkClientsIn(join(fn.dir, 'index.mjs.map')));
    const baselineDirs = new Map<string, string>();
    for (const clients of clientsOf.values()) {
      const key = clients.join('+') || 'none';
      if (baselineDirs.has(key)) continue;
      const dir = join(work, `baseline-${key}`);
      await buildBaseline(dir, clients, settings);
      baselineDirs.set(key, dir);
    }

    // Cold init, interleaved.
    const runner = join(work, 'init-runner.mjs');
    writeFileSync(
      runner,
      [
        'const start = performance.now();',
        'await import(process.argv[2]);',
        'const end = performance.now();',
        'process.stdout.write(JSON.stringify({ importMs: end - start }));',
        'process.exit(0);',
      ].join('\n'),
    );
    const samples = new Map<string, number[]>();
    const processSamples = new Map<string, number[]>();
    const baselineEnv = (fnEnv: Record<string, string>) => ({ ...fnEnv });
    type Job = { id: string; dir: string; env: Record<string, string> };
    const jobs: Job[] = [
      ...deployables.map((fn) => ({ id: `fn:${fn.name}`, dir: fn.dir, env: fn.env })),
      ...[...baselineDirs.entries()].map(([key, dir]) => ({ id: `baseline:${key}`, dir, env: baselineEnv(deployables[0]?.env ?? {}) })),
    ];
    // The template sets NODE_OPTIONS=--enable-source-maps: Node then reads the source map at import.
    // capture-form (the function on the request path) runs once more without it, with its baseline.
    const probe = deployables.find((fn) => fn.name === 'capture-form');
    if (probe?.env.NODE_OPTIONS?.includes('--enable-source-maps')) {
      const { NODE_OPTIONS: _omit, ...noMaps } = probe.env;
      const key = (clientsOf.get(probe.name) ?? []).join('+') || 'none';
      jobs.push(
        { id: `fn:${probe.name}:no-source-maps`, dir: probe.dir, env: noMaps },
        { id: `baseline:${key}:no-source-maps`, dir: baselineDirs.get(key)!, env: noMaps },
      );
    }
    // Probes for the biggest package in every bundle: zod (the classic API does not tree-shake) against zod/mini.
    const zodProbes: Record<string, string> = {
      'empty module': 'export const handler = async () => 1;',
      zod:
        "import { z } from 'zod'; const config = z.object({ TABLE_NAME: z.string().min(1) }).parse({ TABLE_NAME: 'x' }); " +
        'export const handler = async () => config;',
      'zod/mini':
        "import * as z from 'zod/mini'; " +
        "const config = z.parse(z.object({ TABLE_NAME: z.string().check(z.minLength(1)) }), { TABLE_NAME: 'x' }); " +
        'export const handler = async () => config;',
    };
    const zodProbeDirs = new Map<string, string>();
    for (const [name, contents] of Object.entries(zodProbes)) {
      const dir = join(work, `probe-${name.replace(/[^a-z]+/g, '-')}`);
      const built = await buildSource(dir, contents, settings).then(
        () => true,
        () => false,
      );
      if (built) {
        zodProbeDirs.set(name, dir);
        jobs.push({ id: `probe:${name}`, dir, env: deployables[0]?.env ?? {} });
      }
    }
    const random = seededRandom(20261129);
    let rounds = 0;
    const initBudgetEnds = started + budgetMs;
    progress(`bundles: cold init, ${jobs.length} bundles × up to ${wantedRounds} fresh processes, interleaved`);
    for (let r = 0; r < wantedRounds; r += 1) {
      if (r >= 5 && Date.now() > initBudgetEnds) {
        notes.push(`cold init: stopped after ${r} rounds (time budget)`);
        break;
      }
      for (const job of shuffle(jobs, random)) {
        const result = await runInit(runner, job.dir, job.env);
        if (result) {
          (samples.get(job.id) ?? samples.set(job.id, []).get(job.id)!).push(result.importMs);
          (processSamples.get(job.id) ?? processSamples.set(job.id, []).get(job.id)!).push(result.processMs);
        }
      }
      rounds += 1;
      if ((r + 1) % 5 === 0) progress(`bundles: cold init round ${r + 1}/${wantedRounds}`);
    }

    const baselines = [...baselineDirs.entries()].map(([key, dir]) => ({
      key,
      clients: key === 'none' ? [] : key.split('+'),
      bytes: statSync(join(dir, 'index.mjs')).size,
      initMs: round(median(samples.get(`baseline:${key}`) ?? [])),
    }));
    const functions: BundleFigure[] = deployables.map((fn) => {
      const clients = clientsOf.get(fn.name) ?? [];
      const key = clients.join('+') || 'none';
      const baseline = baselines.find((b) => b.key === key)!;
      const bytes = statSync(join(fn.dir, 'index.mjs')).size;
      const initMs = median(samples.get(`fn:${fn.name}`) ?? []);
      return {
        name: fn.name,
        bytes,
        assetBytes: folderBytes(fn.dir),
        memoryMb: fn.memoryMb,
        architecture: fn.architecture,
        clients,
        baseline: key,
        baselineBytes: baseline.bytes,
        sizeRatio: round(ratio(bytes, baseline.bytes)),
        initMs: round(initMs),
        baselineInitMs: baseline.initMs,
        initRatio: round(ratio(initMs, baseline.initMs)),
        processMs: round(median(processSamples.get(`fn:${fn.name}`) ?? [])),
        samples: samples.get(`fn:${fn.name}`)?.length ?? 0,
      };
    });
    let withoutSourceMaps: BundlesResult['withoutSourceMaps'];
    if (probe && samples.has(`fn:${probe.name}:no-source-maps`)) {
      const key = (clientsOf.get(probe.name) ?? []).join('+') || 'none';
      const initMs = median(samples.get(`fn:${probe.name}:no-source-maps`) ?? []);
      const baselineInitMs = median(samples.get(`baseline:${key}:no-source-maps`) ?? []);
      const withMaps = median(samples.get(`fn:${probe.name}`) ?? []);
      withoutSourceMaps = {
        name: probe.name,
        initMs: round(initMs),
        baselineInitMs: round(baselineInitMs),
        initRatio: round(ratio(initMs, baselineInitMs)),
        sourceMapShareOfInit: round(1 - initMs / withMaps),
      };
    }
    const composition = await bundleComposition('capture-form', settings).catch(() => undefined);
    return {
      source,
      sourceNote,
      withoutSourceMaps,
      zodProbe: [...zodProbeDirs.entries()].map(([name, dir]) => ({
        name,
        bytes: statSync(join(dir, 'index.mjs')).size,
        initMs: round(median(samples.get(`probe:${name}`) ?? [])),
      })),
      composition,
      synthSeconds,
      esbuildOptions: { ...settings, banner: settings.banner.js },
      functions,
      baselines,
      rounds,
      resources,
      notes,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

// --- esbuild options as infra/constructs/function-factory.ts gives them to NodejsFunction ----------

interface EsbuildSettings {
  bundle: true;
  platform: 'node';
  format: 'esm';
  target: string;
  minify: boolean;
  sourcemap: boolean;
  banner: { js: string };
  mainFields: string[];
  external: string[];
}

/**
 * Read from function-factory.ts's source (importing it would load all of aws-cdk-lib): the runtime
 * gives the target (CDK: nodejs24.x → node24), the banner is the ESM require shim. The rest is what
 * the factory sets: minify, sourceMap, format ESM, mainFields module,main, no external modules.
 */
export function esbuildSettings(): EsbuildSettings {
  const source = readFileSync(join(ROOT, 'infra/constructs/function-factory.ts'), 'utf8');
  const runtime = /Runtime\.NODEJS_(\d+)_X/.exec(source)?.[1] ?? '24';
  const banner =
    /ESM_REQUIRE_BANNER\s*=\s*"([^"]+)"/.exec(source)?.[1] ??
    "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";
  return {
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: `node${runtime}`,
    minify: /minify:\s*true/.test(source),
    sourcemap: /sourceMap:\s*true/.test(source),
    banner: { js: banner },
    mainFields: ['module', 'main'],
    external: [],
  };
}

async function bundleWithEsbuild(outDir: string, settings: EsbuildSettings): Promise<Deployable[]> {
  const { build } = await import('esbuild');
  const { FUNCTIONS } = await import('../shared/wiring/app-wiring');
  const deployables: Deployable[] = [];
  for (const [name, declaration] of Object.entries(FUNCTIONS) as Array<
    [string, { entry: string; bindings: readonly string[]; memoryMb?: number }]
  >) {
    const dir = join(outDir, name);
    await build({
      ...settings,
      entryPoints: [join(ROOT, declaration.entry)],
      outfile: join(dir, 'index.mjs'),
      absWorkingDir: ROOT,
      logLevel: 'silent',
    });
    cpSync(join(ROOT, 'content'), join(dir, 'content'), { recursive: true });
    deployables.push({
      name,
      dir,
      env: fallbackEnvironment(declaration.bindings),
      memoryMb: declaration.memoryMb ?? 512,
      architecture: 'arm64',
    });
  }
  return deployables;
}

/** What bind.ts and commonEnvironment would set, for the fallback (no template to read it from). */
function fallbackEnvironment(bindings: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {
    PUBLIC_BASE_URL: FAKE_VALUES.PUBLIC_BASE_URL!,
    THANK_YOU_URL: 'https://www.leadpipe.example/thank-you',
    ALLOWED_ORIGINS: 'https://www.leadpipe.example',
    REDIRECT_ALLOWED_ORIGINS: 'https://www.leadpipe.example',
    SALES_RECIPIENTS: 'sales@leadpipe.example',
    IMPRINT: 'Leadpipe Example GmbH',
    RETENTION_DAYS: '30',
    POWERTOOLS_SERVICE_NAME: 'leadpipe',
    POWERTOOLS_METRICS_NAMESPACE: 'leadpipe',
    POWERTOOLS_LOG_LEVEL: 'INFO',
    NODE_OPTIONS: '--enable-source-maps',
  };
  for (const binding of bindings) {
    if (binding.startsWith('table:')) env.TABLE_NAME = FAKE_VALUES.TABLE_NAME!;
    if (binding === 'bus:put') env.EVENT_BUS_NAME = FAKE_VALUES.EVENT_BUS_NAME!;
    if (binding === 'email:send') {
      env.SENDER_ADDRESS = 'Leadpipe <hello@leadpipe.example>';
      env.SES_CONFIGURATION_SET = FAKE_VALUES.SES_CONFIGURATION_SET!;
    }
    if (binding === 'assets:read') env.ASSETS_BUCKET = FAKE_VALUES.ASSETS_BUCKET!;
    if (binding === 'secrets:read') env.APP_SECRETS_ARN = FAKE_VALUES.APP_SECRETS_ARN!;
  }
  return env;
}

async function buildSource(dir: string, contents: string, settings: EsbuildSettings): Promise<void> {
  const { build } = await import('esbuild');
  await build({
    ...settings,
    stdin: { contents, resolveDir: ROOT, sourcefile: 'bench-probe.ts', loader: 'ts' },
    outfile: join(dir, 'index.mjs'),
    absWorkingDir: ROOT,
    logLevel: 'silent',
  });
}

async function buildBaseline(dir: string, clients: string[], settings: EsbuildSettings): Promise<void> {
  const lines = clients.filter((client) => CLIENT_MODULES[client]).map((client) => `export * from './${CLIENT_MODULES[client]}';`);
  if (clients.includes('secrets')) {
    lines.push(
      'export async function secretsClient() { ' +
        "const { SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager'); return new SecretsManagerClient({}); }",
    );
  }
  lines.push('export const handler = async () => ({ statusCode: 200 });');
  await buildSource(dir, lines.join('\n'), settings);
}

/** Bytes in the minified output by npm package (or app folder), from an esbuild metafile of the same build. */
async function bundleComposition(name: string, settings: EsbuildSettings): Promise<BundlesResult['composition']> {
  const { build } = await import('esbuild');
  const { FUNCTIONS } = await import('../shared/wiring/app-wiring');
  const entry = (FUNCTIONS as Record<string, { entry: string }>)[name]?.entry;
  if (!entry) return undefined;
  const result = await build({
    ...settings,
    sourcemap: false,
    entryPoints: [join(ROOT, entry)],
    outfile: join(tmpdir(), 'leadpipe-bench-composition.mjs'),
    absWorkingDir: ROOT,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const output = Object.values(result.metafile.outputs).find((candidate) => candidate.entryPoint);
  if (!output) return undefined;
  const byPackage = new Map<string, number>();
  for (const [file, input] of Object.entries(output.inputs)) {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? `(leadpipe) ${file.split('/')[0]}/`;
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + input.bytesInOutput);
  }
  const bytes = [...byPackage.values()].reduce((a, b) => a + b, 0);
  const packages = [...byPackage.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([pkg, size]) => ({ name: pkg, bytes: size, share: round(size / bytes) }));
  return { name, bytes, packages };
}

/** Which shared SDK clients a bundle holds, from its source map's sources. */
function sdkClientsIn(mapFile: string): string[] {
  const sources: string[] = existsSync(mapFile) ? (JSON.parse(readFileSync(mapFile, 'utf8')) as { sources: string[] }).sources : [];
  const clients = Object.entries(CLIENT_MODULES)
    .filter(([, module]) => sources.some((source) => source.endsWith(`${module}.ts`)))
    .map(([client]) => client);
  if (sources.some((source) => source.includes('@aws-sdk/client-secrets-manager/'))) clients.push('secrets');
  return clients;
}

// --- cdk synth -------------------------------------------------------------------------------------

let synthPid: number | undefined;

/** Stops a synth still running (its whole process group: cdk, the app, esbuild), e.g. on Ctrl-C. */
export function stopSynth(): void {
  killGroup(synthPid);
  synthPid = undefined;
}

async function synthesize(outDir: string, timeoutMs: number): Promise<{ ok: boolean; error?: string }> {
  const cdk = join(ROOT, 'node_modules', '.bin', 'cdk');
  return new Promise((resolve) => {
    const child = spawn(cdk, ['synth', '--quiet', '--no-notices', '-o', outDir], {
      cwd: ROOT,
      env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true', CDK_DISABLE_VERSION_CHECK: 'true' },
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    });
    synthPid = child.pid;
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    const timer = setTimeout(() => {
      killGroup(child.pid);
      resolve({ ok: false, error: `timed out after ${Math.round(timeoutMs / 1000)} s` });
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({ ok: false, error: error.message });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      synthPid = undefined;
      resolve(
        code === 0
          ? { ok: true }
          : {
              ok: false,
              error: `exit ${code}: ${
                stderr
                  .split('\n')
                  .filter((line) => /error|Error|fail/i.test(line))
                  .slice(-5)
                  .join(' ')
                  .trim() || stderr.slice(-300)
              }`,
            },
      );
    });
  });
}

function killGroup(pid: number | undefined): void {
  if (!pid) return;
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    // already gone
  }
  setTimeout(() => {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }, 3000).unref();
}

function deployablesFromTemplates(outDir: string): { deployables: Deployable[]; resources: Record<string, number> } {
  const deployables: Deployable[] = [];
  const resources: Record<string, number> = {};
  for (const file of readdirSync(outDir).filter((name) => name.endsWith('.template.json'))) {
    const template = JSON.parse(readFileSync(join(outDir, file), 'utf8')) as {
      Resources?: Record<string, { Type: string; Properties?: any; Metadata?: Record<string, string> }>;
    };
    for (const resource of Object.values(template.Resources ?? {})) {
      resources[resource.Type] = (resources[resource.Type] ?? 0) + 1;
      if (resource.Type !== 'AWS::Lambda::Function') continue;
      const cdkPath = resource.Metadata?.['aws:cdk:path'] ?? '';
      const match = /\/Functions\/([A-Za-z0-9]+)\/Resource$/.exec(cdkPath);
      if (!match) continue; // CDK's own helper functions (bucket deployment ...)
      const s3Key = String(resource.Properties?.Code?.S3Key ?? '');
      const hash = /^([0-9a-f]{64})\.zip$/.exec(s3Key)?.[1];
      if (!hash) throw new Error(`${cdkPath}: Code.S3Key ${s3Key} is not an asset hash`);
      const dir = join(outDir, `asset.${hash}`);
      if (!existsSync(join(dir, 'index.mjs'))) throw new Error(`${cdkPath}: no ${dir}/index.mjs`);
      const variables = (resource.Properties?.Environment?.Variables ?? {}) as Record<string, unknown>;
      const env = Object.fromEntries(
        Object.entries(variables).map(([key, value]) => [
          key,
          typeof value === 'string' ? value : (FAKE_VALUES[key] ?? `bench-${key.toLowerCase()}`),
        ]),
      );
      deployables.push({
        name: kebab(match[1]!),
        dir,
        env,
        memoryMb: Number(resource.Properties?.MemorySize ?? 128),
        architecture: String(resource.Properties?.Architectures?.[0] ?? 'x86_64'),
      });
    }
  }
  return { deployables, resources };
}

function kebab(pascal: string): string {
  return pascal.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

// --- one cold init ---------------------------------------------------------------------------------

function runInit(runner: string, dir: string, env: Record<string, string>): Promise<{ importMs: number; processMs: number } | undefined> {
  return new Promise((resolve) => {
    const start = performance.now();
    const child = spawn(process.execPath, [runner, pathToFileURL(join(dir, 'index.mjs')).href], {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        LANG: 'C.UTF-8',
        TZ: 'UTC',
        AWS_REGION: 'eu-central-1',
        AWS_DEFAULT_REGION: 'eu-central-1',
        AWS_ACCESS_KEY_ID: 'AKIABENCHFAKEKEY0000',
        AWS_SECRET_ACCESS_KEY: 'bench/fake/secret/key/0000000000000000000',
        AWS_SESSION_TOKEN: 'bench-fake-session-token',
        AWS_LAMBDA_FUNCTION_NAME: 'leadpipe-bench',
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
        AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
        LAMBDA_TASK_ROOT: dir,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      const processMs = performance.now() - start;
      try {
        resolve(code === 0 ? { importMs: (JSON.parse(out) as { importMs: number }).importMs, processMs } : undefined);
      } catch {
        resolve(undefined);
      }
    });
    child.once('error', () => {
      clearTimeout(timer);
      resolve(undefined);
    });
  });
}

function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? folderBytes(path) : statSync(path).size;
  }
  return total;
}
