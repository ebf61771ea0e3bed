/**
 * Measurement 7 — money. Monthly AWS cost at a given number of new leads, computed from what the
 * other measurements counted per lead (invocations and their durations, DynamoDB capacity, events,
 * mails, API requests, log bytes, stored bytes) and the fixed parts of the stack (the 15-minute
 * schedule, alarms, dashboard, keys, secrets), at list prices for eu-central-1 (Frankfurt).
 *
 * The modelled lead: a newsletter signup with marketing consent that confirms the double opt-in
 * (what the end-to-end probe drives) and then receives the whole ToFu nurture track (the
 * dispatcher's per-send cost, once per step of config/nurture-sequences.json's tofu track).
 */

export const PRICES_RECORDED = '2026-11-29';
const PRICE_REGION = 'eu-central-1 / Europe (Frankfurt)';
export const PRICE_NOTE = `list prices as published, recorded ${PRICES_RECORDED} (${PRICE_REGION}, USD, before free tiers)`;

/** Every price the model uses, by name. */
export const PRICES = {
  lambdaRequest: { usd: 0.2 / 1e6, unit: 'request', name: 'AWS Lambda requests: $0.20 per 1M requests' },
  lambdaArmGbSecond: {
    usd: 0.0000133334,
    unit: 'GB-second',
    name: 'AWS Lambda duration, Arm (Graviton): $0.0000133334 per GB-second (first 7.5B GB-s/month tier)',
  },
  httpApiRequest: { usd: 1.2 / 1e6, unit: 'request', name: 'Amazon API Gateway HTTP API: $1.20 per 1M requests (first 300M/month)' },
  dynamoWru: {
    usd: 0.7625 / 1e6,
    unit: 'WRU',
    name: 'Amazon DynamoDB on-demand, Standard table class: $0.7625 per 1M write request units',
  },
  dynamoRru: { usd: 0.1525 / 1e6, unit: 'RRU', name: 'Amazon DynamoDB on-demand, Standard table class: $0.1525 per 1M read request units' },
  dynamoStorageGbMonth: {
    usd: 0.306,
    unit: 'GB-month',
    name: 'Amazon DynamoDB storage, Standard table class: $0.306 per GB-month (after the first 25 GB)',
  },
  eventBridgeCustomEvent: {
    usd: 1.0 / 1e6,
    unit: 'event',
    name: 'Amazon EventBridge custom events (and events delivered to another bus): $1.00 per 1M events (64 KB chunks)',
  },
  eventBridgeArchiveGb: { usd: 0.1, unit: 'GB', name: 'Amazon EventBridge archive: $0.10 per GB of events archived' },
  sesEmail: { usd: 0.1 / 1000, unit: 'email', name: 'Amazon SES outbound email: $0.10 per 1,000 emails' },
  cloudWatchAlarm: { usd: 0.1, unit: 'alarm-month', name: 'Amazon CloudWatch standard-resolution alarm: $0.10 per alarm metric per month' },
  cloudWatchDashboard: { usd: 3.0, unit: 'dashboard-month', name: 'Amazon CloudWatch dashboard: $3.00 per dashboard per month' },
  cloudWatchMetric: { usd: 0.3, unit: 'metric-month', name: 'Amazon CloudWatch custom metrics: $0.30 per metric per month (first 10,000)' },
  logsIngestGb: { usd: 0.63, unit: 'GB', name: 'Amazon CloudWatch Logs ingestion (Standard): $0.63 per GB' },
  logsStorageGbMonth: { usd: 0.0324, unit: 'GB-month', name: 'Amazon CloudWatch Logs storage: $0.0324 per GB-month (compressed)' },
  xrayTrace: { usd: 5.0 / 1e6, unit: 'trace', name: 'AWS X-Ray traces recorded: $5.00 per 1M traces' },
  secret: { usd: 0.4, unit: 'secret-month', name: 'AWS Secrets Manager: $0.40 per secret per month' },
  secretsApiCall: { usd: 0.05 / 10_000, unit: 'API call', name: 'AWS Secrets Manager: $0.05 per 10,000 API calls' },
  kmsKey: { usd: 1.0, unit: 'key-month', name: 'AWS KMS customer managed key: $1.00 per key per month' },
  sqsRequest: {
    usd: 0.4 / 1e6,
    unit: 'request',
    name: 'Amazon SQS standard queue: $0.40 per 1M requests (64 KB chunks; first 1M/month free)',
  },
} as const;

