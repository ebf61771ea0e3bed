import { describe, expect, it } from 'vitest';
import {
  assertValidEventPattern,
  type EventPattern,
  InvalidEventPatternError,
  matchesEventPattern,
  validateEventPattern,
} from '../../local/event-bus/event-pattern-matcher';
import { BUS_FORWARDS, EVENT_RULES, STREAM_RELAYS } from '../../shared/wiring/app-wiring';

/*
 * Example events, patterns and expected results come from the Amazon EventBridge user guide
 * ("Creating event patterns", "Matching null values and empty strings", "Arrays in event patterns",
 * "Content filtering in event patterns", "Comparison operators") and from the README of aws/event-ruler,
 * the matching engine behind EventBridge.
 */

/** The EC2 event from "Creating event patterns". */
function ec2TerminatedEvent(state = 'terminated') {
  return {
    version: '0',
    id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
    'detail-type': 'EC2 Instance State-change Notification',
    source: 'aws.ec2',
    account: '111122223333',
    time: '2017-12-22T18:43:48Z',
    region: 'us-west-1',
    resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
    detail: { 'instance-id': 'i-1234567890abcdef0', state },
  };
}

/** The Auto Scaling event from "Matching null values and empty strings". */
const autoScalingEvent = {
  version: '0',
  id: '3e3c153a-8339-4e30-8c35-687ebef853fe',
  'detail-type': 'EC2 Instance Launch Successful',
  source: 'aws.autoscaling',
  account: '123456789012',
  time: '2015-11-11T21:31:47Z',
  region: 'us-east-1',
  resources: [],
  detail: { eventVersion: '', responseElements: null },
};

/** The event used throughout the content-filtering examples (event-ruler README). */
function contentFilteringEvent(detail: Record<string, unknown> = {}) {
  return {
    version: '0',
    id: 'ddddd4-aaaa-7777-4444-345dd43cc333',
    'detail-type': 'EC2 Instance State-change Notification',
    source: 'aws.ec2',
    account: '012345679012',
    time: '2017-10-02T16:24:49Z',
    region: 'us-east-1',
    resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
    detail: {
      'c-count': 5,
      'd-count': 3,
      'x-limit': 301.8,
      'source-ip': '10.0.0.33',
      'instance-id': 'i-000000aaaaaa00000',
      state: 'running',
      ...detail,
    },
  };
}

/** A single-field pattern and event, for operator tests. */
function field(values: EventPattern[string]): EventPattern {
  return { detail: { value: values } };
}
function eventWith(value: unknown) {
  return { source: 'test', detail: { value } };
}

