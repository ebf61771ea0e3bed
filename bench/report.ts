/** Renders the results of a run as the plain-text tables `npm run bench` prints (and BENCHMARKS.md quotes). */
import type { BundlesResult } from './bundles';
import type { CampaignBenchResult } from './campaign';
import type { CaptureLatencyResult } from './capture-latency';
import type { ClassificationResult } from './classification';
import type { CostTable } from './cost-model';
import type { DashboardScalingResult } from './dashboard-scaling';
import type { DispatcherScalingResult } from './dispatcher-scaling';
import type { EndToEndResult } from './end-to-end';
import type { RequestPathResult } from './request-path';
import { median } from './stats';

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  platform: string;
  loadAverageAtStart: number[];
  loadAverageAtEnd?: number[];
}

export interface TargetCheck {
  measurement: string;
  target: string;
  figure: string;
  met: boolean | null;
}

export interface BenchResults {
  startedAt: string;
  finishedAt?: string;
  totalSeconds?: number;
  budgetSeconds: number;
  machine: Machine;
  bundles?: BundlesResult;
  requestPath?: RequestPathResult;
  captureLatency?: CaptureLatencyResult;
  dispatcher?: DispatcherScalingResult;
  classification?: ClassificationResult;
  endToEnd?: EndToEndResult;
  dashboard?: DashboardScalingResult;
  campaign?: CampaignBenchResult;
  cost?: CostTable;
  targets: TargetCheck[];
  errors: Record<string, string>;
  stepSeconds: Record<string, number>;
}