export interface CostInputs {
  /** from the end-to-end probe: one newsletter signup that confirms */
  signup: {
    apiRequests: number;
    invocations: Record<string, number>;
    durationsMs: Record<string, number>;
    readUnits: number;
    writeUnits: number;
    customEvents: number;
    eventBytes: number;
    emails: number;
    logBytes: number;
    storedBytes: number;
  };
  /** from the dispatcher runs: what one nurture send costs */
  nurtureSend: { readUnits: number; writeUnits: number; durationMs: number; emails: number };
  nurtureStepsPerLead: number;
  /** a scheduled run with nothing due */
  emptyRun: { durationMs: number; queries: number; readUnits: number };
  scheduleEveryMinutes: number;
  memoryMb: number;
  /** median cold init of the bundles (ms), for the INIT-billing upper bound */
  initMs: number;
  /** functions that read secrets (one GetSecretValue per cold start) */
  secretsFunctions: string[];
  resources: { alarms: number; dashboards: number; kmsKeys: number; secrets: number };
  customMetricSeries: number;
  /**
   * One newsletter a month to every subscriber (as many subscribers as the volume), from the campaign bench
   * (bench/campaign.ts): what one recipient costs. Absent: no newsletter lines.
   */
  newsletter?: NewsletterInputs;
  /** extra assumptions to state with the table */
  notes?: string[];
}

export interface NewsletterInputs {
  /** DynamoDB units per recipient as DynamoDB Local reported them (claim, lead read, mail record, counters, progress) */
  readUnits: number;
  writeUnits: number;
  /** SendMessageBatch calls per recipient (plan pages and recipient batches) */
  sqsSendsPerRecipient: number;
  /** invocations per recipient (planner, sender, outbox relay) */
  invocationsPerRecipient: Record<string, number>;
  /** outbox events per recipient (Campaign Sent) */
  eventsPerRecipient: number;
  /** recipients one sender invocation carries (per message × batch size), and one plan page */
  recipientsPerSenderInvocation: number;
  recipientsPerPlanPage: number;
  /** the sender's paced rate per invocation on AWS (MaxSendRate × share ÷ maxConcurrency) */
  sendRatePerInvocation: number;
  /** event source mappings polling their queues when idle */
  queues: number;
}

/** Lambda's SQS event source mapping long-polls with 5 pollers per queue when idle, each ReceiveMessage waiting up to 20 s. */
const IDLE_POLLERS_PER_QUEUE = 5;
const LONG_POLL_SECONDS = 20;

export interface CostLine {
  item: string;
  quantityPerMonth: (leads: number) => number;
  unit: string;
  unitPriceUsd: number;
  kind: 'per lead' | 'fixed' | 'upper bound';
  basis: string;
}

export interface CostTable {
  priceNote: string;
  prices: Array<{ key: string; name: string; usd: number; unit: string }>;
  volumes: number[];
  lines: Array<{
    item: string;
    kind: string;
    unit: string;
    unitPriceUsd: number;
    basis: string;
    quantities: number[];
    monthlyUsd: number[];
  }>;
  /** per-lead and fixed lines: the expected bill */
  totalsUsd: number[];
  /** with the upper-bound lines added (X-Ray, INIT billing, secrets reads if every invocation were traced/cold) */
  upperBoundTotalsUsd: number[];
  perLeadVariableUsd: number;
  fixedUsd: number;
  /** cost at the larger volume ÷ cost at the smaller one (10× the leads) */
  ratio: number;
  assumptions: string[];
}

const HOURS_PER_MONTH = 730;
/** START, END and REPORT (with the X-Ray trace id) per invocation, as Lambda writes them. */
const PLATFORM_LOG_BYTES_PER_INVOCATION = 420;
/** SES publishes Send and Delivery for every mail to the default bus; the forward rule brings them to the app bus. */
const SES_EVENTS_PER_EMAIL = 2;
const SES_EVENT_BYTES = 1_500;

