import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BUS_FORWARDS, EVENT_RULES, type EventRule, type FunctionName, type Schedule } from '../../shared/wiring/app-wiring';
import { RetriesExhaustedError, withRetry } from '../../shared/retry/with-retry';
import { readBody, sendAwsJson } from '../aws-json-wire';
import { journalFiles, writeFileAtomically } from '../durable-file';
import type { VirtualClock } from '../virtual-clock';
import { assertValidEventPattern, matchesEventPattern, type EventPattern } from './event-pattern-matcher';

export interface EventEnvelope {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
}

interface PutEventsEntry {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  EventBusName?: string;
  Time?: number | string;
  Resources?: string[];
}

export interface DeadLetter {
  rule: string;
  event: EventEnvelope;
  error: string;
  attempts: number;
}

type Deliver = (target: FunctionName, event: EventEnvelope) => Promise<unknown>;

export const LOCAL_ACCOUNT = '000000000000';
/** Dead letters kept for /_dev/dead-letters; the oldest go first, so a failing loop cannot grow memory without end. */
export const MAX_DEAD_LETTERS_KEPT = 1000;

/** One delivery that the bus accepted and has not finished: what the journal keeps across a restart. */
interface JournalEntry {
  rule: { name: string; target: FunctionName };
  event: EventEnvelope;
  attempt: number;
}

/**
 * A local EventBridge: speaks the PutEvents JSON wire protocol so functions use the real
 * @aws-sdk/client-eventbridge, matches events against the same rule table as CDK, and delivers
 * asynchronously with retries and a dead-letter list, as EventBridge does with Lambda targets.
 */
