/**
 * Times as sales and leads read them: in a named zone (Europe/Berlin for German sales), never ISO UTC. Hand-built
 * from numeric parts, because Intl's own German short form ("Di., 02.12.2026, 17:35") differs between ICU versions.
 */
import { CALENDAR_NAMES, localMs } from '../domain/booking/slots';
import type { Locale } from '../domain/lead';

const DAY_MS = 86_400_000;

const NAMES = CALENDAR_NAMES;

/** A local calendar date as whole days since 1970-01-01, so date arithmetic is integer arithmetic. */
export type DayNumber = number;

export interface WallClock {
  day: DayNumber;
  hour: number;
  minute: number;
}

/** The wall clock in `timeZone` at an ISO instant (the slot logic's own conversion, so both agree on every zone). */
export function wallClock(iso: string, timeZone: string): WallClock {
  const instant = Date.parse(iso);
  if (Number.isNaN(instant)) throw new RangeError(`not an ISO instant: ${iso}`);
  const local = localMs(instant, timeZone);
  const day = Math.floor(local / DAY_MS);
  const minutes = Math.floor((local - day * DAY_MS) / 60_000);
  return { day, hour: Math.floor(minutes / 60), minute: minutes % 60 };
}

/** 0 = Monday ... 6 = Sunday (1970-01-01 was a Thursday). */
export const weekdayIndex = (day: DayNumber): number => (((day + 3) % 7) + 7) % 7;
export const isoDate = (day: DayNumber): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

const pad = (n: number) => String(n).padStart(2, '0');

/** de "Di, 02.12.2026, 17:35", en "Tue, 2 Dec 2026, 17:35": a moment on the sales mail and page. */
export function salesDateTime(iso: string, locale: Locale, timeZone: string): string {
  const at = wallClock(iso, timeZone);
  const date = new Date(at.day * DAY_MS);
  const weekday = NAMES[locale].weekdaysShort[weekdayIndex(at.day)]!;
  const time = `${pad(at.hour)}:${pad(at.minute)}`;
  if (locale === 'de') return `${weekday}, ${pad(date.getUTCDate())}.${pad(date.getUTCMonth() + 1)}.${date.getUTCFullYear()}, ${time}`;
  return `${weekday}, ${date.getUTCDate()} ${NAMES.en.months[date.getUTCMonth()]!.slice(0, 3)} ${date.getUTCFullYear()}, ${time}`;
}

/** de "Mittwoch, 3. Dezember 2026", en "Wednesday, 3 December 2026": a day in running text. */
export function longDate(day: DayNumber, locale: Locale): string {
  const date = new Date(day * DAY_MS);
  const names = NAMES[locale];
  const weekday = names.weekdays[weekdayIndex(day)]!;
  const month = names.months[date.getUTCMonth()]!;
  if (locale === 'de') return `${weekday}, ${date.getUTCDate()}. ${month} ${date.getUTCFullYear()}`;
  return `${weekday}, ${date.getUTCDate()} ${month} ${date.getUTCFullYear()}`;
}
