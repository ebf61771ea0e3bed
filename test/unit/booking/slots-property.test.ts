/**
 * Properties of availableSlots and checkSlot over random configurations, zones and clocks. The oracle below reads
 * the rules off the wall clock directly (instant -> local time with Intl, one instant at a time), while the
 * implementation goes the other way (local business hours -> instants), so the two meet only in the rules.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BookingConfig, defaultBookingConfig, WEEKDAYS } from '../../../shared/domain/booking/booking-config';
import { availableSlots, checkSlot, type SlotRejection } from '../../../shared/domain/booking/slots';

const MINUTE = 60_000;
const DAY = 86_400_000;

/** Zones with clock changes at night, on the hour, the half hour and at midnight, with odd offsets, and without. */
const ZONES = [
  'Europe/Berlin',
  'America/New_York',
  'America/Santiago',
  'America/Havana',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'America/Sao_Paulo',
  'UTC',
] as const;

const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
const addDays = (isoDate: string, n: number) => new Date(Date.parse(`${isoDate}T00:00:00.000Z`) + n * DAY).toISOString().slice(0, 10);

const nowArb = fc.integer({ min: Date.parse('2024-01-01T00:00:00Z'), max: Date.parse('2030-12-31T00:00:00Z') }).map((ms) => new Date(ms));

/**
 * A configuration and a clock. With hours inside 04:00-23:00 no business hours contain a clock change in the zones
 * above, so every slot is also on the wall-clock grid and the oracle can work in wall-clock time. Holidays fall
 * just around `now`, where they matter.
 */
function scenarioArb(hours: { earliest: number; latest: number }): fc.Arbitrary<{ config: BookingConfig; now: Date }> {
  return fc
    .record({
      timeZone: fc.constantFrom(...ZONES),
      workingDays: fc.subarray([...WEEKDAYS], { minLength: 3 }),
      slotMinutes: fc.constantFrom(10, 15, 20, 30, 45, 60),
      startStep: fc.integer({ min: hours.earliest / 5, max: (hours.latest - 60) / 5 }),
      lengthSteps: fc.integer({ min: 0, max: 100 }),
      horizonWorkingDays: fc.integer({ min: 1, max: 4 }),
      minLeadWorkingDays: fc.integer({ min: 0, max: 2 }),
      holidayOffsets: fc.uniqueArray(fc.integer({ min: -1, max: 30 }), { maxLength: 4 }),
      now: nowArb,
    })
    .map(({ startStep, lengthSteps, holidayOffsets, now, ...rest }) => {
      const start = startStep * 5;
      // At least one slot fits; the end is capped at the latest end.
      const end = Math.min(hours.latest, start + rest.slotMinutes + lengthSteps * 5);
      const today = now.toISOString().slice(0, 10);
      const config = { ...rest, dayStart: hhmm(start), dayEnd: hhmm(end), holidays: holidayOffsets.map((n) => addDays(today, n)) };
      return { config, now };
    });
}

const NIGHT_FREE = { earliest: 4 * 60, latest: 23 * 60 };
const ANY_HOURS = { earliest: 0, latest: 23 * 60 + 55 };

const wallFormatters = new Map<string, Intl.DateTimeFormat>();
function wall(instant: number, timeZone: string): { date: string; msOfDay: number; weekday: number } {
  let formatter = wallFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    wallFormatters.set(timeZone, formatter);
  }
  const p = Object.fromEntries(formatter.formatToParts(instant).map((part) => [part.type, part.value]));
  const date = `${p.year}-${p.month}-${p.day}`;
  const msOfDay = ((Number(p.hour) * 60 + Number(p.minute)) * 60 + Number(p.second)) * 1000 + (instant % 1000);
  // 0 = Monday.
  const weekday = (new Date(`${date}T00:00:00.000Z`).getUTCDay() + 6) % 7;
  return { date, msOfDay, weekday };
}