describe('matchesEventPattern: basic matching (Creating event patterns)', () => {
  const terminationPattern: EventPattern = {
    source: ['aws.ec2'],
    'detail-type': ['EC2 Instance State-change Notification'],
    detail: { state: ['terminated'] },
  };

  it('matches the documented EC2 instance-termination event', () => {
    // Prepare
    const event = ec2TerminatedEvent();

    // Act
    const matched = matchesEventPattern(terminationPattern, event);

    // Assess
    expect(matched).toBe(true);
  });

  it('does not match when one AND-ed field differs', () => {
    // Prepare
    const event = ec2TerminatedEvent('running');

    // Act
    const matched = matchesEventPattern(terminationPattern, event);

    // Assess
    expect(matched).toBe(false);
  });

  it('treats the values of a field as alternatives (OR)', () => {
    // Prepare
    const pattern: EventPattern = { source: ['aws.ec2', 'aws.fargate'] };

    // Act
    const fargate = matchesEventPattern(pattern, { ...ec2TerminatedEvent(), source: 'aws.fargate' });
    const s3 = matchesEventPattern(pattern, { ...ec2TerminatedEvent(), source: 'aws.s3' });

    // Assess
    expect(fargate).toBe(true);
    expect(s3).toBe(false);
  });

  it('requires every pattern field to be present with the same nesting', () => {
    // Prepare
    const { detail: _detail, ...withoutDetail } = ec2TerminatedEvent();
    const flattened = { ...withoutDetail, state: 'terminated' };

    // Act
    const missing = matchesEventPattern(terminationPattern, withoutDetail);
    const wrongNesting = matchesEventPattern(terminationPattern, flattened);

    // Assess
    expect(missing).toBe(false);
    expect(wrongNesting).toBe(false);
  });

  it('compares strings exactly, without case folding', () => {
    // Prepare
    const pattern: EventPattern = { source: ['aws.ec2'] };

    // Act
    const matched = matchesEventPattern(pattern, { ...ec2TerminatedEvent(), source: 'AWS.EC2' });

    // Assess
    expect(matched).toBe(false);
  });

  it('matches nested numbers, as in the Macie "risk-score 80 and trigger risk 8" example', () => {
    // Prepare
    const pattern: EventPattern = {
      source: ['aws.macie'],
      'detail-type': ['Macie Alert'],
      detail: { 'risk-score': [80], trigger: { risk: [8] } },
    };
    const macieEvent = (riskScore: unknown) => ({
      version: '0',
      id: '3e355723-fca9-4de3-9fd7-154c289d6b59',
      'detail-type': 'Macie Alert',
      source: 'aws.macie',
      account: '123456789012',
      time: '2017-04-24T22:28:49Z',
      region: 'us-east-1',
      resources: ['arn:aws:macie:us-east-1:123456789012:trigger/trigger_id'],
      detail: {
        'notification-type': 'ALERT_CREATED',
        tags: ['Custom_Alert', 'Insider'],
        'risk-score': riskScore,
        trigger: { 'alert-type': 'basic', risk: 8 },
      },
    });

    // Act
    const matching = matchesEventPattern(pattern, macieEvent(80));
    const otherScore = matchesEventPattern(pattern, macieEvent(81));
    const scoreAsString = matchesEventPattern(pattern, macieEvent('80'));

    // Assess
    expect(matching).toBe(true);
    expect(otherScore).toBe(false);
    expect(scoreAsString).toBe(false);
  });

  it('compares numbers as numbers, so 300 matches 300.0 and 3.0e2', () => {
    // Prepare
    const pattern = field([300]);
    const events = ['300', '300.0', '3.0e2'].map((raw) => JSON.parse(`{"detail":{"value":${raw}}}`) as unknown);

    // Act
    const results = events.map((event) => matchesEventPattern(pattern, event));

    // Assess
    expect(results).toEqual([true, true, true]);
    expect(matchesEventPattern(pattern, eventWith(301))).toBe(false);
  });

  it('matches booleans only against JSON booleans', () => {
    // Prepare
    const pattern = field([true]);

    // Act
    const realTrue = matchesEventPattern(pattern, eventWith(true));
    const stringTrue = matchesEventPattern(pattern, eventWith('true'));

    // Assess
    expect(realTrue).toBe(true);
    expect(stringTrue).toBe(false);
  });
});

describe('matchesEventPattern: null values and empty strings', () => {
  it('matches an empty string with [""]', () => {
    // Prepare
    const pattern: EventPattern = { detail: { eventVersion: [''] } };

    // Act
    const matched = matchesEventPattern(pattern, autoScalingEvent);

    // Assess
    expect(matched).toBe(true);
  });

  it('matches a null value with [null], as in the documented field-matching example', () => {
    // Prepare
    const pattern: EventPattern = {
      source: ['aws.autoscaling'],
      'detail-type': ['EC2 Instance Launch Successful'],
      detail: { responseElements: [null] },
    };

    // Act
    const matched = matchesEventPattern(pattern, autoScalingEvent);

    // Assess
    expect(matched).toBe(true);
  });

  it('does not treat null and the empty string as interchangeable', () => {
    // Prepare
    const emptyForNull: EventPattern = { detail: { responseElements: [''] } };
    const nullForEmpty: EventPattern = { detail: { eventVersion: [null] } };

    // Act
    const results = [emptyForNull, nullForEmpty].map((pattern) => matchesEventPattern(pattern, autoScalingEvent));

    // Assess
    expect(results).toEqual([false, false]);
  });

  it('does not match [null] against a missing field', () => {
    // Prepare
    const pattern: EventPattern = { detail: { notThere: [null] } };

    // Act
    const matched = matchesEventPattern(pattern, autoScalingEvent);

    // Assess
    expect(matched).toBe(false);
  });
});