export class LocalEventBus {
  readonly deadLetters: DeadLetter[] = [];
  /** every event put on any bus, oldest first: what `/_dev/events` shows */
  readonly log: Array<EventEnvelope & { bus: string }> = [];
  private server?: Server;
  private pending = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly options: {
      appBusName: string;
      region: string;
      clock: VirtualClock;
      deliver: Deliver;
      rules?: readonly EventRule[];
      /** attempts per delivery, the first included (default 3) */
      maxAttempts?: number;
      /** cap of the first jittered wait between attempts, doubling after each (default 50 ms) */
      retryDelayMs?: number;
      /**
       * Persistent stacks only: a directory where every accepted, unfinished delivery is kept. EventBridge
       * keeps an event it accepted until its targets have it; an in-memory bus would lose it on a crash, after
       * the stream poller had already moved past its record. With a journal, resumeJournal() after a restart
       * delivers each one again: the same event, id included, as EventBridge's own retry would.
       */
      journalDir?: string;
    },
  ) {
    // Registering a rule checks its pattern, as PutRule does: one AWS would reject, or the local matcher cannot honour, stops here.
    for (const rule of [...(options.rules ?? EVENT_RULES), ...BUS_FORWARDS]) assertValidEventPattern(rule.pattern, `rule ${rule.name}`);
  }

  /** Delivers again every delivery a previous run accepted and did not finish; returns how many. */
  resumeJournal(): number {
    const dir = this.options.journalDir;
    if (!dir) return 0;
    let resumed = 0;
    for (const file of journalFiles(dir)) {
      const path = `${dir}/${file}`;
      // A temporary file is a write that a crash interrupted before its rename: it was never accepted.
      if (!file.endsWith('.json')) {
        rmSync(path, { force: true });
        continue;
      }
      const entry = JSON.parse(readFileSync(path, 'utf8')) as JournalEntry;
      this.deliver(entry.rule, entry.event, entry.attempt);
      resumed += 1;
    }
    return resumed;
  }

  async listen(port: number): Promise<string> {
    this.server = createServer((request, response) => void this.handleHttp(request, response));
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Resolves once every event put so far, and everything it caused on this bus, has been delivered or dead-lettered. */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  get isIdle(): boolean {
    return this.pending === 0;
  }

  /** Puts one event as if through PutEvents; used by the scheduler and the dev endpoints. */
  put(busName: string, entry: { source: string; detailType: string; detail: unknown; time?: Date; resources?: string[] }): EventEnvelope {
    const envelope = this.envelope({
      Source: entry.source,
      DetailType: entry.detailType,
      Detail: JSON.stringify(entry.detail),
      Time: entry.time ? entry.time.getTime() / 1000 : undefined,
      Resources: entry.resources,
    });
    this.route(busName, envelope);
    return envelope;
  }

  /** Runs a scheduled rule's target now, with a Scheduled Event stamped by the virtual clock. */
  runSchedule(schedule: Schedule): void {
    const time = this.options.clock
      .now()
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
    const event: EventEnvelope = {
      version: '0',
      id: randomUUID(),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: LOCAL_ACCOUNT,
      time,
      region: this.options.region,
      resources: [`arn:aws:events:${this.options.region}:${LOCAL_ACCOUNT}:rule/${schedule.name}`],
      detail: {},
    };
    this.deliver({ name: schedule.name, target: schedule.target }, event, 1);
  }

  private async handleHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    const target = String(request.headers['x-amz-target'] ?? '');
    if (target !== 'AWSEvents.PutEvents') {
      return sendJson(response, 400, {
        __type: 'UnknownOperationException',
        message: `The local bus supports PutEvents only, not ${target}`,
      });
    }
    let parsed: { Entries?: PutEventsEntry[] };
    try {
      parsed = JSON.parse(body) as { Entries?: PutEventsEntry[] };
    } catch {
      return sendJson(response, 400, { __type: 'SerializationException', message: 'Request body is not JSON' });
    }
    const entries = parsed.Entries ?? [];
    if (entries.length < 1 || entries.length > 10) {
      return sendJson(response, 400, { __type: 'ValidationException', message: 'Entries must contain between 1 and 10 items' });
    }
    const unknownBus = entries.find((entry) => !this.knownBus(entry.EventBusName));
    if (unknownBus) {
      return sendJson(response, 400, {
        __type: 'ResourceNotFoundException',
        message: `Event bus ${unknownBus.EventBusName} does not exist.`,
      });
    }
    const results = entries.map((entry) => this.acceptEntry(entry));
    sendJson(response, 200, { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results });
  }

  private acceptEntry(entry: PutEventsEntry): { EventId: string } | { ErrorCode: string; ErrorMessage: string } {
    if (!entry.Source || !entry.DetailType || entry.Detail === undefined) {
      return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameters Source, DetailType and Detail are required.' };
    }
    let detail: unknown;
    try {
      detail = JSON.parse(entry.Detail);
    } catch {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    }
    if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail must be a JSON object.' };
    }
    const envelope = this.envelope(entry);
    this.route(this.busName(entry.EventBusName), envelope);
    return { EventId: envelope.id };
  }

  private envelope(entry: PutEventsEntry): EventEnvelope {
    const time =
      entry.Time === undefined ? this.options.clock.now() : new Date(typeof entry.Time === 'number' ? entry.Time * 1000 : entry.Time);
    return {
      version: '0',
      id: randomUUID(),
      'detail-type': entry.DetailType!,
      source: entry.Source!,
      account: LOCAL_ACCOUNT,
      // EventBridge stamps times with second precision
      time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: this.options.region,
      resources: entry.Resources ?? [],
      detail: JSON.parse(entry.Detail!),
    };
  }

  private knownBus(name: string | undefined): boolean {
    const bus = this.busName(name);
    return bus === this.options.appBusName || bus === 'default';
  }

  private busName(name: string | undefined): string {
    if (!name || name === 'default') return 'default';
    // Accept the bus ARN as well as its name, as EventBridge does.
    return name.split('/').pop() ?? name;
  }

  private route(busName: string, event: EventEnvelope): void {
    this.log.push({ ...event, bus: busName });
    const bus = busName === this.options.appBusName ? 'app' : 'default';
    for (const rule of this.options.rules ?? EVENT_RULES) {
      if (rule.bus === bus && matchesEventPattern(rule.pattern as EventPattern, event)) this.deliver(rule, event, 1);
    }
    // A bus target passes the event on unchanged, id and time included, as EventBridge does.
    for (const forward of BUS_FORWARDS) {
      if (forward.from === bus && matchesEventPattern(forward.pattern as EventPattern, event)) this.route(this.options.appBusName, event);
    }
  }

  private journalFile(ruleName: string, event: EventEnvelope): string | undefined {
    return this.options.journalDir && `${this.options.journalDir}/${event.id}.${ruleName}.json`;
  }

  private journal(entry: JournalEntry): void {
    const file = this.journalFile(entry.rule.name, entry.event);
    if (file) writeFileAtomically(file, JSON.stringify(entry));
  }

  private unjournal(ruleName: string, event: EventEnvelope): void {
    const file = this.journalFile(ruleName, event);
    if (file) rmSync(file, { force: true });
  }

  /**
   * Delivers asynchronously, as EventBridge does with a Lambda target: any error is retried (bounded by
   * maxAttempts, default 3, with jittered backoff), then the event is dead-lettered. `firstAttempt` is above 1
   * only for a delivery resumed from the journal, which keeps counting where the crashed run stopped.
   */
  private deliver(rule: Pick<EventRule, 'name' | 'target'>, event: EventEnvelope, firstAttempt: number): void {
    this.pending += 1;
    const remaining = Math.max(1, (this.options.maxAttempts ?? 3) - firstAttempt + 1);
    let attempt = firstAttempt;
    const what = `delivery of ${event['detail-type']} ${event.id} to ${rule.target}`;
    void withRetry({ what, attempts: remaining, retryOn: () => true, baseDelayMs: this.options.retryDelayMs ?? 50 }, (n) => {
      attempt = firstAttempt + n - 1;
      // The first attempt starts synchronously, inside the PutEvents request (route()): the journal entry is
      // written before PutEvents answers, so an event the bus accepted survives a crash.
      this.journal({ rule: { name: rule.name, target: rule.target }, event, attempt });
      return this.options.deliver(rule.target, event);
    })
      .then(
        () => this.unjournal(rule.name, event),
        (error: unknown) => {
          const cause = error instanceof RetriesExhaustedError ? error.cause : error;
          const message = cause instanceof Error ? cause.message : String(cause);
          this.deadLetters.push({ rule: rule.name, event, error: message, attempts: attempt });
          if (this.deadLetters.length > MAX_DEAD_LETTERS_KEPT) this.deadLetters.shift();
          this.unjournal(rule.name, event);
        },
      )
      .finally(() => {
        this.pending -= 1;
        if (this.pending === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
      });
  }
}

/** EventBridge speaks AWS JSON 1.1. */
function sendJson(response: ServerResponse, status: number, body: unknown): void {
  sendAwsJson(response, status, body, '1.1');
}
