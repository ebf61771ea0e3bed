/**
 * A stand-in for the nurture dispatcher, driven by a virtual clock: on every tick it applies the lead
 * changes that happened since the last tick, asks planNurture, and "sends" what is due.
 */
import type { FunnelStage } from '../../../shared/domain/lead';
import {
  enterTrack,
  markSent,
  planNurture,
  skipStep,
  type LeadForNurture,
  type NurtureConfig,
  type NurturePlan,
} from '../../../shared/domain/nurture';

export type LeadChange = Partial<Omit<LeadForNurture, 'nurture' | 'funnelStage'>> & { funnelStage?: FunnelStage | null };

export interface SimEvent {
  at: string;
  change: LeadChange;
}

export interface SimSend {
  templateId: string;
  at: string;
}

export interface SimTick {
  at: string;
  /** the lead as the planner saw it on this tick */
  lead: LeadForNurture;
  plan: NurturePlan;
  /** whether the send attempt (if any) was made to fail with a non-retryable error */
  failed: boolean;
}

export interface SimOptions {
  lead: LeadForNurture;
  config: NurtureConfig;
  events: readonly SimEvent[];
  /** the instants the dispatcher runs at, ascending */
  ticks: readonly string[];
  /** decides, per send attempt (0-based), whether it fails non-retryably; default: never */
  failsAttempt?: (attempt: number) => boolean;
}

export function applyChange(lead: LeadForNurture, change: LeadChange, at: string): LeadForNurture {
  const next: LeadForNurture = { ...lead, ...change };
  if (change.funnelStage !== undefined) {
    // The stage-change handler enters the new track at the time of the change, not at the next tick.
    next.nurture = enterTrack(lead.nurture, change.funnelStage, at);
  }
  return next;
}

export function runDispatcher(opts: SimOptions): { sends: SimSend[]; ticks: SimTick[]; lead: LeadForNurture } {
  const events = [...opts.events].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  let lead = opts.lead;
  let nextEvent = 0;
  let attempts = 0;
  const sends: SimSend[] = [];
  const ticks: SimTick[] = [];
  for (const at of opts.ticks) {
    while (nextEvent < events.length && Date.parse(events[nextEvent]!.at) <= Date.parse(at)) {
      lead = applyChange(lead, events[nextEvent]!.change, events[nextEvent]!.at);
      nextEvent++;
    }
    const seen = lead;
    const plan = planNurture(seen, opts.config, at);
    let failed = false;
    if (plan.kind === 'send') {
      failed = opts.failsAttempt?.(attempts) ?? false;
      attempts++;
      const state = enterTrack(lead.nurture, lead.funnelStage, at)!;
      if (failed) {
        lead = { ...lead, nurture: skipStep(state) };
      } else {
        sends.push({ templateId: plan.templateId, at });
        lead = { ...lead, nurture: markSent(state, at) };
      }
    }
    ticks.push({ at, lead: seen, plan, failed });
  }
  return { sends, ticks, lead };
}

/** Every `stepMinutes` from `from` to `until`, both included. */
export function clockTicks(from: string, until: string, stepMinutes: number): string[] {
  const out: string[] = [];
  for (let t = Date.parse(from); t <= Date.parse(until); t += stepMinutes * 60_000) out.push(new Date(t).toISOString());
  return out;
}

export function warmLead(overrides: Partial<LeadForNurture> = {}): LeadForNurture {
  return { lifecycle: 'warm', marketingConsent: 'confirmed', suppressed: null, funnelStage: null, ...overrides };
}
