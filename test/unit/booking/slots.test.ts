import { describe, expect, it } from 'vitest';
import { type BookingConfig, defaultBookingConfig } from '../../../shared/domain/booking/booking-config';
import { availableSlots, checkSlot, slotDay, slotLabel } from '../../../shared/domain/booking/slots';

const NONE: ReadonlySet<string> = new Set();
const config = (change: Partial<BookingConfig> = {}): BookingConfig => ({ ...defaultBookingConfig, ...change });

/** Monday 7 December 2026, 10:00 in Berlin (UTC+1 in winter). */
const MONDAY_10_00 = new Date('2026-12-07T09:00:00.000Z');

/** The 32 start instants 09:00..16:45 of a Berlin day whose 09:00 is `nineUtc` ("HH" in UTC). */
function dayGrid(date: string, nineUtcHour: number): string[] {
  const first = Date.parse(`${date}T${String(nineUtcHour).padStart(2, '0')}:00:00.000Z`);
  return Array.from({ length: 32 }, (_, i) => new Date(first + i * 15 * 60_000).toISOString());
}

const days = (slots: readonly string[], timeZone = 'Europe/Berlin') => [...new Set(slots.map((s) => slotDay(s, timeZone)))];

describe('availableSlots', () => {
  it('offers the 10 working days after today, 09:00 to 16:45 every 15 minutes', () => {
    // Act
    const slots = availableSlots(defaultBookingConfig, MONDAY_10_00, NONE);

    // Assess
    expect(days(slots)).toEqual([
      '2026-12-08',
      '2026-12-09',
      '2026-12-10',
      '2026-12-11',
      '2026-12-14',
      '2026-12-15',
      '2026-12-16',
      '2026-12-17',
      '2026-12-18',
      '2026-12-21',
    ]);
    expect(slots).toHaveLength(10 * 32);
    expect(slots.slice(0, 32)).toEqual(dayGrid('2026-12-08', 8));
    expect(slots[0]).toBe('2026-12-08T08:00:00.000Z');
    expect(slots.at(-1)).toBe('2026-12-21T15:45:00.000Z');
    expect(slots).toEqual([...slots].sort());
  });

  it.each([
    ['Friday afternoon', '2026-12-11T15:00:00.000Z', '2026-12-14'],
    ['Saturday', '2026-12-12T11:00:00.000Z', '2026-12-14'],
    ['Sunday just before midnight', '2026-12-13T22:59:00.000Z', '2026-12-14'],
    ['Sunday at midnight (Monday in Berlin)', '2026-12-13T23:00:00.000Z', '2026-12-15'],
    ['Thursday 23:30 UTC, already Friday in Berlin', '2026-12-10T23:30:00.000Z', '2026-12-14'],
  ])('starts on the next working day when asked on %s', (_when, now, firstDay) => {
    // Act
    const slots = availableSlots(defaultBookingConfig, new Date(now), NONE);

    // Assess
    expect(days(slots)[0]).toBe(firstDay);
    expect(days(slots)).toHaveLength(10);
  });

  it('skips holidays, which count neither toward the lead time nor toward the horizon', () => {
    // Prepare: Wednesday 23 Dec; 24, 25 Dec and 1 Jan are holidays.
    const withHolidays = config({ holidays: ['2026-12-24', '2026-12-25', '2027-01-01'] });

    // Act
    const slots = availableSlots(withHolidays, new Date('2026-12-23T12:00:00.000Z'), NONE);

    // Assess
    expect(days(slots)).toEqual([
      '2026-12-28',
      '2026-12-29',
      '2026-12-30',
      '2026-12-31',
      '2027-01-04',
      '2027-01-05',
      '2027-01-06',
      '2027-01-07',
      '2027-01-08',
      '2027-01-11',
    ]);
  });

  it('leaves out the taken slots and nothing else', () => {
    // Prepare
    const taken = new Set(['2026-12-08T08:00:00.000Z', '2026-12-10T12:15:00.000Z', '2026-12-21T15:45:00.000Z']);

    // Act
    const slots = availableSlots(defaultBookingConfig, MONDAY_10_00, taken);

    // Assess
    const all = availableSlots(defaultBookingConfig, MONDAY_10_00, NONE);
    expect(slots).toEqual(all.filter((s) => !taken.has(s)));
    expect(slots).toHaveLength(all.length - 3);
  });

  it('ignores taken entries that are not slots', () => {
    // Act
    const slots = availableSlots(defaultBookingConfig, MONDAY_10_00, new Set(['2026-12-08T08:00:00Z', 'nonsense']));

    // Assess
    expect(slots).toHaveLength(320);
  });

  it('with no lead time offers the rest of today, only slots that have not started', () => {
    // Prepare: Monday 10:07 in Berlin.
    const now = new Date('2026-12-07T09:07:00.000Z');

    // Act
    const slots = availableSlots(config({ minLeadWorkingDays: 0, horizonWorkingDays: 1 }), now, NONE);

    // Assess: 10:15 .. 16:45.
    expect(slots[0]).toBe('2026-12-07T09:15:00.000Z');
    expect(slots.at(-1)).toBe('2026-12-07T15:45:00.000Z');
    expect(slots).toHaveLength(27);
  });

  it('with no lead time on a weekend starts on Monday', () => {
    // Act
    const slots = availableSlots(config({ minLeadWorkingDays: 0, horizonWorkingDays: 1 }), new Date('2026-12-12T11:00:00.000Z'), NONE);

    // Assess
    expect(days(slots)).toEqual(['2026-12-14']);
  });

  it('counts a longer lead time in working days', () => {
    // Act: asked on Thursday with 2 working days of lead: Friday is one working day ahead, Monday two.
    const slots = availableSlots(config({ minLeadWorkingDays: 2, horizonWorkingDays: 2 }), new Date('2026-12-10T12:00:00.000Z'), NONE);

    // Assess
    expect(days(slots)).toEqual(['2026-12-14', '2026-12-15']);
  });

  it('follows the configured hours, slot length and working days', () => {
    // Prepare
    const custom = config({ workingDays: ['sat'], dayStart: '10:30', dayEnd: '12:00', slotMinutes: 40, horizonWorkingDays: 2 });

    // Act
    const slots = availableSlots(custom, MONDAY_10_00, NONE);

    // Assess: 10:30 and 11:10 fit; 11:50 would end after 12:00.
    expect(slots).toEqual(['2026-12-12T09:30:00.000Z', '2026-12-12T10:10:00.000Z', '2026-12-19T09:30:00.000Z', '2026-12-19T10:10:00.000Z']);
  });

  it('keeps 09:00-17:00 local across the switch to summer time (29 March 2026)', () => {
    // Act: Thursday 26 March; Friday is still UTC+1, Monday is UTC+2.
    const slots = availableSlots(config({ horizonWorkingDays: 2 }), new Date('2026-03-26T12:00:00.000Z'), NONE);

    // Assess
    expect(slots).toEqual([...dayGrid('2026-03-27', 8), ...dayGrid('2026-03-30', 7)]);
  });

  it('keeps 09:00-17:00 local across the switch back to winter time (25 October 2026)', () => {
    // Act: Thursday 22 October; Friday is still UTC+2, Monday is UTC+1.
    const slots = availableSlots(config({ horizonWorkingDays: 2 }), new Date('2026-10-22T12:00:00.000Z'), NONE);

    // Assess
    expect(slots).toEqual([...dayGrid('2026-10-23', 7), ...dayGrid('2026-10-26', 8)]);
  });

  it('skips the missing hour when the clocks go forward inside business hours', () => {
    // Prepare: night hours on Sundays; on 29 March 2026 Berlin goes from 02:00 straight to 03:00.
    const night = config({ workingDays: ['sun'], dayStart: '00:00', dayEnd: '05:00', slotMinutes: 60, horizonWorkingDays: 1 });

    // Act
    const slots = availableSlots(night, new Date('2026-03-27T12:00:00.000Z'), NONE);

    // Assess: 00:00, 01:00, 03:00, 04:00 local; four hours of time elapse between 00:00 and 05:00.
    expect(slots).toEqual(['2026-03-28T23:00:00.000Z', '2026-03-29T00:00:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-29T02:00:00.000Z']);
    expect(slots.map((s) => slotLabel(s, 'de', 'Europe/Berlin'))).toEqual([
      'So 29.03. 00:00',
      'So 29.03. 01:00',
      'So 29.03. 03:00',
      'So 29.03. 04:00',
    ]);
    for (const slot of slots) expect(checkSlot(night, new Date('2026-03-27T12:00:00.000Z'), slot)).toMatchObject({ ok: true });
  });

  it('offers the repeated hour twice when the clocks go back inside business hours', () => {
    // Prepare: on 25 October 2026 Berlin reads 02:00-02:59 twice (first UTC+2, then UTC+1).
    const night = config({ workingDays: ['sun'], dayStart: '01:00', dayEnd: '04:00', slotMinutes: 60, horizonWorkingDays: 1 });
    const now = new Date('2026-10-23T12:00:00.000Z');

    // Act
    const slots = availableSlots(night, now, NONE);

    // Assess: 01:00, 02:00 (summer), 02:00 (winter), 03:00 local.
    expect(slots).toEqual(['2026-10-24T23:00:00.000Z', '2026-10-25T00:00:00.000Z', '2026-10-25T01:00:00.000Z', '2026-10-25T02:00:00.000Z']);
    expect(slots.map((s) => slotLabel(s, 'de', 'Europe/Berlin'))).toEqual([
      'So 25.10. 01:00',
      'So 25.10. 02:00',
      'So 25.10. 02:00',
      'So 25.10. 03:00',
    ]);
    for (const slot of slots) expect(checkSlot(night, now, slot)).toMatchObject({ ok: true });
  });

  it('opens a day whose start time does not exist at the same elapsed time after the gap (RFC 5545)', () => {
    // Prepare: 02:30 on 29 March 2026 does not exist in Berlin; read with the offset before the gap it is 03:30.
    const night = config({ workingDays: ['sun'], dayStart: '02:30', dayEnd: '04:00', slotMinutes: 30, horizonWorkingDays: 1 });

    // Act
    const slots = availableSlots(night, new Date('2026-03-27T12:00:00.000Z'), NONE);

    // Assess: 03:30 local (UTC+2) is the only slot that ends by 04:00.
    expect(slots).toEqual(['2026-03-29T01:30:00.000Z']);
  });

  it('opens a day whose start time occurs twice at its first occurrence (RFC 5545)', () => {
    // Prepare: 02:30 on 25 October 2026 occurs at 00:30 UTC (summer time) and at 01:30 UTC (winter time).
    const night = config({ workingDays: ['sun'], dayStart: '02:30', dayEnd: '03:00', slotMinutes: 30, horizonWorkingDays: 1 });

    // Act
    const slots = availableSlots(night, new Date('2026-10-23T12:00:00.000Z'), NONE);

    // Assess: from the first 02:30 to 03:00 winter time, 90 minutes elapse: three slots.
    expect(slots).toEqual(['2026-10-25T00:30:00.000Z', '2026-10-25T01:00:00.000Z', '2026-10-25T01:30:00.000Z']);
  });

  it('does not depend on the machine time zone', () => {
    // Prepare
    const original = process.env.TZ;
    const reference = availableSlots(defaultBookingConfig, MONDAY_10_00, NONE);

    try {
      // Act: Node re-reads TZ on assignment, so local-time Date methods would now answer for UTC+14.
      process.env.TZ = 'Pacific/Kiritimati';
      const slots = availableSlots(defaultBookingConfig, MONDAY_10_00, NONE);
      const label = slotLabel(slots[0]!, 'de', 'Europe/Berlin');

      // Assess
      expect(new Date('2026-12-08T08:00:00.000Z').getHours()).toBe(22);
      expect(slots).toEqual(reference);
      expect(label).toBe('Di 08.12. 09:00');
    } finally {
      if (original === undefined) delete process.env.TZ;
      else process.env.TZ = original;
    }
  });

  it('rejects an invalid now', () => {
    expect(() => availableSlots(defaultBookingConfig, new Date(Number.NaN), NONE)).toThrow(RangeError);
  });
});

