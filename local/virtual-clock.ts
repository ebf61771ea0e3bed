import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomically } from './durable-file';

/**
 * The local stack's notion of "now". Handlers never read the wall clock; the local stack stamps
 * every HTTP request and event with this clock, so `POST /_dev/tick` can move a whole funnel
 * forward by days in a test.
 *
 * A persistent stack gives it a file under its data directory: the offset and the instant it was last
 * saved are written on every tick (and at stop), and a restart resumes from them, so the clock never
 * runs behind the data the last run stored, even after kill -9 or a wall clock that was set back.
 */
export class VirtualClock {
  private offsetMs: number;

  /** `startsAt`: begin at this instant instead of the wall clock's now (tests whose content has dates, e.g. a webinar). */
  constructor(
    startsAt?: string,
    private readonly file?: string,
  ) {
    this.offsetMs = startsAt === undefined ? 0 : Date.parse(startsAt) - Date.now();
    const saved = file && existsSync(file) ? readSaved(file) : undefined;
    if (saved) {
      // The later of: the saved offset applied to today's wall clock, and the last saved instant itself.
      const resumeOffset = Math.max(saved.offsetMs, saved.savedNowMs - Date.now());
      this.offsetMs = Math.max(this.offsetMs, resumeOffset);
    }
    this.save();
  }

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  advanceHours(hours: number): Date {
    this.offsetMs += hours * 3_600_000;
    this.save();
    return this.now();
  }

  /** Writes the offset and the current instant (atomically); a no-op without a file. */
  save(): void {
    if (!this.file) return;
    const state = { version: 1, offsetMs: this.offsetMs, savedNow: this.now().toISOString() };
    writeFileAtomically(this.file, `${JSON.stringify(state, null, 2)}\n`);
  }
}

function readSaved(file: string): { offsetMs: number; savedNowMs: number } {
  try {
    const state = JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown; offsetMs?: unknown; savedNow?: unknown };
    const savedNowMs = typeof state.savedNow === 'string' ? Date.parse(state.savedNow) : Number.NaN;
    if (state.version === 1 && typeof state.offsetMs === 'number' && Number.isFinite(state.offsetMs) && !Number.isNaN(savedNowMs)) {
      return { offsetMs: state.offsetMs, savedNowMs };
    }
  } catch {
    // reported below
  }
  // Never guess: a clock that starts behind the stored data would make due work look not yet due.
  throw new Error(`${file} is not a valid virtual clock file; fix or delete it (deleting restarts the clock at the wall clock's now)`);
}
