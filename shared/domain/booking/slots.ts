/**
 * The bookable slots of the expert call, and whether a posted slot is one of them. Pure: `now` comes from the
 * request, the taken slots from the store. A slot is named by its start instant as a canonical ISO UTC string
 * (Date#toISOString), which is also the key of the slot item that the conditional write guards, so one instant
 * must have exactly one spelling.
 *
 * Business hours are wall-clock times in the configured zone. Per working day, the slots start at dayStart and
 * follow every slotMinutes of elapsed time while they end by dayEnd. On an ordinary day that is the wall-clock grid;
 * on a day whose clock change falls inside business hours (not in Berlin, whose switch is at 02:00/03:00) it is
 * still one well-defined set, and availableSlots and checkSlot use the same one.
 */
import type { Locale } from '../lead';
import { type BookingConfig, minutesOfDay, WEEKDAYS } from './booking-config';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** Exactly what Date#toISOString produces for the years we book in; anything else is 'malformed'. */
const CANONICAL_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export type SlotRejection = 'malformed' | 'past' | 'too-soon' | 'outside-hours' | 'off-grid' | 'not-a-working-day' | 'beyond-horizon';
export type SlotCheck = { ok: true; start: string; end: string } | { ok: false; reason: SlotRejection };

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

/**
 * en-US, Gregorian, Latin digits, h23, all numeric: the parts are plain integers whatever the machine's locale or
 * default zone. h23 because some engines print midnight as "24" with hour12: false.
 */
