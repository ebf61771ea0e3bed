import { describe, expect, it } from 'vitest';
import { CallFormError, parseCallPost, parseManagePost } from '../../../shared/booking/call-request';
import { parseBookingConfig } from '../../../shared/domain/booking/booking-config';
import { availableSlots } from '../../../shared/domain/booking/slots';

const config = parseBookingConfig({
  timeZone: 'Europe/Berlin',
  workingDays: ['mon', 'tue', 'wed', 'thu', 'fri'],
  dayStart: '09:00',
  dayEnd: '17:00',
  slotMinutes: 15,
  horizonWorkingDays: 10,
  minLeadWorkingDays: 1,
});
// Monday 2026-12-07, 12:00 in Berlin: the first bookable day is Tuesday the 8th.
const now = new Date('2026-12-07T11:00:00.000Z');
const firstSlot = availableSlots(config, now, new Set())[0]!;
const person = { email: ' Jane@Acme-GmbH.example ', firstName: 'Jane', lastName: 'Doe', company: 'Acme GmbH' };

function problemsOf(act: () => unknown): Record<string, string> {
  try {
    act();
  } catch (error) {
    if (error instanceof CallFormError) return error.problems;
    throw error;
  }
  throw new Error('expected a CallFormError');
}

describe('parseCallPost', () => {
  it('accepts a public booking and normalises the identity like the contact form', () => {
    // Act
    const post = parseCallPost({ slot: firstSlot, ...person }, { known: false, config, now, acceptLanguage: 'en-GB' });

    // Assess
    expect(firstSlot).toBe('2026-12-08T08:00:00.000Z');
    expect(post).toEqual({
      action: 'book',
      slot: firstSlot,
      identity: { email: 'jane@acme-gmbh.example', firstName: 'Jane', lastName: 'Doe', company: 'Acme GmbH', locale: 'en' },
    });
  });

  it('ignores identity fields when the lead is known from a token', () => {
    // Act
    const post = parseCallPost({ slot: firstSlot, email: 'other@example.com' }, { known: true, config, now });

    // Assess
    expect(post).toEqual({ action: 'book', slot: firstSlot });
  });

  it.each([
    ['2026-12-01T08:00:00.000Z', 'past'],
    ['2026-12-07T15:00:00.000Z', 'too-soon'],
    ['2026-12-08T07:45:00.000Z', 'outside-hours'],
    ['2026-12-08T16:00:00.000Z', 'outside-hours'],
    ['2026-12-08T08:07:00.000Z', 'off-grid'],
    ['2026-12-12T09:00:00.000Z', 'not-a-working-day'],
    ['2027-03-01T09:00:00.000Z', 'beyond-horizon'],
    ['2026-12-08T08:00:00Z', 'malformed'],
    ['next tuesday', 'malformed'],
    ['', 'required'],
  ])('names the slot field for %s (%s)', (slot, problem) => {
    // Act
    const problems = problemsOf(() => parseCallPost({ slot, ...person }, { known: false, config, now }));

    // Assess
    expect(problems).toEqual({ slot: problem });
  });

  it('names every missing or bad identity field at once', () => {
    // Act
    const problems = problemsOf(() => parseCallPost({ slot: firstSlot, email: 'nope' }, { known: false, config, now }));

    // Assess
    expect(problems).toEqual({ email: 'invalid', firstName: 'required', lastName: 'required' });
  });

  it('needs a phone for a call-back, validated like the contact form', () => {
    // Act
    const missing = problemsOf(() => parseCallPost({ action: 'callback' }, { known: true, config, now }));
    const bad = problemsOf(() => parseCallPost({ action: 'callback', phone: 'ring me' }, { known: true, config, now }));
    const good = parseCallPost({ action: 'callback', phone: ' +49 (30) 123-45 ' }, { known: true, config, now });

    // Assess
    expect(missing).toEqual({ phone: 'required' });
    expect(bad).toEqual({ phone: 'invalid' });
    expect(good).toEqual({ action: 'callback', phone: '+49 (30) 123-45' });
  });

  it('rejects an unknown action', () => {
    // Act
    const problems = problemsOf(() => parseCallPost({ action: 'steal', slot: firstSlot }, { known: true, config, now }));

    // Assess
    expect(problems).toEqual({ action: 'invalid' });
  });

  it('gives JSON clients an English message per field', () => {
    // Act
    const act = () => parseCallPost({ slot: '2026-12-08T08:07:00.000Z' }, { known: true, config, now });

    // Assess
    expect(act).toThrow(CallFormError);
    try {
      act();
    } catch (error) {
      expect((error as CallFormError).fields).toEqual({ slot: 'slot is not on the slot grid: please choose one of the offered times' });
      expect((error as CallFormError).statusCode).toBe(400);
    }
  });
});

describe('parseManagePost', () => {
  it('accepts cancel, and a move to a bookable slot', () => {
    // Act
    const cancel = parseManagePost({ action: 'cancel' }, { config, now });
    const move = parseManagePost({ action: 'move', slot: firstSlot }, { config, now });

    // Assess
    expect(cancel).toEqual({ action: 'cancel' });
    expect(move).toEqual({ action: 'move', slot: firstSlot });
  });

  it('refuses a move to a slot outside the window and a missing action', () => {
    // Act
    const past = problemsOf(() => parseManagePost({ action: 'move', slot: '2026-12-01T08:00:00.000Z' }, { config, now }));
    const none = problemsOf(() => parseManagePost({}, { config, now }));

    // Assess
    expect(past).toEqual({ slot: 'past' });
    expect(none).toEqual({ action: 'required' });
  });
});