/** The rules, stated on local dates and the local clock. */
function oracle(config: BookingConfig, now: Date) {
  const isWorking = (date: string) =>
    config.workingDays.includes(WEEKDAYS[(new Date(`${date}T00:00:00.000Z`).getUTCDay() + 6) % 7]!) && !config.holidays.includes(date);
  const today = wall(now.getTime(), config.timeZone).date;
  let first = today;
  if (config.minLeadWorkingDays === 0) {
    while (!isWorking(first)) first = addDays(first, 1);
  } else {
    for (let n = 0; n < config.minLeadWorkingDays; ) {
      first = addDays(first, 1);
      if (isWorking(first)) n++;
    }
  }
  let last = first;
  for (let n = 1; n < config.horizonWorkingDays; ) {
    last = addDays(last, 1);
    if (isWorking(last)) n++;
  }
  const [h1, m1] = config.dayStart.split(':').map(Number);
  const [h2, m2] = config.dayEnd.split(':').map(Number);
  const startMs = (h1! * 60 + m1!) * MINUTE;
  const endMs = (h2! * 60 + m2!) * MINUTE;
  const slotMs = config.slotMinutes * MINUTE;

  const reason = (instant: number): SlotRejection | 'ok' => {
    if (instant <= now.getTime()) return 'past';
    const at = wall(instant, config.timeZone);
    if (!isWorking(at.date)) return 'not-a-working-day';
    if (at.msOfDay < startMs || at.msOfDay + slotMs > endMs) return 'outside-hours';
    if ((at.msOfDay - startMs) % slotMs !== 0) return 'off-grid';
    if (at.date < first) return 'too-soon';
    if (at.date > last) return 'beyond-horizon';
    return 'ok';
  };
  // Every slot lies before the UTC midnight two days after the last local day, whatever the zone.
  const until = Date.parse(`${addDays(last, 2)}T00:00:00.000Z`);
  const slots = (): string[] => {
    const out: string[] = [];
    for (let t = Math.ceil(now.getTime() / (5 * MINUTE)) * 5 * MINUTE; t < until; t += 5 * MINUTE) {
      if (reason(t) === 'ok') out.push(new Date(t).toISOString());
    }
    return out;
  };
  return { reason, slots, until };
}

describe('slot properties', () => {
  it('availableSlots is exactly the set of slots the wall-clock rules allow', () => {
    fc.assert(
      fc.property(scenarioArb(NIGHT_FREE), ({ config, now }) => {
        expect(availableSlots(config, now, new Set())).toEqual(oracle(config, now).slots());
      }),
      { numRuns: 60 },
    );
  });

  it('checkSlot gives the reason the wall-clock rules give, for instants on and off the grid', () => {
    const offsetArb = fc.oneof(
      fc.integer({ min: -2 * 288, max: 40 * 288 }).map((fiveMinutes) => fiveMinutes * 5 * MINUTE),
      fc.integer({ min: -2 * DAY, max: 40 * DAY }),
    );
    fc.assert(
      fc.property(scenarioArb(NIGHT_FREE), fc.array(offsetArb, { minLength: 20, maxLength: 20 }), ({ config, now }, offsets) => {
        const { reason } = oracle(config, now);
        const base = Math.floor(now.getTime() / (5 * MINUTE)) * 5 * MINUTE;
        for (const offset of offsets) {
          const instant = base + offset;
          const result = checkSlot(config, now, new Date(instant).toISOString());
          expect(result.ok ? 'ok' : result.reason).toBe(reason(instant));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('every slot offered, in any hours and zone (clock changes included), passes checkSlot, in order, with taken ones left out', () => {
    fc.assert(
      fc.property(scenarioArb(ANY_HOURS), fc.array(fc.nat(), { maxLength: 10 }), ({ config, now }, takenPicks) => {
        const all = availableSlots(config, now, new Set());
        const taken = new Set(takenPicks.filter(() => all.length > 0).map((pick) => all[pick % all.length]!));

        const free = availableSlots(config, now, taken);

        expect(free).toEqual(all.filter((slot) => !taken.has(slot)));
        for (let i = 1; i < free.length; i++) expect(free[i]! > free[i - 1]!).toBe(true);
        for (const slot of free) {
          const result = checkSlot(config, now, slot);
          expect(result).toEqual({ ok: true, start: slot, end: new Date(Date.parse(slot) + config.slotMinutes * MINUTE).toISOString() });
        }
      }),
      { numRuns: 60 },
    );
  });

  it('is never empty with a lead time of at least one working day', () => {
    // Then every day of the window lies wholly in the future, and each has room for at least one slot.
    fc.assert(
      fc.property(scenarioArb(ANY_HOURS), ({ config: raw, now }) => {
        const config = { ...raw, minLeadWorkingDays: Math.max(1, raw.minLeadWorkingDays) };
        expect(availableSlots(config, now, new Set()).length).toBeGreaterThan(0);
      }),
      { numRuns: 60 },
    );
  });

  it('calls anything but a canonical ISO instant malformed', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          nowArb.map((d) =>
            d
              .toISOString()
              .replace('.000Z', 'Z')
              .replace(/\.\d{3}Z$/, 'Z'),
          ),
          nowArb.map((d) => d.toISOString().replace('Z', '+00:00')),
        ),
        (value) => {
          expect(checkSlot(defaultBookingConfig, new Date('2026-01-01T00:00:00.000Z'), value)).toEqual({
            ok: false,
            reason: 'malformed',
          });
        },
      ),
      { numRuns: 200 },
    );
  });
});