function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = partsFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      calendar: 'gregory',
      numberingSystem: 'latn',
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    partsFormatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall clock in `timeZone` at `instantMs`, encoded as the epoch milliseconds of that same reading in UTC. */
export function localMs(instantMs: number, timeZone: string): number {
  const fields: Record<string, number> = {};
  for (const part of partsFormatter(timeZone).formatToParts(instantMs)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const subSecond = ((instantMs % 1000) + 1000) % 1000;
  const { year, month, day, hour, minute, second } = fields as Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number>;
  return Date.UTC(year, month - 1, day, hour % 24, minute, second) + subSecond;
}

/**
 * The instant at which the wall clock in `timeZone` reads `local` (encoded as by localMs). A reading that occurs
 * twice (clocks go back) resolves to the earlier instant; one that never occurs (clocks go forward) to the instant
 * the same elapsed time after the last reading before the gap -- the "compatible" rule of Temporal and RFC 5545.
 */
function instantAt(local: number, timeZone: string): number {
  const offsetBefore = localMs(local - DAY_MS, timeZone) - (local - DAY_MS);
  const offsetAfter = localMs(local + DAY_MS, timeZone) - (local + DAY_MS);
  const early = local - Math.max(offsetBefore, offsetAfter);
  const late = local - Math.min(offsetBefore, offsetAfter);
  if (localMs(early, timeZone) === local) return early;
  if (localMs(late, timeZone) === local) return late;
  return local - offsetBefore;
}

/** A calendar date as whole days since 1970-01-01, so date arithmetic is integer arithmetic. */
type DayNumber = number;

const isoDate = (day: DayNumber): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
/** 0 = Monday ... 6 = Sunday (1970-01-01 was a Thursday). */
const weekdayIndex = (day: DayNumber): number => (((day + 3) % 7) + 7) % 7;

interface Calendar {
  isWorkingDay(day: DayNumber): boolean;
  /** The instants of the slot starts on `day`, ascending (empty if it is not a working day). */
  slotStarts(day: DayNumber): number[];
  opens(day: DayNumber): number;
  closes(day: DayNumber): number;
  readonly slotMs: number;
}

function calendarOf(config: BookingConfig): Calendar {
  const workingDays = new Set<string>(config.workingDays);
  const holidays = new Set(config.holidays);
  const startMinute = minutesOfDay(config.dayStart);
  const endMinute = minutesOfDay(config.dayEnd);
  const slotMs = config.slotMinutes * MINUTE_MS;
  const calendar: Calendar = {
    slotMs,
    isWorkingDay: (day) => workingDays.has(WEEKDAYS[weekdayIndex(day)]!) && !holidays.has(isoDate(day)),
    opens: (day) => instantAt(day * DAY_MS + startMinute * MINUTE_MS, config.timeZone),
    closes: (day) => instantAt(day * DAY_MS + endMinute * MINUTE_MS, config.timeZone),
    slotStarts: (day) => {
      if (!calendar.isWorkingDay(day)) return [];
      const closes = calendar.closes(day);
      const starts: number[] = [];
      for (let start = calendar.opens(day); start + slotMs <= closes; start += slotMs) starts.push(start);
      return starts;
    },
  };
  return calendar;
}

/** The first and last day of the bookable window: working days only count, holidays do not. */
function bookingWindow(config: BookingConfig, calendar: Calendar, now: Date): { first: DayNumber; last: DayNumber } {
  const nowMs = now.getTime();
  if (Number.isNaN(nowMs)) throw new RangeError('now is an invalid Date');
  const today = Math.floor(localMs(nowMs, config.timeZone) / DAY_MS);
  // minLeadWorkingDays = n >= 1: the n-th working day after today. n = 0: today, if it is a working day.
  let first = config.minLeadWorkingDays === 0 ? today - 1 : today;
  for (let counted = 0; counted < Math.max(1, config.minLeadWorkingDays); ) {
    first++;
    if (calendar.isWorkingDay(first)) counted++;
  }
  let last = first;
  for (let counted = 1; counted < config.horizonWorkingDays; ) {
    last++;
    if (calendar.isWorkingDay(last)) counted++;
  }
  return { first, last };
}

/**
 * The free slots, as canonical ISO UTC start instants in ascending order: every slot of the bookable window
 * (horizonWorkingDays working days, starting minLeadWorkingDays working days after today in the configured zone)
 * that has not started yet and is not in `taken`.
 */
export function availableSlots(config: BookingConfig, now: Date, taken: ReadonlySet<string>): string[] {
  const calendar = calendarOf(config);
  const { first, last } = bookingWindow(config, calendar, now);
  const free: string[] = [];
  for (let day = first; day <= last; day++) {
    for (const start of calendar.slotStarts(day)) {
      const iso = new Date(start).toISOString();
      if (start > now.getTime() && !taken.has(iso)) free.push(iso);
    }
  }
  return free;
}

/**
 * Whether `slotStartIso` (untrusted: straight from the form) names a bookable slot at `now`. Whether it is
 * still free is not decided here but by the conditional write on the slot item. On success, `start` is the key
 * to write and `end` the instant the call ends. The first failing check names the reason, in this order: the
 * value, the clock, the calendar (working day, hours, grid), then the bookable window.
 */
export function checkSlot(config: BookingConfig, now: Date, slotStartIso: unknown): SlotCheck {
  if (typeof slotStartIso !== 'string' || !CANONICAL_INSTANT.test(slotStartIso)) return { ok: false, reason: 'malformed' };
  const start = Date.parse(slotStartIso);
  // Date.parse rolls 2026-02-30 over to March; only an exact round trip is the instant the string claims.
  if (Number.isNaN(start) || new Date(start).toISOString() !== slotStartIso) return { ok: false, reason: 'malformed' };
  if (start <= now.getTime()) return { ok: false, reason: 'past' };

  const calendar = calendarOf(config);
  const day = Math.floor(localMs(start, config.timeZone) / DAY_MS);
  if (!calendar.isWorkingDay(day)) return { ok: false, reason: 'not-a-working-day' };
  const opens = calendar.opens(day);
  if (start < opens || start + calendar.slotMs > calendar.closes(day)) return { ok: false, reason: 'outside-hours' };
  if ((start - opens) % calendar.slotMs !== 0) return { ok: false, reason: 'off-grid' };

  const { first, last } = bookingWindow(config, calendar, now);
  if (day < first) return { ok: false, reason: 'too-soon' };
  if (day > last) return { ok: false, reason: 'beyond-horizon' };
  return { ok: true, start: slotStartIso, end: new Date(start + calendar.slotMs).toISOString() };
}

// Names come from these tables, not from Intl's locale data: ICU versions differ ("Di" vs "Di."), and a Lambda
// runtime with reduced ICU data would fall back to English. Intl is only asked for numbers (see partsFormatter).
export const CALENDAR_NAMES: Record<Locale, { weekdays: readonly string[]; weekdaysShort: readonly string[]; months: readonly string[] }> =
  {
    de: {
      weekdays: ['Montag', 'Dienstag', 'Mittwoch', 'Donnerstag', 'Freitag', 'Samstag', 'Sonntag'],
      weekdaysShort: ['Mo', 'Di', 'Mi', 'Do', 'Fr', 'Sa', 'So'],
      months: ['Januar', 'Februar', 'März', 'April', 'Mai', 'Juni', 'Juli', 'August', 'September', 'Oktober', 'November', 'Dezember'],
    },
    en: {
      weekdays: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
      weekdaysShort: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
      months: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
    },
  };

interface WallReading {
  day: DayNumber;
  year: number;
  month: number;
  date: number;
  hhmm: string;
}

function wallReading(iso: string, timeZone: string): WallReading {
  const instant = Date.parse(iso);
  if (Number.isNaN(instant)) throw new RangeError(`not an ISO instant: ${iso}`);
  const local = new Date(localMs(instant, timeZone));
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    day: Math.floor(local.getTime() / DAY_MS),
    year: local.getUTCFullYear(),
    month: local.getUTCMonth(),
    date: local.getUTCDate(),
    hhmm: `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`,
  };
}

