/**
 * The local bus's journal: what EventBridge's durability is to the deployed app. An event the bus
 * accepted (PutEvents answered) and had not delivered when the process died is delivered by the next
 * run, once, with the same id, so a consumer's idempotency (claims keyed by event id) still holds.
 * Real PutEvents calls over HTTP with the real SDK client; the targets are scripted.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalEventBus, MAX_DEAD_LETTERS_KEPT, type EventEnvelope } from '../../../local/event-bus/local-event-bus';
import { freePort } from '../../../local/free-port';
import { VirtualClock } from '../../../local/virtual-clock';
import type { EventRule, FunctionName } from '../../../shared/wiring/app-wiring';

const RULES: EventRule[] = [
  {
    name: 'to-classify',
    description: 'test rule',
    bus: 'app',
    pattern: { source: ['leadpipe'], 'detail-type': ['Test Event'] },
    target: 'classify-lead',
  },
];

describe('local event bus journal (persistent stacks)', () => {
  let dir: string;
  const closers: Array<() => Promise<void> | void> = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'leadpipe-journal-'));
  });
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A bus on the journal directory, listening on HTTP, whose target does what `deliver` says. */
  async function busOn(deliver: (target: FunctionName, event: EventEnvelope) => Promise<unknown>) {
    const clock = new VirtualClock();
    const bus = new LocalEventBus({ appBusName: 'leadpipe-test', region: 'eu-central-1', clock, deliver, rules: RULES, journalDir: dir });
    const client = new EventBridgeClient({ endpoint: await bus.listen(await freePort()), region: 'eu-central-1' });
    closers.push(
      () => client.destroy(),
      () => bus.close(),
    );
    return { bus, client };
  }

  async function put(client: EventBridgeClient, n: number): Promise<string> {
    const entry = { EventBusName: 'leadpipe-test', Source: 'leadpipe', DetailType: 'Test Event', Detail: JSON.stringify({ n }) };
    const result = await client.send(new PutEventsCommand({ Entries: [entry] }));
    return result.Entries![0]!.EventId!;
  }

  it('has every accepted delivery journaled when PutEvents answers, and none once it is delivered', async () => {
    // Prepare: a target that does not answer until the test lets it
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const { bus, client } = await busOn(() => finished);

    // Act
    const id = await put(client, 1);
    const whileDelivering = readdirSync(dir);
    finish();
    await bus.idle();

    // Assess
    expect(whileDelivering).toEqual([`${id}.to-classify.json`]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('delivers after a restart what the crashed run had accepted and not delivered: once, with the same id', async () => {
    // Prepare: the first run accepts two events; its target never answers (the process is about to die)
    const first = await busOn(() => new Promise(() => undefined));
    const ids = [await put(first.client, 1), await put(first.client, 2)];
    const delivered: string[] = [];

    // Act: a second run on the same journal
    const { bus } = await busOn(async (_target, event) => void delivered.push(event.id));
    const resumed = bus.resumeJournal();
    await bus.idle();

    // Assess
    expect(resumed).toBe(2);
    expect(delivered.sort()).toEqual([...ids].sort());
    expect(readdirSync(dir)).toEqual([]);
  });

  it('keeps counting attempts across the restart, and dead-letters when they are used up', async () => {
    // Prepare: the first run's target fails twice, then hangs on the third and last attempt
    let calls = 0;
    const first = await busOn(() => (++calls < 3 ? Promise.reject(new Error('target down')) : new Promise(() => undefined)));
    const id = await put(first.client, 1);
    for (let check = 0; check < 200 && calls < 3; check += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    let afterRestart = 0;

    // Act
    const { bus } = await busOn(async () => {
      afterRestart += 1;
      throw new Error('target still down');
    });
    bus.resumeJournal();
    await bus.idle();

    // Assess: one attempt was left; it failed, so the event is a dead letter, with 3 attempts in all
    expect(calls).toBe(3);
    expect(afterRestart).toBe(1);
    expect(bus.deadLetters).toMatchObject([{ rule: 'to-classify', attempts: 3, error: 'target still down', event: { id } }]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('removes a temporary file that a crash left half-written, and delivers nothing for it', async () => {
    // Prepare
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'some-event.to-classify.json.123.abcd.tmp'), '{"rule":');
    const delivered: string[] = [];
    const { bus } = await busOn(async (_target, event) => void delivered.push(event.id));

    // Act
    const resumed = bus.resumeJournal();
    await bus.idle();

    // Assess
    expect(resumed).toBe(0);
    expect(delivered).toEqual([]);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('local event bus dead letters', () => {
  it(`keeps at most ${MAX_DEAD_LETTERS_KEPT}, dropping the oldest`, async () => {
    // Prepare: every delivery fails at once, one attempt each
    const deliver = async () => Promise.reject(new Error('target down'));
    const clock = new VirtualClock();
    const bus = new LocalEventBus({ appBusName: 'leadpipe-test', region: 'eu-central-1', clock, deliver, rules: RULES, maxAttempts: 1 });
    const putOne = (n: number) => bus.put('leadpipe-test', { source: 'leadpipe', detailType: 'Test Event', detail: { n } }).id;

    // Act
    const ids = Array.from({ length: MAX_DEAD_LETTERS_KEPT + 5 }, (_, n) => putOne(n));
    await bus.idle();

    // Assess
    expect(bus.deadLetters).toHaveLength(MAX_DEAD_LETTERS_KEPT);
    expect(bus.deadLetters.map((letter) => letter.event.id)).toEqual(ids.slice(5));
  });
});