export function computeCost(inputs: CostInputs, volumes: number[] = [10_000, 100_000]): CostTable {
  const gb = inputs.memoryMb / 1024;
  const signupInvocations = Object.values(inputs.signup.invocations).reduce((a, b) => a + b, 0);
  const signupBilledMs = Object.entries(inputs.signup.invocations).reduce(
    (total, [name, count]) => total + count * Math.ceil(inputs.signup.durationsMs[name] ?? 0),
    0,
  );
  const sends = inputs.nurtureStepsPerLead;
  const emailsPerLead = inputs.signup.emails + sends * inputs.nurtureSend.emails;
  const runsPerMonth = (HOURS_PER_MONTH * 60) / inputs.scheduleEveryMinutes;
  // DynamoDB Local reports 0 for a Query that finds nothing; AWS charges at least 0.5 RRU (eventually consistent).
  const emptyRunRru = Math.max(inputs.emptyRun.readUnits, inputs.emptyRun.queries * 0.5);
  const logBytesPerLead =
    inputs.signup.logBytes + signupInvocations * PLATFORM_LOG_BYTES_PER_INVOCATION + sends * 2 * PLATFORM_LOG_BYTES_PER_INVOCATION;
  const secretsInvocationsPerLead = Object.entries(inputs.signup.invocations)
    .filter(([name]) => inputs.secretsFunctions.includes(name))
    .reduce((total, [, count]) => total + count, 0);
  const perLead = (value: number) => (leads: number) => leads * value;
  const fixed = (value: number) => () => value;

  const lines: CostLine[] = [
    {
      item: 'API Gateway HTTP API requests',
      quantityPerMonth: perLead(inputs.signup.apiRequests),
      unit: 'request',
      unitPriceUsd: PRICES.httpApiRequest.usd,
      kind: 'per lead',
      basis: `${inputs.signup.apiRequests} per lead (form POST, confirm page GET, confirm POST)`,
    },
    {
      item: 'Lambda requests (pipeline)',
      quantityPerMonth: perLead(signupInvocations),
      unit: 'request',
      unitPriceUsd: PRICES.lambdaRequest.usd,
      kind: 'per lead',
      basis: `${round2(signupInvocations)} invocations per lead (${describe(inputs.signup.invocations)})`,
    },
    {
      item: 'Lambda duration (pipeline)',
      quantityPerMonth: perLead((signupBilledMs / 1000) * gb),
      unit: 'GB-second',
      unitPriceUsd: PRICES.lambdaArmGbSecond.usd,
      kind: 'per lead',
      basis: `${round2(signupBilledMs)} billed ms per lead at ${inputs.memoryMb} MB arm64 (measured warm durations)`,
    },
    {
      item: 'Lambda duration (nurture sends)',
      quantityPerMonth: perLead((sends * Math.ceil(inputs.nurtureSend.durationMs) * gb) / 1000),
      unit: 'GB-second',
      unitPriceUsd: PRICES.lambdaArmGbSecond.usd,
      kind: 'per lead',
      basis: `${sends} ToFu steps × ${round2(inputs.nurtureSend.durationMs)} ms of dispatcher run time per due lead`,
    },
    {
      item: 'Lambda requests + duration (15-min schedule)',
      quantityPerMonth: fixed(runsPerMonth),
      unit: 'run',
      unitPriceUsd: PRICES.lambdaRequest.usd + (Math.ceil(inputs.emptyRun.durationMs) / 1000) * gb * PRICES.lambdaArmGbSecond.usd,
      kind: 'fixed',
      basis: `${Math.round(runsPerMonth)} runs/month × ${round2(inputs.emptyRun.durationMs)} ms with nothing due`,
    },
    {
      item: 'DynamoDB write request units',
      quantityPerMonth: perLead(inputs.signup.writeUnits + sends * inputs.nurtureSend.writeUnits),
      unit: 'WRU',
      unitPriceUsd: PRICES.dynamoWru.usd,
      kind: 'per lead',
      basis:
        `${round2(inputs.signup.writeUnits)} (signup + confirm) + ${sends} × ${round2(inputs.nurtureSend.writeUnits)} (nurture) ` +
        'per lead, as DynamoDB Local reported (table + index)',
    },
    {
      item: 'DynamoDB read request units',
      quantityPerMonth: (leads) => leads * (inputs.signup.readUnits + sends * inputs.nurtureSend.readUnits) + runsPerMonth * emptyRunRru,
      unit: 'RRU',
      unitPriceUsd: PRICES.dynamoRru.usd,
      kind: 'per lead',
      basis:
        `${round2(inputs.signup.readUnits)} + ${sends} × ${round2(inputs.nurtureSend.readUnits)} per lead, ` +
        `plus ${round2(emptyRunRru)} per scheduled run (${inputs.emptyRun.queries} due-shard queries)`,
    },
    {
      item: 'DynamoDB storage (leads added this month)',
      quantityPerMonth: perLead(inputs.signup.storedBytes / 1e9),
      unit: 'GB-month',
      unitPriceUsd: PRICES.dynamoStorageGbMonth.usd,
      kind: 'per lead',
      basis: `${Math.round(inputs.signup.storedBytes)} bytes per lead (items + 100 B overhead each); grows month on month`,
    },
    {
      item: 'EventBridge custom events (outbox)',
      quantityPerMonth: perLead(inputs.signup.customEvents),
      unit: 'event',
      unitPriceUsd: PRICES.eventBridgeCustomEvent.usd,
      kind: 'per lead',
      basis: `${round2(inputs.signup.customEvents)} PutEvents entries per lead`,
    },
    {
      item: 'EventBridge SES events forwarded to the app bus',
      quantityPerMonth: perLead(emailsPerLead * SES_EVENTS_PER_EMAIL),
      unit: 'event',
      unitPriceUsd: PRICES.eventBridgeCustomEvent.usd,
      kind: 'per lead',
      basis: `${SES_EVENTS_PER_EMAIL} (Send, Delivery) per email; opens/clicks extra`,
    },
    {
      item: 'EventBridge archive',
      quantityPerMonth: perLead(
        (inputs.signup.customEvents * inputs.signup.eventBytes + emailsPerLead * SES_EVENTS_PER_EMAIL * SES_EVENT_BYTES) / 1e9,
      ),
      unit: 'GB',
      unitPriceUsd: PRICES.eventBridgeArchiveGb.usd,
      kind: 'per lead',
      basis: 'every event on the app bus is archived',
    },
    {
      item: 'SES emails',
      quantityPerMonth: perLead(emailsPerLead),
      unit: 'email',
      unitPriceUsd: PRICES.sesEmail.usd,
      kind: 'per lead',
      basis: `${inputs.signup.emails} opt-in + ${sends} nurture per lead`,
    },
    {
      item: 'CloudWatch Logs ingestion',
      quantityPerMonth: perLead(logBytesPerLead / 1e9),
      unit: 'GB',
      unitPriceUsd: PRICES.logsIngestGb.usd,
      kind: 'per lead',
      basis:
        `${Math.round(logBytesPerLead)} bytes per lead ` +
        `(measured function logs + EMF, ${PLATFORM_LOG_BYTES_PER_INVOCATION} B platform lines per invocation)`,
    },
    {
      item: 'X-Ray traces (active tracing, upper bound)',
      quantityPerMonth: (leads) => leads * signupInvocations + runsPerMonth,
      unit: 'trace',
      unitPriceUsd: PRICES.xrayTrace.usd,
      kind: 'upper bound',
      basis: 'one trace per invocation (default sampling records nearly all at these rates); first 100k/month free not applied',
    },
    {
      item: 'Lambda INIT billing (upper bound: every invocation cold)',
      quantityPerMonth: (leads) => ((leads * signupInvocations + runsPerMonth) * inputs.initMs * gb) / 1000,
      unit: 'GB-second',
      unitPriceUsd: PRICES.lambdaArmGbSecond.usd,
      kind: 'upper bound',
      basis: `${round2(inputs.initMs)} ms median cold init (this machine)`,
    },
    {
      item: 'Secrets Manager GetSecretValue (upper bound: every invocation cold)',
      quantityPerMonth: (leads) => leads * secretsInvocationsPerLead + runsPerMonth,
      unit: 'API call',
      unitPriceUsd: PRICES.secretsApiCall.usd,
      kind: 'upper bound',
      basis: `${round2(secretsInvocationsPerLead)} secret-reading invocations per lead, plus one per scheduled run`,
    },
    {
      item: 'CloudWatch alarms',
      quantityPerMonth: fixed(inputs.resources.alarms),
      unit: 'alarm',
      unitPriceUsd: PRICES.cloudWatchAlarm.usd,
      kind: 'fixed',
      basis: `${inputs.resources.alarms} AWS::CloudWatch::Alarm in the synthesized templates`,
    },
    {
      item: 'CloudWatch dashboard',
      quantityPerMonth: fixed(inputs.resources.dashboards),
      unit: 'dashboard',
      unitPriceUsd: PRICES.cloudWatchDashboard.usd,
      kind: 'fixed',
      basis: 'first 3 dashboards per account are free; list price shown',
    },
    {
      item: 'CloudWatch custom metrics (EMF)',
      quantityPerMonth: fixed(inputs.customMetricSeries),
      unit: 'metric',
      unitPriceUsd: PRICES.cloudWatchMetric.usd,
      kind: 'fixed',
      basis: `≈${inputs.customMetricSeries} metric series (shared/observability/metrics.ts, FormSubmitted per form)`,
    },
    {
      item: 'Secrets Manager secrets',
      quantityPerMonth: fixed(inputs.resources.secrets),
      unit: 'secret',
      unitPriceUsd: PRICES.secret.usd,
      kind: 'fixed',
      basis: `${inputs.resources.secrets} AWS::SecretsManager::Secret`,
    },
    {
      item: 'KMS keys (alarm topic)',
      quantityPerMonth: fixed(inputs.resources.kmsKeys),
      unit: 'key',
      unitPriceUsd: PRICES.kmsKey.usd,
      kind: 'fixed',
      basis: `${inputs.resources.kmsKeys} AWS::KMS::Key`,
    },
    ...newsletterLines(inputs.newsletter, gb),
  ];

  const table = lines.map((line) => {
    const quantities = volumes.map((leads) => line.quantityPerMonth(leads));
    return {
      item: line.item,
      kind: line.kind,
      unit: line.unit,
      unitPriceUsd: line.unitPriceUsd,
      basis: line.basis,
      quantities: quantities.map(round2),
      monthlyUsd: quantities.map((q) => round4(q * line.unitPriceUsd)),
    };
  });
  const totalsUsd = volumes.map((_, i) =>
    round2(table.filter((line) => line.kind !== 'upper bound').reduce((total, line) => total + (line.monthlyUsd[i] ?? 0), 0)),
  );
  const upperBoundTotalsUsd = volumes.map((_, i) => round2(table.reduce((total, line) => total + (line.monthlyUsd[i] ?? 0), 0)));
  const fixedUsd = round2(table.filter((line) => line.kind === 'fixed').reduce((total, line) => total + (line.monthlyUsd[0] ?? 0), 0));
  const perLeadVariableUsd = volumes.length > 1 ? (totalsUsd[1]! - totalsUsd[0]!) / (volumes[1]! - volumes[0]!) : Number.NaN;
  return {
    priceNote: PRICE_NOTE,
    prices: Object.entries(PRICES).map(([key, price]) => ({ key, name: price.name, usd: price.usd, unit: price.unit })),
    volumes,
    lines: table,
    totalsUsd,
    upperBoundTotalsUsd,
    perLeadVariableUsd: Number(perLeadVariableUsd.toPrecision(3)),
    fixedUsd,
    ratio: totalsUsd.length > 1 && totalsUsd[0]! > 0 ? round2(totalsUsd[1]! / totalsUsd[0]!) : Number.NaN,
    assumptions: [
      'every new lead is a newsletter signup with consent that confirms the double opt-in and then receives the whole ToFu nurture ' +
        'track; opens, clicks, downloads, sales notifications are not modelled',
      'durations are warm invocations measured in-process against DynamoDB Local and the SES emulator ' +
        '(same order of magnitude as in-region AWS calls, not identical)',
      'DynamoDB units are what DynamoDB Local reported (table + index); ' +
        'its accounting of transactions differs from AWS (see BENCHMARKS.md), ' +
        'so the DynamoDB lines are approximate — they are a small share of the total either way',
      'the outbox relay is counted at one invocation per stream batch as seen locally (at these volumes records rarely share a batch)',
      'free tiers are not applied; data transfer and the S3 asset bucket (a few MB) are left out',
      ...(inputs.newsletter
        ? [
            'newsletter: one campaign a month to every subscriber, as many subscribers as the volume column; the sender is billed ' +
              `for its paced run time (1 / ${round2(inputs.newsletter.sendRatePerInvocation)} s per recipient, the rate per ` +
              'invocation at a new production account of 14 mails/s), which dwarfs its busy time',
          ]
        : []),
      ...(inputs.notes ?? []),
    ],
  };
}

