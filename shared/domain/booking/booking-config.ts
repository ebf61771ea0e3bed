/**
 * When the "15 minutes with an expert" call can be booked: time zone, working days, business hours, slot length,
 * how far ahead the bookable window starts and how long it is, and holidays. The values live in config/booking.json
 * so the team can change them without touching code; this module validates that file (and any other candidate)
 * before the slot logic trusts it. No fs here: the JSON is imported, so the bundler inlines it like the other configs.
 */
import * as z from 'zod/mini';
import { deepFreeze, describeConfigIssues } from '../config-issues';
import rawDefaultBookingConfig from '../../../config/booking.json';

/** Weekday names as written in the config; the index + 1 is the ISO weekday (1 = Monday). */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Minutes since local midnight of an "HH:MM" the schema has already accepted. */
export function minutesOfDay(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

/**
 * The list of canonical IANA zones answers for the usual names in ~2 ms; constructing a formatter with
 * the zone (which also knows aliases such as "UTC" or "Europe/Kiev") costs ~15 ms of ICU set-up, and
 * this runs at every cold start of the functions that load the config, so it is only the fallback.
 */
function isTimeZone(value: string): boolean {
  if (Intl.supportedValuesOf('timeZone').includes(value)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const wallTime = () => z.string('must be a time "HH:MM"').check(z.regex(HH_MM, 'must be a time "HH:MM"'));
const wholeNumber = (min: number, max: number) =>
  z.int('must be a whole number').check(z.gte(min, `must be at least ${min}`), z.lte(max, `must be at most ${max}`));

export const bookingConfigSchema = z
  .strictObject(
    {
      timeZone: z.string('must be an IANA time zone').check(z.refine(isTimeZone, 'must be an IANA time zone, e.g. "Europe/Berlin"')),
      workingDays: z.array(z.enum(WEEKDAYS, `must be one of ${WEEKDAYS.join(', ')}`), 'must be a list of weekdays').check(
        z.minLength(1, 'must name at least one weekday'),
        z.refine((days) => new Set(days).size === days.length, 'must not repeat a weekday'),
      ),
      dayStart: wallTime(),
      // Exclusive: the last slot is the last one that ends by dayEnd (09:00-17:00 with 15 minutes: 16:45).
      dayEnd: wallTime(),
      slotMinutes: wholeNumber(5, 240),
      // Bounded so one page render (and the loop behind it) stays small.
      horizonWorkingDays: wholeNumber(1, 260),
      minLeadWorkingDays: wholeNumber(0, 260),
      holidays: z._default(z.array(z.iso.date('must be an ISO date "YYYY-MM-DD"'), 'must be a list of ISO dates'), []),
    },
    'must be an object',
  )
  .check(
    z.superRefine((config, ctx) => {
      const start = HH_MM.test(config.dayStart) ? minutesOfDay(config.dayStart) : undefined;
      const end = HH_MM.test(config.dayEnd) ? minutesOfDay(config.dayEnd) : undefined;
      if (start === undefined || end === undefined) return;
      if (end <= start) {
        ctx.addIssue({
          code: 'custom',
          path: ['dayEnd'],
          message: `must be later than dayStart (${config.dayStart})`,
          input: config.dayEnd,
        });
      } else if (Number.isInteger(config.slotMinutes) && end - start < config.slotMinutes) {
        ctx.addIssue({
          code: 'custom',
          path: ['slotMinutes'],
          message: `must fit between dayStart and dayEnd (${end - start} minutes)`,
          input: config.slotMinutes,
        });
      }
    }),
  );
export type BookingConfig = z.output<typeof bookingConfigSchema>;

/** Validates a candidate booking config (the parsed JSON); throws an Error whose message names every bad field path. */
export function parseBookingConfig(json: unknown): BookingConfig {
  const result = bookingConfigSchema.safeParse(json);
  if (!result.success) {
    throw new Error(`Invalid booking config: ${describeConfigIssues(result.error.issues).join('; ')}`);
  }
  return result.data;
}

// Parsed at load time so a broken edit of the JSON fails at startup, not at the first booking; frozen because it is shared.
export const defaultBookingConfig: BookingConfig = deepFreeze(parseBookingConfig(rawDefaultBookingConfig));
