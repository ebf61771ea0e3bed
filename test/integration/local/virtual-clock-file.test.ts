/** The persistent virtual clock (issue 14, item 5): a restarted stack's clock never runs behind the last run's. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { VirtualClock } from '../../../local/virtual-clock';

const HOUR = 3_600_000;

describe('VirtualClock with a file under the data directory', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'leadpipe-clock-'));
    file = join(dir, 'virtual-clock.json');
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-03T10:00:00.000Z'));
  });
  afterEach(() => {
    vi.useRealTimers();
    rmSync(dir, { recursive: true, force: true });
  });

  it('resumes the offset of the last tick: wall time that passed in between is added on top', () => {
    new VirtualClock(undefined, file).advanceHours(72);
    vi.setSystemTime(new Date('2026-12-03T11:00:00.000Z'));
    expect(new VirtualClock(undefined, file).now().toISOString()).toBe('2026-12-06T11:00:00.000Z');
  });

  it('never starts before the last saved instant, even when the wall clock was set back', () => {
    const first = new VirtualClock(undefined, file);
    first.advanceHours(24);
    vi.setSystemTime(new Date('2026-12-01T10:00:00.000Z'));
    expect(new VirtualClock(undefined, file).now().getTime()).toBeGreaterThanOrEqual(Date.parse('2026-12-04T10:00:00.000Z'));
  });

  it('a later clockStartsAt wins over the saved clock; an earlier one does not move it back', () => {
    new VirtualClock(undefined, file).advanceHours(24);
    expect(new VirtualClock('2026-12-01T00:00:00.000Z', file).now().toISOString()).toBe('2026-12-04T10:00:00.000Z');
    expect(new VirtualClock('2027-01-01T00:00:00.000Z', file).now().toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });

  it('saves on every tick, atomically replaced, with the instant it stood at', () => {
    const clock = new VirtualClock(undefined, file);
    clock.advanceHours(2);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ version: 1, offsetMs: 2 * HOUR, savedNow: '2026-12-03T12:00:00.000Z' });
  });

  it('refuses a damaged file instead of guessing a time', () => {
    writeFileSync(file, '{"version":1,"offsetMs":"soon"}');
    expect(() => new VirtualClock(undefined, file)).toThrow(/not a valid virtual clock file/);
  });

  it('without a file it keeps nothing', () => {
    new VirtualClock().advanceHours(5);
    expect(new VirtualClock().now().toISOString()).toBe('2026-12-03T10:00:00.000Z');
  });
});