function table(headers: string[], rows: Array<Array<string | number>>, align: Array<'l' | 'r'> = []): string {
  const cells = [headers, ...rows.map((row) => row.map((cell) => String(cell)))];
  const widths = headers.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? '').length)));
  const line = (row: string[]) =>
    row
      .map((cell, column) =>
        (align[column] ?? (column === 0 ? 'l' : 'r')) === 'l' ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!),
      )
      .join('  ')
      .trimEnd();
  return [line(cells[0]!), widths.map((width) => '-'.repeat(width)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

const x = (value: number) => (Number.isFinite(value) ? `${value}×` : 'n/a');
const ms = (value: number) => (Number.isFinite(value) ? `${value}` : 'n/a');
const usd = (value: number) => (value >= 100 ? `$${value.toFixed(0)}` : value >= 1 ? `$${value.toFixed(2)}` : `$${value.toFixed(4)}`);
const mark = (met: boolean | null) => (met === null ? '—' : met ? 'MET' : 'MISSED');

export function renderReport(results: BenchResults): string {
  const out: string[] = [];
  const m = results.machine;
  out.push(`leadpipe benchmarks — ${results.startedAt}`);
  out.push(
    `machine: ${m.cpus} cores (${m.cpuModel}), ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}; ` +
      `load average at start ${m.loadAverageAtStart.join(' / ')}${m.loadAverageAtEnd ? `, at end ${m.loadAverageAtEnd.join(' / ')}` : ''}`,
  );
  out.push('every figure is a ratio against a baseline measured in the same run, side by side');
  out.push('');

  const b = results.bundles;
  if (b) {
    out.push(
      `1. Bundles and cold init — ${b.source} (${b.sourceNote}); synth ${b.synthSeconds} s; ` +
        `median of ${b.rounds} fresh processes each, interleaved`,
    );
    out.push(
      `   baseline: a bundle of only the same SDK clients, same esbuild options (${b.esbuildOptions.format}, ${b.esbuildOptions.target}, ` +
        'minify, sourcemap, ESM require banner, no externals)',
    );
    out.push(
      table(
        ['function', 'bundle B', 'baseline', 'base B', 'size ×', 'init ms', 'base ms', 'init ×'],
        b.functions.map((f) => [
          f.name,
          f.bytes,
          f.baseline,
          f.baselineBytes,
          x(f.sizeRatio),
          ms(f.initMs),
          ms(f.baselineInitMs),
          x(f.initRatio),
        ]),
      ),
    );
    if (b.withoutSourceMaps) {
      const w = b.withoutSourceMaps;
      out.push(
        `   ${w.name} without NODE_OPTIONS=--enable-source-maps: ` +
          `init ${w.initMs} ms vs baseline ${w.baselineInitMs} ms = ${x(w.initRatio)} ` +
          `(reading the source map is ${Math.round(w.sourceMapShareOfInit * 100)} % of its init with the option on)`,
      );
    }
    if (b.zodProbe.length) {
      const probes = b.zodProbe.map((probe) => `${probe.name} ${Math.round(probe.bytes / 1024)} KB → ${probe.initMs} ms`).join(', ');
      out.push(`   cold init of tiny probe bundles (same options): ${probes}`);
    }
    if (b.composition) {
      const packages = b.composition.packages
        .map((p) => `${p.name} ${Math.round(p.bytes / 1024)} KB (${Math.round(p.share * 100)} %)`)
        .join(', ');
      out.push(`   ${b.composition.name} bundle by package: ${packages}`);
    }
    for (const note of b.notes) out.push(`   note: ${note}`);
    out.push('');
  }

  const r = results.requestPath;
  if (r) {
    out.push(`2. AWS calls on the request path (capture handler in-process, DynamoDB Local) — target: ${r.target}`);
    out.push(
      table(
        ['form', 'n', 'calls per submission', 'calls', 'WCU (Local)', 'WCU (AWS rules)', 'items', 'target'],
        r.forms.map((f) => [
          f.form,
          f.submissions,
          Object.entries(f.callsPerSubmission)
            .map(([op, n]) => `${op} ×${n}`)
            .join(', '),
          `${f.totalCallsPerSubmission.min}–${f.totalCallsPerSubmission.max}`,
          f.writeUnitsPerSubmission.mean,
          f.awsRuleWriteUnits,
          f.transactItems,
          mark(f.meetsTarget),
        ]),
      ),
    );
    for (const extra of r.extraCases)
      out.push(
        `   ${extra.case}: ${
          Object.entries(extra.callsPerSubmission)
            .map(([op, n]) => `${op} ×${n}`)
            .join(', ') || 'no AWS call'
        } (${extra.note})`,
      );
    out.push(`   cold start: ${r.coldStart.note}`);
    out.push('');
  }

  const c = results.captureLatency;
  if (c) {
    out.push(
      `3. Capture latency — ${c.submissions} ${c.form} submissions interleaved with the bare TransactWriteItems ` +
        `(same input, re-keyed; items ${c.bareItemBytes.join('/')} B)${c.stoppedEarly ? ' (stopped early: time budget)' : ''}`,
    );
    out.push(
      table(
        ['', 'p50 ms', 'p90 ms', 'p99 ms', 'mean ms'],
        [
          ['capture handler', c.handlerMs.p50, c.handlerMs.p90, c.handlerMs.p99, c.handlerMs.mean],
          ['bare TransactWriteItems', c.bareMs.p50, c.bareMs.p90, c.bareMs.p99, c.bareMs.mean],
          [
            'handler / bare',
            x(c.ratioP50),
            x(round3(c.handlerMs.p90 / c.bareMs.p90)),
            x(c.ratioP99),
            x(round3(c.handlerMs.mean / c.bareMs.mean)),
          ],
        ],
      ),
    );
    out.push(
      `   target ${c.target}: ${mark(c.meetsTarget)} ` +
        `(overhead at p50 ${c.overheadP50Ms} ms; failures handler ${c.failures.handler}, bare ${c.failures.bare})`,
    );
    out.push('');
  }

  const d = results.dispatcher;
  if (d) {
    out.push('4. Nurture dispatcher scaling — 100 due leads among N leads, one scheduled run, median of the repetitions');
    out.push(
      table(
        [
          'leads',
          'in index, not due',
          'not in index',
          'runs',
          'due found',
          'RRU (run)',
          'RRU (due index)',
          'WRU (median)',
          'run ms (each run)',
          'bare calls ms',
        ],
        d.scenarios.map((s) => [
          s.leads,
          s.inDueIndexNotDue,
          s.notInIndex,
          s.runs.length,
          s.runs.every((run) => run.dueLeads === 100) ? `100 each` : s.runs.map((run) => run.dueLeads).join('/'),
          s.medianReadUnits,
          s.medianDueIndexReadUnits,
          median(s.runs.map((run) => run.writeUnits)),
          `${s.medianDurationMs} (${s.runs.map((run) => Math.round(run.durationMs)).join(', ')})`,
          s.medianBareCallsMs,
        ]),
      ),
    );
    out.push(
      `   ratio large/small: read capacity ${x(d.ratios.readUnits)}, due-index reads ${x(d.ratios.dueIndexReadUnits)}, ` +
        `run time ${x(d.ratios.time)}; ` +
        `DynamoDB Local itself on the larger table (100 bare Query+UpdateItem pairs): ${x(d.ratios.bareCalls)}; ` +
        `run time net of that ${x(d.ratios.timeNormalized)}`,
    );
    out.push(`   target ${d.target}: ${mark(d.meetsTarget)}`);
    out.push(
      `   per due lead: ${Object.entries(d.perDueLead.calls)
        .map(([op, n]) => `${op} ×${n}`)
        .join(', ')}; ${d.perDueLead.readUnits} RRU, ${d.perDueLead.writeUnits} WRU`,
    );
    out.push(
      `   empty run (nothing due, ${d.emptyRun.leads} leads): ${d.emptyRun.durationMs} ms, ${Object.entries(d.emptyRun.calls)
        .map(([op, n]) => `${op} ×${n}`)
        .join(', ')}`,
    );
    for (const note of d.notes) out.push(`   note: ${note}`);
    out.push('');
  }

  const k = results.classification;
  if (k) {
    out.push(
      `5. Classification — classifyLead over ${k.leads} histories of ${k.interactionsPerLead.min}–${k.interactionsPerLead.max} ` +
        `interactions (mean ${k.interactionsPerLead.mean}), median of ${k.rounds} interleaved rounds`,
    );
    out.push(
      table(
        ['', 'per second', 'µs per lead', 'ratio'],
        [
          ['classifyLead', k.classifyPerSecond, k.classifyMicrosPerLead, x(k.ratio)],
          ['baseline JSON.parse(JSON.stringify(history))', k.baselinePerSecond, k.baselineMicrosPerLead, '1×'],
        ],
      ),
    );
    const byLength = k.byHistoryLength
      .map((bucket) => `${bucket.interactions}: ${bucket.microsPerLead} µs (${x(bucket.ratioToBaseline)})`)
      .join('; ');
    out.push(`   by history length (µs per call, × baseline): ${byLength}`);
    out.push('');
  }

  const e = results.endToEnd;
  if (e) {
    out.push(
      `6. End to end — ${e.leads} newsletter signups with consent through the in-process local stack until all opt-in mails exist ` +
        `(${e.concurrency} concurrent POSTs)`,
    );
    out.push(
      table(
        ['', 'leads/s', 'seconds'],
        [
          ['whole pipeline (form → stored → relayed → classified + mailed)', e.leadsPerSecond, e.seconds],
          ['accept phase only (all POSTs answered)', e.acceptPhase.leadsPerSecond, e.acceptPhase.seconds],
          ['baseline: bare HTTP round trip to a no-op server', e.baseline.leadsPerSecond, round3(e.leads / e.baseline.leadsPerSecond)],
        ],
      ),
    );
    out.push(
      `   ratio: one lead end to end costs ${x(e.ratio)} a bare round trip; ` +
        `mails sent ${e.mailsSent}/${e.leads} (in /_dev/mail: ${e.mailsInDevMail}); dead letters ${e.deadLetters}`,
    );
    out.push(
      table(
        ['stage (per lead)', 'p50 ms', 'p90 ms', 'p99 ms', 'Σ s', 'on mail path'],
        e.stages.map((s) => [s.stage, s.p50Ms, s.p90Ms, s.p99Ms, s.totalSeconds, s.onMailPath ? 'yes' : 'no (parallel)']),
      ),
    );
    out.push(`   slowest link: ${e.slowestLink.stage} (p50 ${e.slowestLink.p50Ms} ms) — ${e.slowestLink.why}`);
    out.push(
      `   invocations: ${Object.entries(e.invocations)
        .map(([name, n]) => `${name} ${n}`)
        .join(', ')}`,
    );
    out.push(
      `   CPU during the run (${e.cpu.wallSeconds} s wall, ${results.machine.cpus} cores): ` +
        `stack process ${e.cpu.stackProcessSeconds} s, DynamoDB Local ${e.cpu.dynamoDbLocalSeconds ?? 'n/a'} s`,
    );
    const streamReads = e.streamReads
      .map(
        (read) =>
          `${read.operation} ×${read.calls} (p50 ${read.p50Ms} ms, p99 ${read.p99Ms} ms, Σ ${read.totalSeconds} s` +
          `${read.records ? `, ${read.records} records` : ''})`,
      )
      .join('; ');
    out.push(`   stream poller: ${streamReads}`);
    if (e.probe) {
      const p = e.probe.perLead;
      const invocations = Object.entries(p.invocations)
        .map(([name, n]) => `${name} ${n}`)
        .join(', ');
      out.push(
        `   cost probe (${e.probe.leads} leads one at a time, signup + confirm), per lead: ${p.apiRequests} API requests; ` +
          `invocations ${invocations}`,
      );
      out.push(
        `     warm durations p50 ms: ${Object.entries(p.durationsMs)
          .map(([name, d]) => `${name} ${d.p50}`)
          .join(', ')}`,
      );
      const awsCalls = Object.entries(p.awsCalls)
        .map(([op, n]) => `${op} ×${n}`)
        .join(', ');
      out.push(
        `     AWS calls: ${awsCalls}; ${p.readUnits} RRU, ${p.writeUnits} WRU; ` +
          `${p.putEventsEntries} events (${p.putEventsBytes} B each); ${p.sesEmails} mail; ${p.logBytes} B logs; ${p.storedBytes} B stored`,
      );
    }
    for (const note of e.notes) out.push(`   note: ${note}`);
    out.push('');
  }

  const dash = results.dashboard;
  if (dash) {
    out.push(
      `8. Dashboard read model — readFunnel for ${dash.days} days at N leads, the same ${dash.windowLeads} leads created in the window`,
    );
    out.push(
      table(
        ['leads', 'projection items', 'shown: leads', 'window: created/mql/sql', 'runs', 'RRU (median)', 'calls', 'ms (median)'],
        dash.scenarios.map((s) => [
          s.leads,
          s.projectionItems,
          s.shown.totalLeads,
          `${s.shown.windowCreated}/${s.shown.windowMql}/${s.shown.windowSql}`,
          s.runs.length,
          s.medianReadUnits,
          Object.entries(s.runs[0]?.calls ?? {})
            .map(([op, n]) => `${op} ×${n}`)
            .join(', '),
          s.medianDurationMs,
        ]),
      ),
    );
    out.push(
      `   ratio large/small: read capacity ${x(dash.ratios.readUnits)}, time ${x(dash.ratios.time)}; ` +
        `same window on both: ${dash.sameWindow ? 'yes' : 'NO'}; target ${dash.target}: ${mark(dash.meetsTarget)}`,
    );
    for (const note of dash.notes) out.push(`   note: ${note}`);
    out.push('');
  }

  const campaign = results.campaign;
  if (campaign) {
    const c = campaign;
    out.push(
      `9. Newsletter campaign — ${c.recipients} confirmed subscribers through the local stack's SQS, planner and sender ` +
        `(local SES MaxSendRate ${c.localMaxSendRate}/s, so the engine is the limit)${c.complete ? '' : ' — CUT at the time budget'}`,
    );
    out.push(
      table(
        ['recipients/s', 'mails', 'seconds', 'AWS calls / recipient', 'RRU / recipient', 'WRU / recipient', 'SQS requests / recipient'],
        [
          [
            c.recipientsPerSecond,
            c.mailsSent,
            c.seconds,
            c.awsCallsPerRecipient,
            c.perRecipient.readUnits,
            c.perRecipient.writeUnits,
            c.perRecipient.sqsRequests,
          ],
        ],
      ),
    );
    out.push(
      `   calls: ${Object.entries(c.awsCalls)
        .map(([op, n]) => `${op} ×${n}`)
        .join(', ')}`,
    );
    out.push(
      `   invocations: ${Object.entries(c.invocations)
        .map(([name, n]) => `${name} ${n}`)
        .join(', ')}; seeding ${c.seedSeconds} s (not counted); dead letters ${c.deadLetters}`,
    );
    for (const note of c.notes) out.push(`   note: ${note}`);
    out.push('');
  }

  const cost = results.cost;
  if (cost) {
    out.push(`7. Money — monthly AWS cost, ${cost.priceNote}`);
    out.push(
      table(
        [
          'item',
          'kind',
          'unit price',
          ...cost.volumes.map((v) => `qty @${v / 1000}k`),
          ...cost.volumes.map((v) => `$/month @${v / 1000}k`),
        ],
        [
          ...cost.lines.map((line) => [
            line.item,
            line.kind,
            `$${line.unitPriceUsd.toPrecision(3)}/${line.unit}`,
            ...line.quantities.map((q) => q.toLocaleString('en')),
            ...line.monthlyUsd.map(usd),
          ]),
          ['total (per lead + fixed)', '', '', ...cost.volumes.map(() => ''), ...cost.totalsUsd.map(usd)],
          ['total with the upper-bound lines', '', '', ...cost.volumes.map(() => ''), ...cost.upperBoundTotalsUsd.map(usd)],
        ],
      ),
    );
    out.push(
      `   fixed ${usd(cost.fixedUsd)}/month; variable ${usd(cost.perLeadVariableUsd)} per lead; ` +
        `ratio ${cost.volumes[1]! / 1000}k/${cost.volumes[0]! / 1000}k leads = ${x(cost.ratio)} the cost for 10× the leads`,
    );
    for (const assumption of cost.assumptions) out.push(`   assumption: ${assumption}`);
    out.push('');
  }

  out.push('Targets');
  out.push(
    table(
      ['measurement', 'target', 'figure', 'status'],
      results.targets.map((t) => [t.measurement, t.target, t.figure, mark(t.met)]),
    ),
  );
  for (const [step, error] of Object.entries(results.errors)) out.push(`ERROR in ${step}: ${error.split('\n')[0]}`);
  if (results.totalSeconds !== undefined)
    out.push(
      `\ntotal runtime ${results.totalSeconds} s (${Object.entries(results.stepSeconds)
        .map(([step, s]) => `${step} ${s} s`)
        .join(', ')})`,
    );
  return out.join('\n');
}

function round3(value: number): number {
  return Number.isFinite(value) ? Number(value.toPrecision(3)) : value;
}