describe('matchesEventPattern: arrays', () => {
  const resourcesPattern: EventPattern = {
    resources: [
      'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
      'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f',
    ],
  };

  it('matches when the pattern values and the event array intersect (Arrays in event patterns)', () => {
    // Prepare
    const event = {
      resources: [
        'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:' +
          'autoScalingGroupName/ASGTerminate',
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      ],
    };

    // Act
    const matched = matchesEventPattern(resourcesPattern, event);

    // Assess
    expect(matched).toBe(true);
  });

  it('does not match when the intersection is empty, or the array is empty', () => {
    // Prepare
    const otherResource = { resources: ['arn:aws:ec2:us-east-1:999999999999:instance/i-b188560f'] };
    const noResources = { resources: [] };

    // Act
    const results = [otherResource, noResources].map((event) => matchesEventPattern(resourcesPattern, event));

    // Assess
    expect(results).toEqual([false, false]);
  });

  it('matches objects inside arrays as if they were the field value', () => {
    // Prepare
    const event = {
      employees: [
        { firstName: 'John', lastName: 'Doe' },
        { firstName: 'Anna', lastName: 'Smith' },
        { firstName: 'Peter', lastName: 'Jones' },
      ],
    };
    const pattern: EventPattern = { employees: { firstName: ['Anna'] } };

    // Act
    const matched = matchesEventPattern(pattern, event);

    // Assess
    expect(matched).toBe(true);
  });

  it('checks exists:false inside the array element the other fields matched in', () => {
    // Prepare
    const event = {
      employees: [
        { firstName: 'Anna', lastName: 'Smith' },
        { firstName: 'Peter', middleName: 'Paul', lastName: 'Jones' },
      ],
    };
    const pattern = (firstName: string): EventPattern => ({
      employees: { firstName: [firstName], middleName: [{ exists: false }] },
    });

    // Act
    const anna = matchesEventPattern(pattern('Anna'), event);
    const peter = matchesEventPattern(pattern('Peter'), event);

    // Assess
    expect(anna).toBe(true);
    expect(peter).toBe(false);
  });

  it('takes all fields of one sub-pattern from the same array element', () => {
    // Prepare
    const event = {
      employees: [
        [
          { firstName: 'John', lastName: 'Doe' },
          { firstName: 'Anna', lastName: 'Smith' },
        ],
        [{ firstName: 'Peter', lastName: 'Jones' }],
      ],
    };
    const sameEmployee: EventPattern = { employees: { firstName: ['Anna'], lastName: ['Smith'] } };
    const mixedEmployees: EventPattern = { employees: { firstName: ['Anna'], lastName: ['Jones'] } };

    // Act
    const same = matchesEventPattern(sameEmployee, event);
    const mixed = matchesEventPattern(mixedEmployees, event);

    // Assess
    expect(same).toBe(true);
    expect(mixed).toBe(false);
  });
});

describe('matchesEventPattern: exists as a value list entry', () => {
  it.each([
    ['exists true', field([{ exists: true }]), 'anything', undefined],
    ['exists false', field([{ exists: false }]), undefined, 'anything'],
  ])('%s: matches %j but not %j', (_name, pattern, matchingValue, otherValue) => {
    // Prepare
    const matchingEvent = eventWith(matchingValue);
    const otherEvent = eventWith(otherValue);

    // Act
    const matching = matchesEventPattern(pattern, matchingEvent);
    const other = matchesEventPattern(pattern, otherEvent);

    // Assess
    expect(matching).toBe(true);
    expect(other).toBe(false);
  });
});

