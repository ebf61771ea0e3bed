/**
 * The local stack's notion of "now". Handlers never read the wall clock; the local stack stamps
 * every HTTP request and event with this clock, so `POST /_dev/tick` can move a whole funnel
 * forward by days in a test.
 */
export class VirtualClock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  advanceHours(hours: number): Date {
    this.offsetMs += hours * 3_600_000;
    return this.now();
  }
}