/** The local calendar date of a slot ("YYYY-MM-DD"), e.g. to group the slots of a page by day. */
export function slotDay(slotIso: string, timeZone: string): string {
  return isoDate(wallReading(slotIso, timeZone).day);
}

/** Short label for subjects and buttons: de "Di 09.12. 10:15", en "Tue 9 Dec 10:15". */
export function slotLabel(slotIso: string, locale: Locale, timeZone: string): string {
  const at = wallReading(slotIso, timeZone);
  const names = CALENDAR_NAMES[locale];
  const weekday = names.weekdaysShort[weekdayIndex(at.day)]!;
  if (locale === 'de') {
    return `${weekday} ${String(at.date).padStart(2, '0')}.${String(at.month + 1).padStart(2, '0')}. ${at.hhmm}`;
  }
  return `${weekday} ${at.date} ${names.months[at.month]!.slice(0, 3)} ${at.hhmm}`;
}

/**
 * Long label for mails and pages, with the end time and the zone:
 * de "Dienstag, 9. Dezember 2026, 10:15–10:30 Uhr (Europe/Berlin)", en "Tuesday, 9 December 2026, 10:15–10:30 (Europe/Berlin)".
 */
export function slotLabelLong(slotIso: string, locale: Locale, timeZone: string, durationMinutes: number): string {
  const at = wallReading(slotIso, timeZone);
  const end = wallReading(new Date(Date.parse(slotIso) + durationMinutes * MINUTE_MS).toISOString(), timeZone);
  const names = CALENDAR_NAMES[locale];
  const weekday = names.weekdays[weekdayIndex(at.day)]!;
  const month = names.months[at.month]!;
  if (locale === 'de') return `${weekday}, ${at.date}. ${month} ${at.year}, ${at.hhmm}–${end.hhmm} Uhr (${timeZone})`;
  return `${weekday}, ${at.date} ${month} ${at.year}, ${at.hhmm}–${end.hhmm} (${timeZone})`;
}
