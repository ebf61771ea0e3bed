/**
 * The pure nurture planner: which stage-appropriate nurture email is due when, for one lead.
 * No I/O and no clock: `now` and every other instant are ISO-8601 strings passed in.
 */
import type { FunnelStage, Lifecycle, MarketingConsent } from '../lead';
import type { NurtureConfig } from './nurture-config';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export interface NurtureState {
  track: FunnelStage;
  /** index into the track's steps of the next email to send */
  nextStep: number;
  enteredAt: string;
  lastSentAt?: string;
}

export interface LeadForNurture {
  lifecycle: Lifecycle;
  marketingConsent: MarketingConsent;
  suppressed: null | 'bounce' | 'complaint' | 'erased';
  funnelStage: FunnelStage | null;
  nurture?: NurtureState;
  /** set by a sales recycle: no nurture before it */
  resumeAt?: string;
}

export type NurturePlan =
  | { kind: 'send'; track: FunnelStage; step: number; templateId: string; offer: string; dueAt: string }
  | { kind: 'wait'; track: FunnelStage; step: number; templateId: string; offer: string; dueAt: string }
  | { kind: 'stop'; reason: 'no-consent' | 'suppressed' | 'not-warm' | 'track-done' | 'no-stage' };

// Config days and hours may be fractional; whole milliseconds keep dueAt (an ISO string) exactly the instant compared to now.
const days = (n: number) => Math.round(n * DAY_MS);
const hours = (n: number) => Math.round(n * HOUR_MS);

// An explicit offset is required: without one Date.parse reads the time in the host's local zone.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function toMs(iso: string, what: string): number {
  const ms = ISO_INSTANT.test(iso) ? Date.parse(iso) : Number.NaN;
  if (Number.isNaN(ms)) throw new RangeError(`${what} is not an ISO-8601 timestamp with offset: ${JSON.stringify(iso)}`);
  return ms;
}

/**
 * Puts the lead on the track of its funnel stage. A new track starts at step 0 but keeps lastSentAt,
 * so the frequency cap and "delays count from the previous nurture email" hold across a track switch.
 * A null stage leaves the state alone: losing the stage is not a reason to forget where the lead was.
 */
export function enterTrack(state: NurtureState | undefined, funnelStage: FunnelStage | null, at: string): NurtureState | undefined {
  if (funnelStage === null) return state;
  if (state !== undefined && state.track === funnelStage) return state;
  const entered: NurtureState = { track: funnelStage, nextStep: 0, enteredAt: at };
  if (state?.lastSentAt !== undefined) entered.lastSentAt = state.lastSentAt;
  return entered;
}

/**
 * Due time of step i on the lead's track = the latest of
 *   enteredAt + day_i,
 *   lastSentAt + (day_i − day_{i−1}) with day_{−1} = 0,
 *   lastSentAt + frequencyCapHours,
 *   resumeAt,
 * where the lastSentAt and resumeAt terms apply only when present. 'send' when dueAt <= now, else 'wait'.
 *
 * The caller is expected to have entered the track (enterTrack) when the stage changed; if it has not,
 * the track is treated as entered at `now`, which keeps pushing step 0 out until that state is stored.
 */
export function planNurture(lead: LeadForNurture, config: NurtureConfig, now: string): NurturePlan {
  const nowMs = toMs(now, 'now');
  if (lead.marketingConsent !== 'confirmed') return { kind: 'stop', reason: 'no-consent' };
  if (lead.suppressed !== null) return { kind: 'stop', reason: 'suppressed' };
  if (lead.lifecycle !== 'warm') return { kind: 'stop', reason: 'not-warm' };
  if (lead.funnelStage === null) return { kind: 'stop', reason: 'no-stage' };

  const state = enterTrack(lead.nurture, lead.funnelStage, now)!;
  const steps = config.tracks[state.track];
  const i = state.nextStep;
  if (!Number.isInteger(i) || i < 0) throw new RangeError(`nurture.nextStep must be a non-negative integer, got ${i}`);
  const step = steps[i];
  if (step === undefined) return { kind: 'stop', reason: 'track-done' };
  const prevDay = i === 0 ? 0 : steps[i - 1]!.day;

  let dueMs = toMs(state.enteredAt, 'nurture.enteredAt') + days(step.day);
  if (state.lastSentAt !== undefined) {
    const lastMs = toMs(state.lastSentAt, 'nurture.lastSentAt');
    dueMs = Math.max(dueMs, lastMs + days(step.day - prevDay), lastMs + hours(config.frequencyCapHours));
  }
  if (lead.resumeAt !== undefined) dueMs = Math.max(dueMs, toMs(lead.resumeAt, 'resumeAt'));

  return {
    kind: dueMs <= nowMs ? 'send' : 'wait',
    track: state.track,
    step: i,
    templateId: step.templateId,
    offer: step.offer,
    dueAt: new Date(dueMs).toISOString(),
  };
}

/** What storage puts in the due index: the dueAt of a send or wait, null (leave the index) for a stop. */
export function nextDueAt(plan: NurturePlan): string | null {
  return plan.kind === 'stop' ? null : plan.dueAt;
}

/** After a nurture email went out at `at`: advance to the next step and start the next delay from `at`. */
export function markSent(state: NurtureState, at: string): NurtureState {
  return { ...state, nextStep: state.nextStep + 1, lastSentAt: at };
}

/** After a non-retryable send error: advance without sending, so lastSentAt (and the cap) stay as they were. */
export function skipStep(state: NurtureState): NurtureState {
  return { ...state, nextStep: state.nextStep + 1 };
}

/** The resumeAt a sales recycle at `recycledAt` sets: nurture resumes only after the cool-off. */
export function recycleResumeAt(recycledAt: string, config: NurtureConfig): string {
  return new Date(toMs(recycledAt, 'recycledAt') + days(config.recycleCoolOffDays)).toISOString();
}
