/**
 * Measurement 6 — end to end through the whole in-process local stack (local/local-stack.ts, on
 * the DynamoDB Local that run.ts started): 1,000 newsletter signups with consent posted as plain
 * HTML forms (10 at a time), the stack's own stream poller and event bus running, then
 * `POST /_dev/drain` until all 1,000 opt-in mails were sent (and `GET /_dev/mail` shows them).
 *
 * Instrumentation, all in this process and without touching the stack's code:
 *  - FunctionRuntime.prototype.invoke is wrapped: start/end of every function invocation;
 *  - an SDK middleware on the shared clients: when capture's TransactWriteItems returned, when the
 *    relay's PutEvents carried the lead's event, when SES accepted the opt-in mail.
 * Per lead this gives: POST → stored, stored → relayed (stream poll + relay), relayed → delivered
 * (bus), the classify-lead invocation, the send-opt-in invocation (mail).
 *
 * Baseline: the same 1,000 POST bodies, same client, same concurrency, to a no-op HTTP server in the
 * same process that answers 303 at once (run before and after; the mean is used). It is what the
 * machine and the HTTP client can do at best, so "pipeline ÷ bare round trip" says how many bare
 * round trips one lead costs end to end, independent of how fast or busy this machine is.
 *
 * A sequential probe follows (one lead at a time: sign up, drain, open the confirm link, confirm,
 * drain) to count what one lead costs — invocations and their warm durations, AWS calls, capacity,
 * events, mails, log bytes, stored bytes — for the cost model.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { randomUUID } from 'node:crypto';
import { AwsCallCounter, flattenTally, type AwsCall } from './aws-call-counter';
import { itemSize } from './dynamo-size';
import { Deadline, progress } from './progress';
import { mean, nowMs, ratio, round, summarize, sum } from './stats';

export interface StageStats {
  stage: string;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  /** summed over all leads: where the time goes */
  totalSeconds: number;
  onMailPath: boolean;
}

export interface ProbePerLead {
  apiRequests: number;
  invocations: Record<string, number>;
  durationsMs: Record<string, { p50: number; mean: number; n: number }>;
  awsCalls: Record<string, number>;
  readUnits: number;
  writeUnits: number;
  putEventsEntries: number;
  putEventsBytes: number;
  sesEmails: number;
  logBytes: number;
  storedBytes: number;
}

export interface EndToEndResult {
  leads: number;
  concurrency: number;
  mailsSent: number;
  mailsInDevMail: number;
  complete: boolean;
  seconds: number;
  leadsPerSecond: number;
  acceptPhase: { seconds: number; leadsPerSecond: number };
  baseline: { description: string; runsLeadsPerSecond: number[]; leadsPerSecond: number };
  /** baseline leads/s ÷ pipeline leads/s: one lead end to end costs this many bare round trips */
  ratio: number;
  stages: StageStats[];
  slowestLink: { stage: string; p50Ms: number; why: string };
  invocations: Record<string, number>;
  deadLetters: number;
  /** CPU seconds spent during the pipeline run, against its wall-clock seconds */
  cpu: { wallSeconds: number; stackProcessSeconds: number; dynamoDbLocalSeconds: number | null };
  /** the stack's stream poller reading DynamoDB Local's stream during the pipeline run */
  streamReads: Array<{ operation: string; calls: number; p50Ms: number; p99Ms: number; totalSeconds: number; records: number }>;
  probe: { leads: number; perLead: ProbePerLead } | undefined;
  notes: string[];
}

interface Invocation {
  name: string;
  startMs: number;
  endMs: number;
  phase: string;
  cold: boolean;
  leads: Array<{ leadId: string; type?: string }>;
}

