import { describe, expect, it } from 'vitest';
import rawDefaults from '../../../config/booking.json';
import { type BookingConfig, defaultBookingConfig, parseBookingConfig } from '../../../shared/domain/booking/booking-config';

function withChange(mutate: (c: Record<string, any>) => void): unknown {
  const copy = structuredClone(rawDefaults) as Record<string, any>;
  mutate(copy);
  return copy;
}

describe('booking config', () => {
  it('parses the shipped defaults to the documented slots: Mon-Fri 09:00-17:00 Berlin, 15 minutes, 10 days, 1 day ahead', () => {
    // Prepare
    const expected: BookingConfig = {
      timeZone: 'Europe/Berlin',
      workingDays: ['mon', 'tue', 'wed', 'thu', 'fri'],
      dayStart: '09:00',
      dayEnd: '17:00',
      slotMinutes: 15,
      horizonWorkingDays: 10,
      minLeadWorkingDays: 1,
      holidays: [],
    };

    // Act
    const parsed = parseBookingConfig(rawDefaults);

    // Assess
    expect(parsed).toEqual(expected);
    expect(defaultBookingConfig).toEqual(expected);
    expect(Object.isFrozen(defaultBookingConfig)).toBe(true);
    expect(Object.isFrozen(defaultBookingConfig.workingDays)).toBe(true);
  });

  it('treats a missing holidays list as no holidays', () => {
    // Prepare
    const candidate = withChange((c) => delete c.holidays);

    // Act
    const parsed = parseBookingConfig(candidate);

    // Assess
    expect(parsed.holidays).toEqual([]);
  });

  it('accepts another zone, weekend days, other hours and holidays', () => {
    // Prepare
    const candidate = {
      timeZone: 'America/New_York',
      workingDays: ['sat', 'sun'],
      dayStart: '00:00',
      dayEnd: '23:59',
      slotMinutes: 30,
      horizonWorkingDays: 1,
      minLeadWorkingDays: 0,
      holidays: ['2026-12-26', '2028-02-29'],
    };

    // Act
    const parsed = parseBookingConfig(candidate);

    // Assess
    expect(parsed).toEqual(candidate);
  });

  it.each([
    ['an unknown time zone', (c: any) => (c.timeZone = 'Mars/Olympus_Mons'), 'timeZone'],
    ['a missing time zone', (c: any) => delete c.timeZone, 'timeZone'],
    ['no working days', (c: any) => (c.workingDays = []), 'workingDays'],
    ['a misspelt weekday', (c: any) => (c.workingDays = ['mon', 'tues']), 'workingDays[1]'],
    ['a repeated weekday', (c: any) => (c.workingDays = ['mon', 'mon']), 'workingDays'],
    ['a time without leading zero', (c: any) => (c.dayStart = '9:00'), 'dayStart'],
    ['an hour past 23', (c: any) => (c.dayEnd = '24:00'), 'dayEnd'],
    ['an end before the start', (c: any) => (c.dayEnd = '08:00'), 'dayEnd'],
    ['an end equal to the start', (c: any) => (c.dayEnd = '09:00'), 'dayEnd'],
    ['a slot longer than the day', (c: any) => Object.assign(c, { dayEnd: '09:10', slotMinutes: 15 }), 'slotMinutes'],
    ['a fractional slot length', (c: any) => (c.slotMinutes = 7.5), 'slotMinutes'],
    ['a slot length as a string', (c: any) => (c.slotMinutes = '15'), 'slotMinutes'],
    ['a tiny slot length', (c: any) => (c.slotMinutes = 1), 'slotMinutes'],
    ['a zero horizon', (c: any) => (c.horizonWorkingDays = 0), 'horizonWorkingDays'],
    ['a negative lead', (c: any) => (c.minLeadWorkingDays = -1), 'minLeadWorkingDays'],
    ['an impossible holiday', (c: any) => (c.holidays = ['2026-02-30']), 'holidays[0]'],
    ['a holiday with a time', (c: any) => (c.holidays = ['2026-12-24T00:00:00Z']), 'holidays[0]'],
    ['a misspelt key', (c: any) => (c.holiday = ['2026-12-24']), 'holiday'],
  ])('rejects %s, naming the field', (_name, mutate, path) => {
    // Prepare
    const candidate = withChange(mutate);

    // Act
    const parse = () => parseBookingConfig(candidate);

    // Assess
    expect(parse).toThrow(/^Invalid booking config: /);
    expect(parse).toThrow(new RegExp(`(^|; |: )${path.replace(/[[\]]/g, '\\$&')}: `));
  });

  it('names every bad field at once', () => {
    // Prepare
    const candidate = withChange((c) => {
      c.slotMinutes = 0;
      c.timeZone = 'Nowhere';
    });

    // Act
    const parse = () => parseBookingConfig(candidate);

    // Assess
    expect(parse).toThrow(/timeZone: .*slotMinutes: |slotMinutes: .*timeZone: /);
  });

  it('rejects something that is not an object', () => {
    expect(() => parseBookingConfig(null)).toThrow('Invalid booking config: (root): must be an object');
  });
});
