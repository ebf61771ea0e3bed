import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../shared/http/http-errors';
import { parseSignal, signalIdentity } from '../../../shared/signals/ingest-signal';

const NOW = '2026-05-10T12:00:00.000Z';
const base = { email: 'anna@acme.example', type: 'webinar_attended', id: 'w-1' };

function fieldsOf(fn: () => unknown): Record<string, string> {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).fields;
  }
  throw new Error('expected a ValidationError');
}

describe('parseSignal: `at` lies within [now − 30 days, now + 5 minutes]', () => {
  it.each([
    ['exactly 30 days ago', '2026-04-10T12:00:00.000Z'],
    ['now', NOW],
    ['exactly 5 minutes ahead', '2026-05-10T12:05:00.000Z'],
    ['5 minutes ahead with an offset', '2026-05-10T14:05:00+02:00'],
  ])('accepts %s', (_label, at) => {
    // Act
    const signal = parseSignal({ ...base, at }, NOW);

    // Assess
    expect(signal.at).toBe(at);
  });

  it.each([
    ['the year 9999', '9999-12-31T00:00:00Z', /future/],
    ['5 minutes and 1 second ahead', '2026-05-10T12:05:01.000Z', /future/],
    ['30 days and 1 second ago', '2026-04-10T11:59:59.000Z', /past/],
    ['the year 1970', '1970-01-01T00:00:00Z', /past/],
  ])('rejects %s, naming the field at', (_label, at, message) => {
    // Act
    const fields = fieldsOf(() => parseSignal({ ...base, at }, NOW));

    // Assess
    expect(Object.keys(fields)).toEqual(['at']);
    expect(fields.at).toMatch(message);
  });
});

describe('signalIdentity', () => {
  it('depends on type and id only, never on a time', () => {
    // Act / Assess
    expect(signalIdentity({ type: 'trial_started', id: 't-1' })).toBe(signalIdentity({ type: 'trial_started', id: 't-1' }));
    expect(signalIdentity({ type: 'trial_started', id: 't-1' })).not.toBe(signalIdentity({ type: 'webinar_attended', id: 't-1' }));
    expect(signalIdentity({ type: 'trial_started', id: 't-1' })).not.toBe(signalIdentity({ type: 'trial_started', id: 't-2' }));
  });
});
