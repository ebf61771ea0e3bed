/**
 * The local stack's notion of "now". Handlers never read the wall clock; the local stack stamps
 * every HTTP request and event with this clock, so `POST /_dev/tick` can move a whole funnel
 * forward by days in a test.
 */
export class VirtualClock {
  private offsetMs: number;

  /** `startsAt`: begin at this instant instead of the wall clock's now (tests whose content has dates, e.g. a webinar). */
  constructor(startsAt?: string) {
    this.offsetMs = startsAt === undefined ? 0 : Date.parse(startsAt) - Date.now();
  }

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  advanceHours(hours: number): Date {
    this.offsetMs += hours * 3_600_000;
    return this.now();
  }
}