describe('checkSlot', () => {
  it('accepts a slot of the window and names its start and end', () => {
    // Act
    const result = checkSlot(defaultBookingConfig, MONDAY_10_00, '2026-12-08T09:15:00.000Z');

    // Assess
    expect(result).toEqual({ ok: true, start: '2026-12-08T09:15:00.000Z', end: '2026-12-08T09:30:00.000Z' });
  });

  it.each([
    ['08:45', '2026-12-08T07:45:00.000Z', { ok: false, reason: 'outside-hours' }],
    ['09:00', '2026-12-08T08:00:00.000Z', { ok: true, start: '2026-12-08T08:00:00.000Z', end: '2026-12-08T08:15:00.000Z' }],
    ['16:45', '2026-12-08T15:45:00.000Z', { ok: true, start: '2026-12-08T15:45:00.000Z', end: '2026-12-08T16:00:00.000Z' }],
    ['16:50 (would end after 17:00)', '2026-12-08T15:50:00.000Z', { ok: false, reason: 'outside-hours' }],
    ['17:00', '2026-12-08T16:00:00.000Z', { ok: false, reason: 'outside-hours' }],
    ['03:00', '2026-12-08T02:00:00.000Z', { ok: false, reason: 'outside-hours' }],
    ['10:07', '2026-12-08T09:07:00.000Z', { ok: false, reason: 'off-grid' }],
    ['10:15:30', '2026-12-08T09:15:30.000Z', { ok: false, reason: 'off-grid' }],
    ['10:15:00.001', '2026-12-08T09:15:00.001Z', { ok: false, reason: 'off-grid' }],
  ])('on a working day, %s local is %o', (_local, slot, expected) => {
    expect(checkSlot(defaultBookingConfig, MONDAY_10_00, slot)).toEqual(expected);
  });

  it.each([
    ['Saturday', '2026-12-12T09:00:00.000Z', 'not-a-working-day'],
    ['Sunday', '2026-12-13T09:00:00.000Z', 'not-a-working-day'],
    ['Saturday 00:15 in Berlin (still Friday in UTC)', '2026-12-11T23:15:00.000Z', 'not-a-working-day'],
    ['today (not a full working day ahead)', '2026-12-07T12:00:00.000Z', 'too-soon'],
    ['the slot starting right now', '2026-12-07T09:00:00.000Z', 'past'],
    ['earlier today', '2026-12-07T08:00:00.000Z', 'past'],
    ['last year', '2025-12-08T08:00:00.000Z', 'past'],
    ['the last day of the horizon', '2026-12-21T15:45:00.000Z', 'ok'],
    ['the working day after the horizon', '2026-12-22T08:00:00.000Z', 'beyond-horizon'],
    ['next year', '2027-12-07T08:00:00.000Z', 'beyond-horizon'],
  ])('judges %s', (_what, slot, reason) => {
    // Act
    const result = checkSlot(defaultBookingConfig, MONDAY_10_00, slot);

    // Assess
    expect(result.ok ? 'ok' : result.reason).toBe(reason);
  });

  it('rejects a holiday as not a working day', () => {
    // Act
    const result = checkSlot(config({ holidays: ['2026-12-09'] }), MONDAY_10_00, '2026-12-09T08:00:00.000Z');

    // Assess
    expect(result).toEqual({ ok: false, reason: 'not-a-working-day' });
  });

  it.each([
    ['undefined', undefined],
    ['a number', 1796716800000],
    ['an empty string', ''],
    ['text', 'tomorrow at ten'],
    ['no milliseconds', '2026-12-08T08:00:00Z'],
    ['no seconds', '2026-12-08T08:00Z'],
    ['an offset instead of Z', '2026-12-08T09:00:00.000+01:00'],
    ['a space instead of T', '2026-12-08 08:00:00.000Z'],
    ['a lower-case z', '2026-12-08T08:00:00.000z'],
    ['an impossible date', '2026-02-30T08:00:00.000Z'],
    ['an impossible hour', '2026-12-08T25:00:00.000Z'],
    ['surrounding whitespace', ' 2026-12-08T08:00:00.000Z'],
  ])('rejects %s as malformed, so each slot has exactly one key', (_what, value) => {
    expect(checkSlot(defaultBookingConfig, MONDAY_10_00, value)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('checks hours in local time after the clocks change', () => {
    // Prepare: Thursday 26 March 2026; Monday 30 March is summer time, 09:00 = 07:00 UTC.
    const now = new Date('2026-03-26T12:00:00.000Z');

    // Act + Assess
    expect(checkSlot(defaultBookingConfig, now, '2026-03-30T07:00:00.000Z')).toMatchObject({ ok: true });
    expect(checkSlot(defaultBookingConfig, now, '2026-03-30T06:45:00.000Z')).toEqual({ ok: false, reason: 'outside-hours' });
    expect(checkSlot(defaultBookingConfig, now, '2026-03-30T14:45:00.000Z')).toMatchObject({ ok: true });
    expect(checkSlot(defaultBookingConfig, now, '2026-03-30T15:00:00.000Z')).toEqual({ ok: false, reason: 'outside-hours' });
    // Friday 27 March is still winter time: 09:00 = 08:00 UTC, so 07:00 UTC is 08:00 local.
    expect(checkSlot(defaultBookingConfig, now, '2026-03-27T07:00:00.000Z')).toEqual({ ok: false, reason: 'outside-hours' });
    expect(checkSlot(defaultBookingConfig, now, '2026-03-27T15:45:00.000Z')).toMatchObject({ ok: true });
  });
});
