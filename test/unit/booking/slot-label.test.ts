import { describe, expect, it } from 'vitest';
import { slotDay, slotLabel, slotLabelLong } from '../../../shared/domain/booking/slots';

describe('slotLabel', () => {
  it('writes the sales subject form of the issue: "Di 09.12. 10:15"', () => {
    // Tuesday 9 December 2025, 10:15 in Berlin.
    expect(slotLabel('2025-12-09T09:15:00.000Z', 'de', 'Europe/Berlin')).toBe('Di 09.12. 10:15');
  });

  it.each([
    ['2026-12-08T09:15:00.000Z', 'de', 'Di 08.12. 10:15'],
    ['2026-12-08T09:15:00.000Z', 'en', 'Tue 8 Dec 10:15'],
    ['2026-03-02T08:00:00.000Z', 'de', 'Mo 02.03. 09:00'],
    ['2026-03-02T08:00:00.000Z', 'en', 'Mon 2 Mar 09:00'],
    // Summer time: UTC+2.
    ['2026-07-01T14:45:00.000Z', 'de', 'Mi 01.07. 16:45'],
    ['2026-07-01T14:45:00.000Z', 'en', 'Wed 1 Jul 16:45'],
    // 23:30 UTC on Saturday is Sunday in Berlin.
    ['2026-10-31T23:30:00.000Z', 'de', 'So 01.11. 00:30'],
    ['2026-10-29T12:00:00.000Z', 'en', 'Thu 29 Oct 13:00'],
    ['2026-10-30T12:00:00.000Z', 'de', 'Fr 30.10. 13:00'],
    ['2026-10-31T12:00:00.000Z', 'en', 'Sat 31 Oct 13:00'],
  ] as const)('labels %s in %s as %s', (slot, locale, expected) => {
    expect(slotLabel(slot, locale, 'Europe/Berlin')).toBe(expected);
  });

  it('uses the zone it is given', () => {
    expect(slotLabel('2026-12-08T15:00:00.000Z', 'en', 'America/New_York')).toBe('Tue 8 Dec 10:00');
    expect(slotLabel('2026-12-08T04:30:00.000Z', 'de', 'Asia/Kolkata')).toBe('Di 08.12. 10:00');
  });

  it('rejects something that is not an instant', () => {
    expect(() => slotLabel('next Tuesday', 'de', 'Europe/Berlin')).toThrow(RangeError);
  });
});

describe('slotLabelLong', () => {
  it('writes the weekday, date, time span and zone in German', () => {
    expect(slotLabelLong('2026-12-08T09:15:00.000Z', 'de', 'Europe/Berlin', 15)).toBe(
      'Dienstag, 8. Dezember 2026, 10:15–10:30 Uhr (Europe/Berlin)',
    );
  });

  it('writes the weekday, date, time span and zone in English', () => {
    expect(slotLabelLong('2026-12-08T09:15:00.000Z', 'en', 'Europe/Berlin', 15)).toBe(
      'Tuesday, 8 December 2026, 10:15–10:30 (Europe/Berlin)',
    );
  });

  it.each([
    ['2026-03-27T15:45:00.000Z', 'de', 'Freitag, 27. März 2026, 16:45–17:00 Uhr (Europe/Berlin)'],
    ['2026-03-30T14:45:00.000Z', 'en', 'Monday, 30 March 2026, 16:45–17:00 (Europe/Berlin)'],
    ['2027-01-03T10:00:00.000Z', 'de', 'Sonntag, 3. Januar 2027, 11:00–11:15 Uhr (Europe/Berlin)'],
  ] as const)('labels %s in %s across the year', (slot, locale, expected) => {
    expect(slotLabelLong(slot, locale, 'Europe/Berlin', 15)).toBe(expected);
  });

  it('computes the end in local time, also when the clocks change during the call', () => {
    // 01:30 + 60 minutes on 29 March 2026 in Berlin: 02:00 does not exist, the call ends at 03:30.
    const label = slotLabelLong('2026-03-29T00:30:00.000Z', 'en', 'Europe/Berlin', 60);
    expect(label).toBe('Sunday, 29 March 2026, 01:30–03:30 (Europe/Berlin)');
  });

  it('covers every weekday and month name', () => {
    // Prepare: the 1st of each month of 2027 at noon UTC, and the seven days from Monday 4 January 2027.
    const months = Array.from({ length: 12 }, (_, m) => new Date(Date.UTC(2027, m, 1, 12)).toISOString());
    const week = Array.from({ length: 7 }, (_, d) => new Date(Date.UTC(2027, 0, 4 + d, 12)).toISOString());

    // Act
    const monthNames = (locale: 'de' | 'en') => months.map((s) => slotLabelLong(s, locale, 'UTC', 15).split(' ')[2]);
    const weekdayNames = (locale: 'de' | 'en') => week.map((s) => slotLabelLong(s, locale, 'UTC', 15).split(',')[0]);

    // Assess
    expect(monthNames('de')).toEqual([
      'Januar',
      'Februar',
      'März',
      'April',
      'Mai',
      'Juni',
      'Juli',
      'August',
      'September',
      'Oktober',
      'November',
      'Dezember',
    ]);
    expect(monthNames('en')).toEqual([
      'January',
      'February',
      'March',
      'April',
      'May',
      'June',
      'July',
      'August',
      'September',
      'October',
      'November',
      'December',
    ]);
    expect(weekdayNames('de')).toEqual(['Montag', 'Dienstag', 'Mittwoch', 'Donnerstag', 'Freitag', 'Samstag', 'Sonntag']);
    expect(weekdayNames('en')).toEqual(['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']);
  });
});

describe('slotDay', () => {
  it('gives the local calendar date', () => {
    expect(slotDay('2026-10-31T23:30:00.000Z', 'Europe/Berlin')).toBe('2026-11-01');
    expect(slotDay('2026-10-31T23:30:00.000Z', 'UTC')).toBe('2026-10-31');
  });
});
