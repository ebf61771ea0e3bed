/**
 * Drives the real nurture dispatcher (dispatchNurture) over virtual time, against the in-memory store:
 * on every tick it first applies the lead changes that happened since the last tick, as the writers of
 * those changes do (they store the nurture state and due time that scheduleFor gives), then runs one
 * dispatch at the tick. Classification is left out (it finds nothing to change), and the send is a test
 * double that records each attempt and answers as `sendOutcome` says.
 *
 * Each tick also records the lead as stored before the run and the planner's verdict on it, so a test
 * can hold the dispatcher's attempts against planNurture: what was due, and only that, went out.
 */
import { defaultScoringConfig } from '../../../shared/domain/classification';
import { marketingConsentState } from '../../../shared/domain/consent-state';
import type { FunnelStage, Interaction, MarketingConsent } from '../../../shared/domain/lead';
import { planNurture, type LeadForNurture, type NurtureConfig, type NurturePlan } from '../../../shared/domain/nurture';
import { SentButNotRecordedError } from '../../../shared/email/sent-but-not-recorded-error';
import { dispatchNurture, type DispatchDeps, type DispatchReport, type NurtureEmail } from '../../../shared/nurture/dispatch-nurture';
import { scheduleFor } from '../../../shared/nurture/nurture-schedule';
import { InMemoryNurtureStore, type StoredLead } from './in-memory-nurture-store';

export type LeadChange = Partial<Omit<LeadForNurture, 'nurture' | 'funnelStage'>> & { funnelStage?: FunnelStage | null };

export interface SimEvent {
  at: string;
  change: LeadChange;
}

export interface SimSend {
  templateId: string;
  at: string;
}

/**
 * What SES does with one send attempt: `accepted`; `rejected` for good (the step is skipped); `busy`
 * (throttled: the step stays due); `unrecorded` (accepted, but the timeline write failed: still sent).
 */
export type SendOutcome = 'accepted' | 'rejected' | 'busy' | 'unrecorded';

export interface SimAttempt {
  templateId: string;
  /** the step name the dispatcher sent under, e.g. tofu-1 */
  step: string;
  /** the lead as stored at the moment of the send */
  lead: LeadForNurture;
  outcome: SendOutcome;
}

export interface SimTick {
  at: string;
  /** the lead as stored before this tick's run (suppressed 'erased' once it is deleted) */
  lead: LeadForNurture;
  /** the planner's verdict on `lead` at this tick */
  plan: NurturePlan;
  /** the dispatcher's send attempt in this run, if any */
  attempt?: SimAttempt;
  /** whether the attempt (if any) went out neither to SES nor to the lead's schedule: rejected or busy */
  failed: boolean;
  report: DispatchReport;
}

export interface SimOptions {
  lead: LeadForNurture;
  config: NurtureConfig;
  events: readonly SimEvent[];
  /** the instants the dispatcher runs at, ascending */
  ticks: readonly string[];
  /** what SES does with each send attempt (0-based); default: accepts */
  sendOutcome?: (attempt: number) => SendOutcome;
  /** how long an unconfirmed opt-in is kept; default 30 days, the deploy default */
  retentionDays?: number;
}

const LEAD_ID = 'lead-virtual-time';
const SIGNING_KEY = 'virtual-time-signing-key-of-32-bytes!';

