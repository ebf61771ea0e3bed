import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BUS_FORWARDS, EVENT_RULES, type EventRule, type FunctionName, type Schedule } from '../../shared/wiring/app-wiring';
import type { VirtualClock } from '../virtual-clock';
import { matchesEventPattern, type EventPattern } from './event-pattern-matcher';

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
      maxAttempts?: number;
      retryDelayMs?: number;
    },
  ) {}

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
    const time = this.options.clock.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
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
      return sendJson(response, 400, { __type: 'UnknownOperationException', message: `The local bus supports PutEvents only, not ${target}` });
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
      return sendJson(response, 400, { __type: 'ResourceNotFoundException', message: `Event bus ${unknownBus.EventBusName} does not exist.` });
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
    const time = entry.Time === undefined ? this.options.clock.now() : new Date(typeof entry.Time === 'number' ? entry.Time * 1000 : entry.Time);
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

  private deliver(rule: Pick<EventRule, 'name' | 'target'>, event: EventEnvelope, attempt: number): void {
    this.pending += 1;
    const maxAttempts = this.options.maxAttempts ?? 3;
    void this.options
      .deliver(rule.target, event)
      .catch((error: unknown) => {
        if (attempt < maxAttempts) {
          const delay = (this.options.retryDelayMs ?? 50) * 2 ** (attempt - 1);
          this.pending += 1;
          setTimeout(() => {
            this.pending -= 1;
            this.deliver(rule, event, attempt + 1);
          }, delay);
        } else {
          this.deadLetters.push({ rule: rule.name, event, error: error instanceof Error ? error.message : String(error), attempts: attempt });
        }
      })
      .finally(() => {
        this.pending -= 1;
        if (this.pending === 0) this.idleWaiters.splice(0).forEach((resolve) => resolve());
      });
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
  response.end(JSON.stringify(body));
}
