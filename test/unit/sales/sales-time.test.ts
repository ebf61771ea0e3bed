import { describe, expect, it } from 'vitest';
import { replyByDay, replyByLabel } from '../../../shared/sales/reply-promise';
import { isoDate, salesDateTime } from '../../../shared/sales/sales-time';

const calendar = {
  timeZone: 'Europe/Berlin',
  workingDays: ['mon', 'tue', 'wed', 'thu', 'fri'] as ('mon' | 'tue' | 'wed' | 'thu' | 'fri')[],
  holidays: [] as string[],
};

describe('sales times', () => {
  it.each([
    ['2026-12-02T16:35:00.000Z', 'de', 'Mi, 02.12.2026, 17:35'],
    ['2026-12-02T16:35:00.000Z', 'en', 'Wed, 2 Dec 2026, 17:35'],
    // summer time: UTC+2
    ['2026-07-07T06:05:00.000Z', 'de', 'Di, 07.07.2026, 08:05'],
    // after 23:00 UTC it is already the next day in Berlin
    ['2026-12-01T23:30:00.000Z', 'de', 'Mi, 02.12.2026, 00:30'],
  ] as const)('%s in %s reads %s in Europe/Berlin', (iso, locale, expected) => {
    // Act
    const label = salesDateTime(iso, locale, 'Europe/Berlin');

    // Assess
    expect(label).toBe(expected);
  });
});

describe('the reply promised to a contact request', () => {
  it.each([
    ['Tuesday afternoon -> Wednesday', '2026-12-01T16:35:00.000Z', '2026-12-02'],
    ['Friday -> Monday', '2026-12-04T09:00:00.000Z', '2026-12-07'],
    ['Saturday -> Monday', '2026-12-05T09:00:00.000Z', '2026-12-07'],
    ['Sunday 23:30 UTC is Monday in Berlin -> Tuesday', '2026-12-06T23:30:00.000Z', '2026-12-08'],
    ['Thursday 23:30 UTC is Friday in Berlin -> Monday', '2026-12-03T23:30:00.000Z', '2026-12-07'],
  ])('%s', (_label, requestedAt, expected) => {
    // Act
    const day = replyByDay(requestedAt, calendar);

    // Assess
    expect(isoDate(day)).toBe(expected);
  });

  it('skips a configured holiday', () => {
    // Act
    const day = replyByDay('2026-12-23T10:00:00.000Z', { ...calendar, holidays: ['2026-12-24', '2026-12-25'] });

    // Assess
    expect(isoDate(day)).toBe('2026-12-28');
  });

  it.each([
    ['de', 'Mittwoch, 2. Dezember 2026'],
    ['en', 'Wednesday, 2 December 2026'],
  ] as const)('names the day in the reader language (%s)', (locale, expected) => {
    // Act
    const label = replyByLabel('2026-12-01T16:35:00.000Z', locale, calendar);

    // Assess
    expect(label).toBe(expected);
  });
});