export async function runDispatcher(opts: SimOptions): Promise<{ sends: SimSend[]; ticks: SimTick[]; lead: LeadForNurture }> {
  const events = [...opts.events].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const start = [opts.ticks[0], events[0]?.at].filter((at): at is string => at !== undefined).sort()[0]!;
  const retentionDays = opts.retentionDays ?? 30;
  const store = new InMemoryNurtureStore();
  const schedule = { nurture: opts.config, scoring: defaultScoringConfig, retentionDays };
  // A download besides the signup: an expired opt-in drops the request and keeps the lead, as for most leads.
  const interactions: Interaction[] = [{ id: 'download-1', type: 'download', at: start, assetId: 'ebook-lead-types', funnelStage: 'tofu' }];
  let lastView: LeadForNurture = opts.lead;

  /** Stores the lead as a writer outside the dispatcher does: the change, then its nurture state and due time. */
  const write = (lead: StoredLead, at: string) => {
    const fields = scheduleFor(lead, interactions, at, schedule);
    const next: StoredLead = { ...lead, updatedAt: at, version: lead.version + 1 };
    if (fields.nurture) next.nurture = fields.nurture;
    if (fields.nurtureDueAt && fields.dueShard) Object.assign(next, { nurtureDueAt: fields.nurtureDueAt, dueShard: fields.dueShard });
    else {
      delete next.nurtureDueAt;
      delete next.dueShard;
    }
    store.put(next, interactions);
  };
  const view = (): LeadForNurture => {
    const lead = store.lead(LEAD_ID);
    lastView = lead ? leadForNurture(lead) : { ...lastView, suppressed: 'erased' };
    return lastView;
  };

  if (opts.lead.suppressed !== 'erased') write(storedLead(opts.lead, start), start);

  const attempts: SimAttempt[] = [];
  const deps: DispatchDeps = {
    store,
    reclassify: async () => ({ kind: 'unchanged' }),
    sendEmail: async (email: NurtureEmail) => {
      const outcome = opts.sendOutcome?.(attempts.length) ?? 'accepted';
      attempts.push({ templateId: email.templateId, step: email.step ?? '', lead: view(), outcome });
      const messageId = `message-${attempts.length}`;
      if (outcome === 'rejected') throw new Error(`Illegal address: ${email.to.join(', ')}`);
      if (outcome === 'busy') throw Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'TooManyRequestsException' });
      if (outcome === 'unrecorded') throw new SentButNotRecordedError(messageId, new Error('timeline write failed'));
      return { messageId };
    },
    retentionDays,
    signingKey: SIGNING_KEY,
    publicBaseUrl: 'https://leadpipe.example',
    imprint: 'Leadpipe Example GmbH',
    senderName: 'Erika Mustermann',
    scoring: defaultScoringConfig,
    nurture: opts.config,
  };

  let nextEvent = 0;
  const sends: SimSend[] = [];
  const ticks: SimTick[] = [];
  for (const at of opts.ticks) {
    while (nextEvent < events.length && Date.parse(events[nextEvent]!.at) <= Date.parse(at)) {
      const event = events[nextEvent++]!;
      const lead = store.lead(LEAD_ID);
      if (!lead) continue;
      if (event.change.suppressed === 'erased') await store.eraseLead(LEAD_ID);
      else write(applyChange(lead, event.change, event.at), event.at);
    }
    const seen = view();
    const plan = planNurture(seen, opts.config, at);
    const before = attempts.length;
    const report = await dispatchNurture(at, deps);
    // One lead, so at most one attempt per run: a second would be a send the run should not make.
    if (attempts.length > before + 1) throw new Error(`the run at ${at} made ${attempts.length - before} send attempts for one lead`);
    const attempt = attempts[before];
    if (attempt?.outcome === 'accepted' || attempt?.outcome === 'unrecorded') sends.push({ templateId: attempt.templateId, at });
    const failed = attempt?.outcome === 'rejected' || attempt?.outcome === 'busy';
    ticks.push({ at, lead: seen, plan, ...(attempt ? { attempt } : {}), failed, report });
  }
  return { sends, ticks, lead: view() };
}

/** A change as its writer stores it: consent as the timestamps that derive it, a stage as the stage (its track follows in write). */
function applyChange(lead: StoredLead, change: LeadChange, at: string): StoredLead {
  const next: StoredLead = { ...lead };
  if (change.lifecycle !== undefined) next.lifecycle = change.lifecycle;
  if (change.funnelStage !== undefined) next.funnelStage = change.funnelStage;
  if (change.resumeAt !== undefined) next.nurtureResumeAt = change.resumeAt;
  if (change.suppressed !== undefined) {
    if (change.suppressed === null) delete next.suppressed;
    else if (change.suppressed !== 'erased') next.suppressed = change.suppressed;
  }
  if (change.marketingConsent !== undefined) {
    Object.assign(withoutConsent(next), consentAt(change.marketingConsent, at, lead.consentRequestedAt));
  }
  return next;
}

function withoutConsent(lead: StoredLead): StoredLead {
  delete lead.consentRequestedAt;
  delete lead.consentConfirmedAt;
  delete lead.consentWithdrawnAt;
  return lead;
}

/** Timestamps from which marketingConsentState derives `consent` at `at`. */
function consentAt(consent: MarketingConsent, at: string, requestedBefore?: string): Partial<StoredLead> {
  const requested = requestedBefore ?? at;
  const timestamps: Partial<StoredLead> = {
    none: {},
    pending: { consentRequestedAt: at },
    confirmed: { consentRequestedAt: requested, consentConfirmedAt: at },
    withdrawn: { consentRequestedAt: requested, consentWithdrawnAt: at },
  }[consent];
  if (marketingConsentState(timestamps) !== consent) {
    throw new Error(`harness: timestamps ${JSON.stringify(timestamps)} do not derive ${consent}`);
  }
  return timestamps;
}

function storedLead(lead: LeadForNurture, at: string): StoredLead {
  const stored: StoredLead = {
    pk: `LEAD#${LEAD_ID}`,
    sk: 'PROFILE',
    leadId: LEAD_ID,
    email: 'nora@example.com',
    firstName: 'Nora',
    createdAt: at,
    updatedAt: at,
    version: 0,
    lifecycle: lead.lifecycle,
    funnelStage: lead.funnelStage,
    ...consentAt(lead.marketingConsent, at),
    ...(lead.suppressed === 'bounce' || lead.suppressed === 'complaint' ? { suppressed: lead.suppressed } : {}),
    ...(lead.nurture ? { nurture: lead.nurture } : {}),
    ...(lead.resumeAt ? { nurtureResumeAt: lead.resumeAt } : {}),
  };
  return stored;
}

/** What the planner sees of a stored lead. */
export function leadForNurture(lead: StoredLead): LeadForNurture {
  return {
    lifecycle: lead.lifecycle,
    marketingConsent: marketingConsentState(lead),
    suppressed: lead.suppressed ?? null,
    funnelStage: lead.funnelStage ?? null,
    ...(lead.nurture ? { nurture: lead.nurture } : {}),
    ...(lead.nurtureResumeAt ? { resumeAt: lead.nurtureResumeAt } : {}),
  };
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
