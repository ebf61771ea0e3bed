import { type BookingConfig, WEEKDAYS } from '../domain/booking/booking-config';
import type { Locale } from '../domain/lead';
import { type DayNumber, isoDate, longDate, wallClock, weekdayIndex } from './sales-time';

/** What the contact acknowledgement promises: sales replies within one working day. */
export const REPLY_WITHIN_WORKING_DAYS = 1;

/**
 * The day by which sales replies to a contact request made at `requestedAt`: the end of the first working day after
 * the request's own day, in sales' calendar (the expert call's working days, holidays and zone, config/booking.json).
 * A request on Tuesday is answered by Wednesday, one on Friday, Saturday or Sunday by Monday.
 */
export function replyByDay(requestedAt: string, calendar: Pick<BookingConfig, 'timeZone' | 'workingDays' | 'holidays'>): DayNumber {
  const workingDays = new Set<string>(calendar.workingDays);
  const holidays = new Set(calendar.holidays);
  const isWorkingDay = (day: DayNumber) => workingDays.has(WEEKDAYS[weekdayIndex(day)]!) && !holidays.has(isoDate(day));
  let day = wallClock(requestedAt, calendar.timeZone).day;
  for (let counted = 0; counted < REPLY_WITHIN_WORKING_DAYS; ) {
    day++;
    if (isWorkingDay(day)) counted++;
  }
  return day;
}

/** The promise in the lead's words: de "Mittwoch, 3. Dezember 2026". */
export function replyByLabel(requestedAt: string, locale: Locale, calendar: Pick<BookingConfig, 'timeZone' | 'workingDays' | 'holidays'>) {
  return longDate(replyByDay(requestedAt, calendar), locale);
}