export async function measureEndToEnd(
  options: { leads?: number; concurrency?: number; probeLeads?: number; budgetMs?: number } = {},
): Promise<EndToEndResult> {
  const leads = options.leads ?? 1_000;
  const concurrency = options.concurrency ?? 10;
  const deadline = new Deadline(options.budgetMs ?? 180_000);
  const notes: string[] = [];
  let phase = 'setup';

  // --- instrument function invocations ---------------------------------------------------------
  const { FunctionRuntime } = await import('../local/function-runtime');
  const invocations: Invocation[] = [];
  const seen = new Set<string>();
  const emailToLead = new Map<string, string>();
  const originalInvoke = FunctionRuntime.prototype.invoke;
  FunctionRuntime.prototype.invoke = async function (this: InstanceType<typeof FunctionRuntime>, name, event) {
    const cold = !seen.has(name);
    seen.add(name);
    const startMs = performance.now();
    try {
      return await originalInvoke.call(this, name, event);
    } finally {
      invocations.push({ name, startMs, endMs: performance.now(), phase, cold, leads: leadsOf(name, event, emailToLead) });
    }
  };

  // --- instrument the stream poller's reads (its client is private to the stack) ------------------
  const { DynamoDBStreamsClient } = await import('@aws-sdk/client-dynamodb-streams');
  const streamCalls: Array<{ operation: string; phase: string; ms: number; records: number }> = [];
  const originalStreamSend = DynamoDBStreamsClient.prototype.send;
  DynamoDBStreamsClient.prototype.send = function (this: InstanceType<typeof DynamoDBStreamsClient>, command: any, ...rest: any[]) {
    const start = performance.now();
    const callPhase = phase;
    const promise = (originalStreamSend as any).call(this, command, ...rest);
    if (promise && typeof promise.then === 'function') {
      promise.then(
        (output: any) =>
          streamCalls.push({
            operation: String(command?.constructor?.name ?? 'Unknown').replace(/Command$/, ''),
            phase: callPhase,
            ms: performance.now() - start,
            records: output?.Records?.length ?? 0,
          }),
        () => undefined,
      );
    }
    return promise;
  } as typeof originalStreamSend;

  // --- the stack ---------------------------------------------------------------------------------
  const { startLocalStack } = await import('../local/local-stack');
  const stack = await startLocalStack({
    port: 0,
    inMemory: true,
    dynamoDbEndpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB!,
    tableName: process.env.TABLE_NAME!,
  });
  // As deployed: EMF metrics on (the local environment turns them off); they count towards log volume.
  delete process.env.POWERTOOLS_METRICS_DISABLED;
  const signingKey = stack.environment.LEADPIPE_SIGNING_KEY!;
  const { leadIdFor, normalizeEmail } = await import('../shared/security/lead-id');
  const { dynamoDb, documentClient } = await import('../shared/storage/dynamodb-client');
  const { ses } = await import('../shared/adapters/ses-client');
  const { eventBridge } = await import('../shared/adapters/event-bridge-client');
  const { QueryCommand, GetCommand } = await import('@aws-sdk/lib-dynamodb');

  // --- instrument AWS calls ----------------------------------------------------------------------
  const storedAt = new Map<string, number>();
  const relayedAt = new Map<string, { start: number; end: number }>();
  const mailedAt = new Map<string, number>();
  const confirmLinks = new Map<string, string>();
  const messageIds = new Map<string, string[]>();
  const phaseCalls = new Map<string, AwsCall[]>();
  const phaseEvents = new Map<string, { entries: number; bytes: number }>();
  const counter = new AwsCallCounter({
    onCall: (call) => {
      const list = phaseCalls.get(phase) ?? [];
      list.push(call);
      phaseCalls.set(phase, list);
      if (!call.ok) return;
      if (call.service === 'DynamoDB' && call.operation === 'TransactWriteItems') {
        const first = call.input?.TransactItems?.[0]?.Put?.Item;
        if (first && String(first.sk).startsWith('SUBMISSION#')) storedAt.set(String(first.pk).slice('LEAD#'.length), call.endMs);
      } else if (call.service === 'EventBridge' && call.operation === 'PutEvents') {
        const events = phaseEvents.get(phase) ?? { entries: 0, bytes: 0 };
        for (const entry of call.input?.Entries ?? []) {
          events.entries += 1;
          events.bytes +=
            Buffer.byteLength(String(entry.Detail ?? '')) +
            Buffer.byteLength(String(entry.DetailType ?? '')) +
            Buffer.byteLength(String(entry.Source ?? ''));
          const detail = safeJson(entry.Detail);
          if (entry.DetailType === 'Interaction Recorded' && detail?.type === 'newsletter_signup' && !relayedAt.has(detail.leadId)) {
            relayedAt.set(detail.leadId, { start: call.startMs, end: call.endMs });
          }
        }
        phaseEvents.set(phase, events);
      } else if (call.service === 'SESv2' && call.operation === 'SendEmail') {
        const tags = Object.fromEntries((call.input?.EmailTags ?? []).map((tag: { Name: string; Value: string }) => [tag.Name, tag.Value]));
        const leadId = String(tags.leadId ?? '');
        if (call.output?.MessageId) messageIds.set(leadId, [...(messageIds.get(leadId) ?? []), call.output.MessageId]);
        if (tags.template === 'opt-in') {
          mailedAt.set(leadId, call.endMs);
          const text = String(call.input?.Content?.Simple?.Body?.Text?.Data ?? '');
          const link = /https?:\/\/[^\s"<>]*\/confirm\?token=[^\s"<>]+/.exec(text)?.[0];
          if (link) confirmLinks.set(leadId, link);
        }
      }
    },
  }).attach(dynamoDb, ses, eventBridge);

  // Log volume: what the functions write to stdout (Powertools JSON logs, EMF metrics).
  const phaseLogBytes = new Map<string, number>();
  const originalWrite = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    phaseLogBytes.set(phase, (phaseLogBytes.get(phase) ?? 0) + (typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength));
    return (originalWrite as (...args: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write;

  const noop = await startNoopServer();
  try {
    const domain = `e2e-${randomUUID().slice(0, 6)}.example`;
    const bodies = Array.from({ length: leads }, (_, i) => {
      const email = `signup-${i}@${domain}`;
      emailToLead.set(email, leadIdFor(normalizeEmail(email), signingKey));
      return new URLSearchParams({
        email,
        firstName: 'Erika',
        company: 'Acme Industrie GmbH',
        marketingConsent: 'on',
        locale: i % 3 === 0 ? 'en' : 'de',
        utm_source: 'newsletter-box',
        page: 'https://www.leadpipe.example/blog',
      }).toString();
    });
    // Each lead posts from a loopback address of its own (127.1.0.1, 127.1.0.2, …): the capture path
    // limits consent requests per source IP (20 an hour), as on AWS, and 1,000 visitors are 1,000 IPs.
    // The baseline posts the same way, so both sides pay for the same client.
    const visitorAddress = (visitor: number) => `127.1.${Math.floor(visitor / 250) % 250}.${(visitor % 250) + 1}`;
    const formPost = (url: string, body: string, visitor: number) =>
      new Promise<number>((resolve, reject) => {
        const request = httpRequest(
          // The source address is IPv4, so the target must be too (localhost may resolve to ::1).
          url.replace('//localhost:', '//127.0.0.1:'),
          {
            method: 'POST',
            localAddress: visitorAddress(visitor),
            headers: {
              'content-type': 'application/x-www-form-urlencoded',
              'content-length': Buffer.byteLength(body),
              accept: 'text/html',
              origin: stack.url,
            },
          },
          (response) => {
            response.resume();
            response.on('end', () => resolve(response.statusCode ?? 0));
            response.on('error', reject);
          },
        );
        request.on('error', reject);
        request.end(body);
      });

    // Warm the stack (first imports, JIT) with a few leads that are not counted.
    phase = 'warmup';
    for (let i = 0; i < 5; i += 1)
      await formPost(
        `${stack.url}/forms/newsletter`,
        new URLSearchParams({ email: `warmup-${i}@${domain}.warm`, marketingConsent: 'on' }).toString(),
        50_000 + i,
      );
    await stack.drain();

    phase = 'baseline';
    const baselineRuns: number[] = [];
    baselineRuns.push(
      await postAll(
        bodies.map((body, i) => () => formPost(`${noop.url}/forms/newsletter`, body, i)),
        concurrency,
      ).then((r) => r.leadsPerSecond),
    );

    // --- the pipeline run ------------------------------------------------------------------------
    phase = 'e2e';
    progress(`end-to-end: posting ${leads} newsletter signups (${concurrency} at a time)`);
    const javaPid = dynamoDbLocalPid(process.env.AWS_ENDPOINT_URL_DYNAMODB!);
    const javaCpuStart = javaPid ? processCpuSeconds(javaPid) : undefined;
    const cpuStart = process.cpuUsage();
    const posted = new Map<string, { start: number; end: number; status: number }>();
    const leadIds = bodies.map((body) => emailToLead.get(new URLSearchParams(body).get('email')!)!);
    const runStart = performance.now();
    const accept = await postAll(
      bodies.map((body, i) => async () => {
        const start = performance.now();
        const status = await formPost(`${stack.url}/forms/newsletter`, body, i);
        posted.set(leadIds[i]!, { start, end: performance.now(), status });
        return status;
      }),
      concurrency,
      // Leave time for the drain and the probe: a machine this slow gets a partial run, reported as such.
      () => deadline.remainingMs < 40_000,
    );
    if (accept.posted < leads) notes.push(`only ${accept.posted} of ${leads} signups were posted within the time budget`);
    const acceptEnd = performance.now();
    const wanted = new Set(leadIds);
    const postedIds = leadIds.filter((leadId) => posted.has(leadId));
    const mailsFor = () => postedIds.filter((leadId) => mailedAt.has(leadId)).length;
    progress(`end-to-end: accepted in ${round((acceptEnd - runStart) / 1000)} s; draining until ${leads} opt-in mails exist`);
    for (let round_ = 0; round_ < 200 && mailsFor() < postedIds.length && deadline.remainingMs > 5_000; round_ += 1) {
      const response = await fetch(`${stack.url}/_dev/drain`, { method: 'POST' });
      await response.arrayBuffer();
    }
    const cpuUsed = process.cpuUsage(cpuStart);
    const javaCpuEnd = javaPid ? processCpuSeconds(javaPid) : undefined;
    const mailsSent = mailsFor();
    const lastMail = Math.max(...postedIds.map((leadId) => mailedAt.get(leadId) ?? 0));
    const lastOptInEnd = Math.max(
      ...invocations.filter((inv) => inv.phase === 'e2e' && inv.name === 'send-opt-in').map((inv) => inv.endMs),
    );
    const runEnd = Math.max(lastMail, Number.isFinite(lastOptInEnd) ? lastOptInEnd : 0);
    const seconds = (runEnd - runStart) / 1000;
    const devMail = (await (await fetch(`${stack.url}/_dev/mail`)).json()) as Array<{ to: string[] }>;
    const mailsInDevMail = devMail.filter((mail) => mail.to.some((to) => to.endsWith(`@${domain}`))).length;
    if (accept.failures > 0) notes.push(`${accept.failures} POSTs did not answer 303`);

    phase = 'baseline';
    baselineRuns.push(
      await postAll(
        bodies.map((body, i) => () => formPost(`${noop.url}/forms/newsletter`, body, i)),
        concurrency,
      ).then((r) => r.leadsPerSecond),
    );

    // --- stages per lead -------------------------------------------------------------------------
    const e2eInvocations = invocations.filter((inv) => inv.phase === 'e2e');
    const firstInvocation = (name: string, leadId: string, type?: string) =>
      e2eInvocations.find((inv) => inv.name === name && inv.leads.some((lead) => lead.leadId === leadId && (!type || lead.type === type)));
    const stageSamples: Record<string, number[]> = {
      'POST → stored': [],
      'stored → relay picks it up (stream poll)': [],
      'relay (PutEvents)': [],
      'bus → send-opt-in starts': [],
      'classify-lead': [],
      'send-opt-in (mail)': [],
      'POST → mail sent (total)': [],
    };
    for (const leadId of wanted) {
      const post = posted.get(leadId);
      const stored = storedAt.get(leadId);
      const relay = firstInvocation('outbox-relay', leadId, 'newsletter_signup');
      const put = relayedAt.get(leadId);
      const optIn = firstInvocation('send-opt-in', leadId);
      const classify = firstInvocation('classify-lead', leadId);
      if (!post || stored === undefined || !relay || !put || !optIn) continue;
      stageSamples['POST → stored']!.push(stored - post.start);
      stageSamples['stored → relay picks it up (stream poll)']!.push(relay.startMs - stored);
      stageSamples['relay (PutEvents)']!.push(put.end - relay.startMs);
      stageSamples['bus → send-opt-in starts']!.push(optIn.startMs - put.start);
      if (classify) stageSamples['classify-lead']!.push(classify.endMs - classify.startMs);
      stageSamples['send-opt-in (mail)']!.push(optIn.endMs - optIn.startMs);
      stageSamples['POST → mail sent (total)']!.push(optIn.endMs - post.start);
    }
    const stages: StageStats[] = Object.entries(stageSamples).map(([stage, samples]) => {
      const summary = summarize(samples);
      return {
        stage,
        p50Ms: round(summary.p50),
        p90Ms: round(summary.p90),
        p99Ms: round(summary.p99),
        totalSeconds: round(sum(samples) / 1000),
        onMailPath: stage !== 'classify-lead',
      };
    });
    const links = stages.filter((stage) => !stage.stage.includes('total'));
    const slowest = links.reduce((worst, stage) => (stage.p50Ms > worst.p50Ms ? stage : worst), links[0]!);
    const invocationCounts: Record<string, number> = {};
    for (const inv of e2eInvocations) invocationCounts[inv.name] = (invocationCounts[inv.name] ?? 0) + 1;

    // --- sequential cost probe ---------------------------------------------------------------------
    let probe: EndToEndResult['probe'];
    const probeWanted = options.probeLeads ?? 30;
    if (deadline.remainingMs > 20_000 && probeWanted > 0) {
      phase = 'probe';
      progress(`end-to-end: cost probe, ${probeWanted} leads one at a time (sign up, confirm)`);
      let done = 0;
      let apiRequests = 0;
      const probeLeadIds: string[] = [];
      for (let i = 0; i < probeWanted && deadline.remainingMs > 8_000; i += 1) {
        const email = `probe-${i}@${domain}`;
        const leadId = leadIdFor(normalizeEmail(email), signingKey);
        emailToLead.set(email, leadId);
        await formPost(
          `${stack.url}/forms/newsletter`,
          new URLSearchParams({ email, firstName: 'Erika', company: 'Acme Industrie GmbH', marketingConsent: 'on' }).toString(),
          60_000 + i,
        );
        apiRequests += 1;
        await stack.drain();
        const link = confirmLinks.get(leadId);
        if (!link) {
          notes.push(`probe lead ${i}: no opt-in mail after drain`);
          continue;
        }
        const page = await fetch(link, { headers: { accept: 'text/html' }, redirect: 'manual' });
        await page.arrayBuffer();
        const confirmed = await fetch(link, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
          body: '',
          redirect: 'manual',
        });
        await confirmed.arrayBuffer();
        apiRequests += 2;
        await stack.drain();
        probeLeadIds.push(leadId);
        done += 1;
      }
      phase = 'after-probe';
      if (done > 0) {
        const probeInvocations = invocations.filter((inv) => inv.phase === 'probe');
        const perFunction: Record<string, number[]> = {};
        for (const inv of probeInvocations) (perFunction[inv.name] ??= []).push(inv.endMs - inv.startMs);
        const calls = phaseCalls.get('probe') ?? [];
        const tally = flattenTally(tallyOf(calls));
        const events = phaseEvents.get('probe') ?? { entries: 0, bytes: 0 };
        // What one lead leaves stored: its partition plus the message lookups of its emails.
        const storedBytes: number[] = [];
        for (const leadId of probeLeadIds.slice(0, 5)) {
          const items =
            (
              await documentClient.send(
                new QueryCommand({
                  TableName: stack.tableName,
                  KeyConditionExpression: 'pk = :pk',
                  ExpressionAttributeValues: { ':pk': `LEAD#${leadId}` },
                }),
              )
            ).Items ?? [];
          let bytes = items.reduce((total, item) => total + itemSize(item) + 100, 0);
          for (const messageId of messageIds.get(leadId) ?? []) {
            const lookup = (
              await documentClient.send(new GetCommand({ TableName: stack.tableName, Key: { pk: `MESSAGE#${messageId}`, sk: 'MESSAGE' } }))
            ).Item;
            if (lookup) bytes += itemSize(lookup) + 100;
          }
          storedBytes.push(bytes);
        }
        probe = {
          leads: done,
          perLead: {
            apiRequests: round(apiRequests / done),
            invocations: Object.fromEntries(Object.entries(perFunction).map(([name, list]) => [name, round(list.length / done)])),
            durationsMs: Object.fromEntries(
              Object.entries(perFunction).map(([name, list]) => [
                name,
                { p50: round(summarize(list).p50), mean: round(mean(list)), n: list.length },
              ]),
            ),
            awsCalls: Object.fromEntries(Object.entries(tally).map(([key, value]) => [key, round(value.calls / done)])),
            readUnits: round(sum(calls.map((call) => call.readUnits)) / done),
            writeUnits: round(sum(calls.map((call) => call.writeUnits)) / done),
            putEventsEntries: round(events.entries / done),
            putEventsBytes: round(events.bytes / Math.max(1, events.entries)),
            sesEmails: round((tally['SESv2.SendEmail']?.calls ?? 0) / done),
            logBytes: round((phaseLogBytes.get('probe') ?? 0) / done),
            storedBytes: round(mean(storedBytes)),
          },
        };
      }
    } else {
      notes.push('cost probe skipped: time budget');
    }

    const baselineLps = mean(baselineRuns);
    const leadsPerSecond = mailsSent / seconds;
    const javaCpuSeconds = javaCpuStart !== undefined && javaCpuEnd !== undefined ? javaCpuEnd - javaCpuStart : undefined;
    return {
      leads,
      concurrency,
      mailsSent,
      mailsInDevMail,
      complete: mailsSent === leads,
      seconds: round(seconds),
      leadsPerSecond: round(leadsPerSecond),
      acceptPhase: { seconds: round((acceptEnd - runStart) / 1000), leadsPerSecond: round(accept.leadsPerSecond) },
      baseline: {
        description:
          `the same ${leads} form POSTs, same client and concurrency, ` +
          'to a no-op HTTP server in the same process (mean of a run before and one after)',
        runsLeadsPerSecond: baselineRuns.map((value) => round(value)),
        leadsPerSecond: round(baselineLps),
      },
      ratio: round(ratio(baselineLps, leadsPerSecond)),
      stages,
      slowestLink: {
        stage: slowest.stage,
        p50Ms: slowest.p50Ms,
        why: `${explainSlowest(slowest.stage)} ${saturation(seconds, (cpuUsed.user + cpuUsed.system) / 1e6, javaCpuSeconds)}`,
      },
      invocations: invocationCounts,
      deadLetters: stack.bus.deadLetters.length,
      cpu: {
        wallSeconds: round(seconds),
        stackProcessSeconds: round((cpuUsed.user + cpuUsed.system) / 1e6),
        dynamoDbLocalSeconds: javaCpuStart !== undefined && javaCpuEnd !== undefined ? round(javaCpuEnd - javaCpuStart) : null,
      },
      streamReads: streamStats(streamCalls.filter((call) => call.phase === 'e2e')),
      probe,
      notes,
    };
  } finally {
    process.stdout.write = originalWrite;
    counter.detach();
    FunctionRuntime.prototype.invoke = originalInvoke;
    DynamoDBStreamsClient.prototype.send = originalStreamSend;
    await noop.close();
    await stack.stop();
  }
}

/** Whether the machine was the limit: CPU seconds of the stack process and of DynamoDB Local against the wall clock. */
function saturation(wallSeconds: number, stackSeconds: number, javaSeconds: number | undefined): string {
  const cores = availableParallelism();
  const used = stackSeconds + (javaSeconds ?? 0);
  const share =
    javaSeconds === undefined
      ? ''
      : ` DynamoDB Local used ${round(javaSeconds)} CPU-s ` +
        `(${Math.round((100 * javaSeconds) / Math.max(used, 1e-9))} % of the two processes), ` +
        `the stack process ${round(stackSeconds)} CPU-s,`;
  const verdict =
    used / wallSeconds > cores * 0.85
      ? 'the machine is saturated, so every call queues and the stage with the most sequential calls waits longest; ' +
        'on AWS these queues do not exist, and the emulator (not the code) is the throughput limit here.'
      : 'the machine was not saturated.';
  return `During the run${share} ${round(used / wallSeconds)} of ${cores} cores busy over ${round(wallSeconds)} s: ${verdict}`;
}

function explainSlowest(stage: string): string {
  if (stage.startsWith('stored → relay')) {
    return (
      'records wait for the next pass of the stream poller (local/stream-poller.ts polls every 200 ms; ' +
      'each pass reads every shard with GetRecords and hands records to the relay 25 at a time, one batch after the other). ' +
      'On AWS the event source mapping plays this part (typically ~0.1–1 s stream latency).'
    );
  }
  if (stage.startsWith('bus'))
    return (
      'deliveries queue behind each other: the local bus invokes every matching target concurrently in this one process, ' +
      "and all of them share the SDK's HTTP connections and DynamoDB Local."
    );
  if (stage.startsWith('send-opt-in'))
    return (
      'The mail step makes four sequential calls ' +
      '(GetItem, the claim UpdateItem, SES SendEmail, the TransactWriteItems that records the email) ' +
      'and renders the template, against two for classification and one for capture.'
    );
  if (stage.startsWith('POST'))
    return 'capture: validation plus one TransactWriteItems; under load it queues behind the background pipeline work on the same 2 cores.';
  return '';
}

async function postAll(
  tasks: Array<() => Promise<number>>,
  concurrency: number,
  shouldStop: () => boolean = () => false,
): Promise<{ leadsPerSecond: number; failures: number; posted: number }> {
  let next = 0;
  let failures = 0;
  const start = nowMs();
  const worker = async () => {
    while (next < tasks.length && !shouldStop()) {
      const task = tasks[next++]!;
      const status = await task().catch(() => 0);
      if (status !== 303) failures += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { leadsPerSecond: (next / (nowMs() - start)) * 1000, failures, posted: next };
}

async function startNoopServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(303, { location: 'https://www.leadpipe.example/thank-you' });
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function leadsOf(name: string, event: any, emailToLead: Map<string, string>): Array<{ leadId: string; type?: string }> {
  try {
    if (name === 'outbox-relay') {
      return (event?.Records ?? []).map((record: any) => ({
        leadId: String(record?.dynamodb?.NewImage?.leadId?.S ?? ''),
        type: record?.dynamodb?.NewImage?.type?.S,
      }));
    }
    if (event?.detail?.leadId) return [{ leadId: String(event.detail.leadId), type: event.detail.type }];
    if (name === 'capture-form' && event?.body) {
      const body = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
      const email = new URLSearchParams(body).get('email')?.trim().toLowerCase();
      const leadId = email ? emailToLead.get(email) : undefined;
      return leadId ? [{ leadId }] : [];
    }
  } catch {
    // instrumentation must never break the run
  }
  return [];
}

function streamStats(calls: Array<{ operation: string; ms: number; records: number }>): EndToEndResult['streamReads'] {
  const byOperation = new Map<string, Array<{ ms: number; records: number }>>();
  for (const call of calls) byOperation.set(call.operation, [...(byOperation.get(call.operation) ?? []), call]);
  return [...byOperation.entries()].map(([operation, list]) => {
    const summary = summarize(list.map((call) => call.ms));
    return {
      operation,
      calls: list.length,
      p50Ms: round(summary.p50),
      p99Ms: round(summary.p99),
      totalSeconds: round(sum(list.map((call) => call.ms)) / 1000),
      records: sum(list.map((call) => call.records)),
    };
  });
}

/** The DynamoDB Local JVM listening on the endpoint's port (read-only look at /proc, for its CPU time). */
function dynamoDbLocalPid(endpoint: string): number | undefined {
  const port = new URL(endpoint).port;
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
        if (args.some((arg) => arg.endsWith('DynamoDBLocal.jar')) && args[args.indexOf('-port') + 1] === port) return Number(entry);
      } catch {
        // gone meanwhile
      }
    }
  } catch {
    // no /proc
  }
  return undefined;
}

function processCpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

function tallyOf(calls: AwsCall[]) {
  const counter = new AwsCallCounter();
  counter.calls.push(...calls);
  return counter.tally();
}

function safeJson(text: unknown): any {
  try {
    return JSON.parse(String(text));
  } catch {
    return undefined;
  }
}
