import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidEventPatternError } from '../../local/event-bus/event-pattern-matcher';
import { LocalEventBus } from '../../local/event-bus/local-event-bus';
import { StreamPoller } from '../../local/stream-poller';
import { VirtualClock } from '../../local/virtual-clock';
import { EVENT_RULES, STREAM_RELAYS, type EventRule } from '../../shared/wiring/app-wiring';

/*
 * PutRule and CreateEventSourceMapping reject a bad pattern when the rule is created. The local bus and
 * stream poller check at the same moment, so a pattern that would fail the deploy (or that the local
 * matcher cannot honour, which would otherwise match nothing in silence) fails the local start too.
 */

function busWith(rules: readonly EventRule[]): LocalEventBus {
  const deliver = async () => undefined;
  return new LocalEventBus({ appBusName: 'leadpipe-test', region: 'eu-central-1', clock: new VirtualClock(), deliver, rules });
}

const rule = (pattern: Record<string, unknown>): EventRule => ({
  name: 'bad-rule',
  description: 'a rule under test',
  bus: 'app',
  pattern,
  target: 'classify-lead',
});

describe('registering rules on the local event bus', () => {
  it('takes every rule of the app', () => {
    // Act
    const create = () => busWith(EVENT_RULES);

    // Assess
    expect(create).not.toThrow();
  });

  it.each([
    ['a pattern EventBridge rejects (a value that is not a list)', { source: 'leadpipe' }, /source: must be an array/],
    ['an operator only EventBridge supports', { detail: { type: [{ prefix: 'down' }] } }, /operator "prefix" is valid in EventBridge/],
    ['an empty pattern', {}, /must not be an empty object/],
  ])('refuses a rule with %s, naming the rule', (_label, pattern, message) => {
    // Act
    const create = () => busWith([rule(pattern)]);

    // Assess
    expect(create).toThrow(InvalidEventPatternError);
    expect(create).toThrow(/^rule bad-rule has an invalid event pattern: /);
    expect(create).toThrow(message);
  });
});

const STREAM_ARN = 'arn:aws:dynamodb:local:000000000000:table/t/stream/x';

describe('creating the local stream poller', () => {
  // Never called: the constructor is what is under test.
  const credentials = { accessKeyId: 'x', secretAccessKey: 'x' };
  const client = new DynamoDBStreamsClient({ region: 'eu-central-1', endpoint: 'http://127.0.0.1:9', credentials });
  afterAll(() => client.destroy());
  const poller = (filter: Record<string, unknown>) => () =>
    new StreamPoller(client, STREAM_ARN, { ...STREAM_RELAYS[0], filter }, async () => undefined);

  it('takes the outbox filter of the app', () => {
    // Act
    const create = poller(STREAM_RELAYS[0].filter);

    // Assess
    expect(create).not.toThrow();
  });

  it('refuses a filter the local matcher cannot honour, naming the relay', () => {
    // Act
    const create = poller({ eventName: [{ 'anything-but': 'REMOVE' }] });

    // Assess
    expect(create).toThrow(InvalidEventPatternError);
    expect(create).toThrow(/^stream filter of outbox-relay has an invalid event pattern: eventName\[0\]: operator "anything-but"/);
  });
});