describe('matchesEventPattern: exists', () => {
  const cCountMissing: EventPattern = { detail: { 'c-count': [{ exists: false }] } };

  it('matches exists:false for both documented events, including one where c-count is not a leaf', () => {
    // Prepare
    const withoutCCount = {
      'detail-type': ['EC2 Instance State-change Notification'],
      resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-02ebd4584a2ebd341'],
      detail: { state: ['initializing', 'running'] },
    };
    const withObjectCCount = { ...withoutCCount, detail: { ...withoutCCount.detail, 'c-count': { c1: 100 } } };

    // Act
    const results = [withoutCCount, withObjectCCount].map((event) => matchesEventPattern(cCountMissing, event));

    // Assess
    expect(results).toEqual([true, true]);
  });

  it('does not match exists:false when the leaf is present, even as null', () => {
    // Prepare
    const events = [contentFilteringEvent(), contentFilteringEvent({ 'c-count': null })];

    // Act
    const results = events.map((event) => matchesEventPattern(cCountMissing, event));

    // Assess
    expect(results).toEqual([false, false]);
  });

  it('matches exists:false when the parent object is missing altogether', () => {
    // Prepare
    const event = { source: 'aws.ec2' };

    // Act
    const matched = matchesEventPattern(cCountMissing, event);

    // Assess
    expect(matched).toBe(true);
  });

  it('does not match exists:true on an object or an empty array, which are not leaves', () => {
    // Prepare
    const pattern: EventPattern = { detail: { 'c-count': [{ exists: true }] } };

    // Act
    const objectValue = matchesEventPattern(pattern, contentFilteringEvent({ 'c-count': { c1: 100 } }));
    const emptyArray = matchesEventPattern(pattern, contentFilteringEvent({ 'c-count': [] }));
    const leaf = matchesEventPattern(pattern, contentFilteringEvent());

    // Assess
    expect(objectValue).toBe(false);
    expect(emptyArray).toBe(false);
    expect(leaf).toBe(true);
  });

  it('combines exists:false with other values of the same field', () => {
    // Prepare
    const pattern: EventPattern = { detail: { state: ['running', { exists: false }] } };
    const missingState = { detail: {} };

    // Act
    const running = matchesEventPattern(pattern, contentFilteringEvent());
    const missing = matchesEventPattern(pattern, missingState);
    const stopped = matchesEventPattern(pattern, contentFilteringEvent({ state: 'stopped' }));

    // Assess
    expect([running, missing, stopped]).toEqual([true, true, false]);
  });
});

describe('matchesEventPattern: leadpipe events', () => {
  const newsletterSignups: EventPattern = {
    source: ['leadpipe'],
    'detail-type': ['Interaction Recorded'],
    detail: { type: ['newsletter_signup'] },
  };

  function interactionRecorded(type: string, source = 'leadpipe') {
    return {
      version: '0',
      id: '0d079340-135a-c8c6-95c2-41fb8f496c53',
      'detail-type': 'Interaction Recorded',
      source,
      account: '123456789012',
      time: '2025-06-30T12:00:00Z',
      region: 'eu-central-1',
      resources: [],
      detail: {
        leadId: 'lead-1',
        interactionId: 'i-0001',
        type,
        at: '2025-06-30T12:00:00.000Z',
        consentRequested: true,
      },
    };
  }

  it('matches a newsletter signup in a full EventBridge envelope', () => {
    // Prepare
    const event = interactionRecorded('newsletter_signup');

    // Act
    const matched = matchesEventPattern(newsletterSignups, event);

    // Assess
    expect(matched).toBe(true);
  });

  it('ignores other interaction types and other sources', () => {
    // Prepare
    const download = interactionRecorded('download');
    const foreign = interactionRecorded('newsletter_signup', 'someone.else');

    // Act
    const results = [download, foreign].map((event) => matchesEventPattern(newsletterSignups, event));

    // Assess
    expect(results).toEqual([false, false]);
  });

  it('accepts the pattern as valid', () => {
    // Act
    const problems = validateEventPattern(newsletterSignups);

    // Assess
    expect(problems).toEqual([]);
  });
});

describe('matchesEventPattern: invalid patterns', () => {
  it('never matches through a field whose value is not an array', () => {
    // Prepare
    const pattern = { source: 'leadpipe' } as unknown as EventPattern;

    // Act
    const matched = matchesEventPattern(pattern, { source: 'leadpipe' });

    // Assess
    expect(matched).toBe(false);
  });

  it('never matches through an unknown operator', () => {
    // Prepare
    const pattern = field([{ prefx: 'lead' } as never]);

    // Act
    const matched = matchesEventPattern(pattern, eventWith('leadpipe'));

    // Assess
    expect(matched).toBe(false);
  });
});