/** One newsletter a month to every subscriber: the lines per recipient, and the idle polling of the work queues. */
function newsletterLines(newsletter: NewsletterInputs | undefined, gb: number): CostLine[] {
  if (!newsletter) return [];
  const n = newsletter;
  const perSubscriber = (value: number) => (subscribers: number) => subscribers * value;
  const invocations = Object.values(n.invocationsPerRecipient).reduce((a, b) => a + b, 0);
  // receive + delete per sender invocation and per plan page, on top of the measured sends
  const sqsPerRecipient = n.sqsSendsPerRecipient + 2 / n.recipientsPerSenderInvocation + 2 / n.recipientsPerPlanPage;
  const idlePolls = (n.queues * IDLE_POLLERS_PER_QUEUE * (HOURS_PER_MONTH * 3600)) / LONG_POLL_SECONDS;
  return [
    {
      item: 'Newsletter: SES emails',
      quantityPerMonth: perSubscriber(1),
      unit: 'email',
      unitPriceUsd: PRICES.sesEmail.usd,
      kind: 'per lead',
      basis: 'one campaign mail per subscriber per month',
    },
    {
      item: 'Newsletter: SQS requests',
      quantityPerMonth: perSubscriber(sqsPerRecipient),
      unit: 'request',
      unitPriceUsd: PRICES.sqsRequest.usd,
      kind: 'per lead',
      basis:
        `${round4(sqsPerRecipient)} per recipient: ${round4(n.sqsSendsPerRecipient)} SendMessageBatch (measured) + receive and ` +
        `delete per ${n.recipientsPerSenderInvocation} recipients (sender) and per ${n.recipientsPerPlanPage} (plan page)`,
    },
    {
      item: 'Newsletter: SQS idle polling (event source mappings)',
      quantityPerMonth: () => idlePolls,
      unit: 'request',
      unitPriceUsd: PRICES.sqsRequest.usd,
      kind: 'fixed',
      basis: `${n.queues} queues × ${IDLE_POLLERS_PER_QUEUE} pollers × one ${LONG_POLL_SECONDS} s long poll each, all month`,
    },
    {
      item: 'Newsletter: Lambda requests',
      quantityPerMonth: perSubscriber(invocations),
      unit: 'request',
      unitPriceUsd: PRICES.lambdaRequest.usd,
      kind: 'per lead',
      basis: `${round4(invocations)} invocations per recipient (${describe(n.invocationsPerRecipient)})`,
    },
    {
      item: 'Newsletter: Lambda duration (sender, paced)',
      quantityPerMonth: perSubscriber(gb / n.sendRatePerInvocation),
      unit: 'GB-second',
      unitPriceUsd: PRICES.lambdaArmGbSecond.usd,
      kind: 'per lead',
      basis: `${round2(1000 / n.sendRatePerInvocation)} ms per recipient at ${round2(n.sendRatePerInvocation)} mails/s per invocation`,
    },
    {
      item: 'Newsletter: DynamoDB write request units',
      quantityPerMonth: perSubscriber(n.writeUnits),
      unit: 'WRU',
      unitPriceUsd: PRICES.dynamoWru.usd,
      kind: 'per lead',
      basis:
        `${round2(n.writeUnits)} per recipient as DynamoDB Local reported: the claim, the mail record and lookup, the lead's ` +
        'nurture pause, the outbox event and the sent count on the campaign item (rewritten whole, content included, per mail)',
    },
    {
      item: 'Newsletter: DynamoDB read request units',
      quantityPerMonth: perSubscriber(n.readUnits),
      unit: 'RRU',
      unitPriceUsd: PRICES.dynamoRru.usd,
      kind: 'per lead',
      basis: `${round2(n.readUnits)} per recipient (the lead read consistently, the campaign per message, the index page)`,
    },
    {
      item: 'Newsletter: EventBridge events',
      quantityPerMonth: perSubscriber(n.eventsPerRecipient + SES_EVENTS_PER_EMAIL),
      unit: 'event',
      unitPriceUsd: PRICES.eventBridgeCustomEvent.usd,
      kind: 'per lead',
      basis: `${round2(n.eventsPerRecipient)} Campaign Sent + ${SES_EVENTS_PER_EMAIL} SES events (Send, Delivery) per recipient`,
    },
  ];
}

function describe(counts: Record<string, number>): string {
  return Object.entries(counts)
    .map(([name, count]) => `${name} ${round2(count)}`)
    .join(', ');
}

function round2(value: number): number {
  return Number.isFinite(value) ? Math.round(value * 100) / 100 : value;
}

function round4(value: number): number {
  return Number.isFinite(value) ? Math.round(value * 10_000) / 10_000 : value;
}