describe('validateEventPattern', () => {
  it.each<[string, EventPattern]>([
    ['exists', { detail: { 'c-count': [{ exists: false }] } }],
    ['null and empty string', { detail: { responseElements: [null], eventVersion: [''] } }],
    ['exact values of every JSON type', { detail: { a: ['x', 1, 2.5, true, null] } }],
  ])('accepts a documented %s pattern', (_name, pattern) => {
    // Act
    const problems = validateEventPattern(pattern);

    // Assess
    expect(problems).toEqual([]);
  });

  it.each<[string, unknown]>([
    ...EVENT_RULES.map((rule): [string, unknown] => [`rule ${rule.name}`, rule.pattern]),
    ...BUS_FORWARDS.map((forward): [string, unknown] => [`bus forward ${forward.name}`, forward.pattern]),
    ...STREAM_RELAYS.map((relay): [string, unknown] => [`stream filter of ${relay.function}`, relay.filter]),
  ])("accepts the app's %s", (_name, pattern) => {
    // Act
    const problems = validateEventPattern(pattern);

    // Assess
    expect(problems).toEqual([]);
  });

  it.each<[string, unknown, string]>([
    ['a non-object pattern', ['source'], 'pattern: must be a JSON object'],
    ['an empty pattern', {}, 'pattern: must not be an empty object'],
    ['a leaf that is not an array', { source: 'leadpipe' }, 'source: must be an array of values or a nested object'],
    ['an empty value list', { source: [] }, 'source: must not be an empty array'],
    ['an empty nested object', { detail: {} }, 'detail: must not be an empty object'],
    ['a nested array value', { source: [['a']] }, 'source[0]: nested arrays are not allowed'],
    ['an unknown operator', { source: [{ prefx: 'lead' }] }, 'source[0]: unknown operator "prefx"'],
    ['two operators in one object', { source: [{ prefix: 'a', suffix: 'b' }] }, 'exactly one key'],
    ['exists with a string', { s: [{ exists: 'yes' }] }, '"exists" must be true or false'],
    ['a pattern over the size quota', { source: ['x'.repeat(2040)] }, 'pattern: is 2055 characters long, EventBridge allows 2048'],
  ])('reports %s', (_name, pattern, expected) => {
    // Act
    const problems = validateEventPattern(pattern);

    // Assess
    expect(problems).toEqual([expect.stringContaining(expected)]);
  });

  it.each<[string, unknown, string]>([
    ['prefix', { time: [{ prefix: '2017-10-02' }] }, 'time[0]: operator "prefix"'],
    ['suffix', { f: [{ suffix: '.png' }] }, 'f[0]: operator "suffix"'],
    ['equals-ignore-case', { f: [{ 'equals-ignore-case': 'a' }] }, 'f[0]: operator "equals-ignore-case"'],
    ['wildcard', { f: [{ wildcard: '*/lib/*' }] }, 'f[0]: operator "wildcard"'],
    ['anything-but', { source: [{ 'anything-but': ['aws.ec2'] }] }, 'source[0]: operator "anything-but"'],
    ['numeric', { detail: { n: [{ numeric: ['>', 0, '<=', 5] }] } }, 'detail.n[0]: operator "numeric"'],
    ['cidr', { ip: [{ cidr: '10.0.0.0/24' }] }, 'ip[0]: operator "cidr"'],
    ['$or', { detail: { $or: [{ a: [1] }, { b: [2] }] } }, 'detail.$or: "$or"'],
  ])('reports the EventBridge feature %s as not supported locally', (_name, pattern, expected) => {
    // Act
    const problems = validateEventPattern(pattern);

    // Assess
    const notSupported = 'is valid in EventBridge but not supported by the local matcher (local/event-bus/event-pattern-matcher.ts)';
    expect(problems).toEqual([`${expected} ${notSupported}`]);
  });

  it('reports every problem with its location', () => {
    // Prepare
    const pattern = {
      source: 'leadpipe',
      detail: { 'c-count': [{ numeric: ['>', 0] }], nested: { a: [], b: [{ exists: 1 }] } },
    };

    // Act
    const problems = validateEventPattern(pattern);

    // Assess
    expect(problems).toEqual([
      'source: must be an array of values or a nested object',
      expect.stringMatching(/^detail\.c-count\[0\]: operator "numeric" is valid in EventBridge but not supported/),
      'detail.nested.a: must not be an empty array',
      'detail.nested.b[0]: "exists" must be true or false',
    ]);
  });
});

describe('assertValidEventPattern', () => {
  it('throws an error naming the rule and every problem', () => {
    // Act
    const assert = () => assertValidEventPattern({ source: 'leadpipe', detail: { type: [{ prefix: 'down' }] } }, 'rule download-link');

    // Assess
    expect(assert).toThrow(InvalidEventPatternError);
    expect(assert).toThrow(/^rule download-link has an invalid event pattern: source: must be an array .*; /);
    expect(assert).toThrow(/; detail\.type\[0\]: operator "prefix" is valid in EventBridge but not supported/);
  });

  it('accepts a valid pattern silently', () => {
    // Act
    const assert = () => assertValidEventPattern({ source: ['leadpipe'] }, 'rule ok');

    // Assess
    expect(assert).not.toThrow();
  });
});
