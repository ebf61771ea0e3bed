/**
 * Pure lead classification: (lead, interactions, rules, now) → lifecycle, qualification,
 * funnel stage, PQL flag and an explained score. No I/O, no clock: `now` is an input.
 *
 * Conventions a caller must know:
 * - The interactions are treated as a set: the same id counts once, and "the first interaction of
 *   each asset/webinar/trial/message" is decided by (at, id), never by array order.
 * - An interaction "counts" when it is newer than `engagementResetAt` and not older than
 *   `decay.decayDays` before `now`. Only counting interactions earn engagement points or make a
 *   hand-raiser MQL. The others appear in `interactionPoints` with 0 and have no explanation line.
 * - `scoreExplanation` lists exactly the contributions with non-zero points, so its points add up
 *   to `score`. Fit lines come first (at = profileKnownAt, else now), then engagement lines ordered by (at, reason).
 * - Funnel stage, PQL and the "warm" lifecycle look at all interactions, ignoring decay and reset.
 */
import {
  FUNNEL_STAGES,
  LIFECYCLES,
  type Classification,
  type FunnelStage,
  type Interaction,
  type Lifecycle,
  type ScoreContribution,
} from '../lead';
import type { ScoringConfig } from './scoring-config';

export interface LeadForClassification {
  email: string;
  company?: string;
  /** current stored lifecycle; classification never moves it backwards */
  lifecycle: Lifecycle;
  /** current stored pql flag */
  pql: boolean;
  /** set when sales recycles a lead: interactions at or before it earn no engagement points and trigger no hand-raiser MQL */
  engagementResetAt?: string;
  /**
   * when the profile facts behind the fit score became known (the lead's creation); fit lines carry
   * this time, so re-running the same classification later yields the same explanation. Defaults to `now`.
   */
  profileKnownAt?: string;
}

export interface ClassifyLeadInput {
  lead: LeadForClassification;
  interactions: readonly Interaction[];
  config: ScoringConfig;
  now: string;
}

export interface StageChange {
  field: 'lifecycle' | 'qualification' | 'funnelStage';
  from: string | null;
  to: string | null;
}

export interface ClassificationDiff {
  changes: StageChange[];
  becameMql: boolean;
  becamePql: boolean;
}

interface TimedInteraction {
  interaction: Interaction;
  atMs: number;
}

interface TimedContribution extends ScoreContribution {
  atMs: number;
}

interface EngagementResult {
  contributions: TimedContribution[];
  interactionPoints: Record<string, number>;
  handRaised: boolean;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function classifyLead({ lead, interactions, config, now }: ClassifyLeadInput): Classification {
  const nowMs = parseTimestamp(now, 'now');
  const timeline = toTimeline(interactions);
  const counts = countingFilter(lead, config, nowMs);

  const fit = fitContributions(lead, config.fit, lead.profileKnownAt ?? now);
  const engagement = scoreEngagement(timeline, config.engagement, counts);
  const fitScore = sumPoints(fit);
  const engagementScore = sumPoints(engagement.contributions);
  const score = fitScore + engagementScore;

  const lifecycle = nextLifecycle(lead.lifecycle, {
    interacted: timeline.length > 0,
    mql: score >= config.stages.mqlThreshold || engagement.handRaised,
  });
  const qualified = score >= config.stages.qualifiedThreshold || isMqlOrBeyond(lifecycle);

  return {
    lifecycle,
    qualification: qualified ? 'qualified' : 'unqualified',
    funnelStage: highestFunnelStage(timeline),
    pql: lead.pql || timeline.some(({ interaction }) => interaction.type === 'trial_started'),
    fitScore,
    engagementScore,
    score,
    scoreExplanation: [...fit, ...sortContributions(engagement.contributions)].map(({ reason, points, at }) => ({
      reason,
      points,
      at,
    })),
    interactionPoints: engagement.interactionPoints,
  };
}

export function diffClassification(
  before: Pick<Classification, 'lifecycle' | 'qualification' | 'funnelStage' | 'pql'>,
  after: Classification,
): ClassificationDiff {
  const fields = ['lifecycle', 'qualification', 'funnelStage'] as const;
  const changes = fields
    .filter((field) => before[field] !== after[field])
    .map((field): StageChange => ({ field, from: before[field], to: after[field] }));
  return {
    changes,
    becameMql: !isMqlOrBeyond(before.lifecycle) && after.lifecycle === 'mql',
    becamePql: !before.pql && after.pql,
  };
}

// --- interactions as a set -------------------------------------------------------------------

/** Unique by id, sorted by (at, id). */
function toTimeline(interactions: readonly Interaction[]): TimedInteraction[] {
  const byId = new Map<string, TimedInteraction>();
  for (const interaction of interactions) {
    const candidate = { interaction, atMs: parseTimestamp(interaction.at, `interaction ${interaction.id} at`) };
    const existing = byId.get(interaction.id);
    if (!existing || compareDuplicates(candidate, existing) < 0) byId.set(interaction.id, candidate);
  }
  return [...byId.values()].sort((a, b) => a.atMs - b.atMs || compareStrings(a.interaction.id, b.interaction.id));
}

/** Duplicates are normally identical redeliveries; if they differ, pick one independently of array order. */
function compareDuplicates(a: TimedInteraction, b: TimedInteraction): number {
  return a.atMs - b.atMs || compareStrings(duplicateKey(a.interaction), duplicateKey(b.interaction));
}

function duplicateKey(i: Interaction): string {
  return JSON.stringify([i.at, i.type, i.assetId, i.funnelStage, i.externalId, i.messageId, i.message]);
}

function countingFilter(lead: LeadForClassification, config: ScoringConfig, nowMs: number) {
  const decayCutoffMs = nowMs - config.decay.decayDays * DAY_MS;
  const resetMs = lead.engagementResetAt === undefined ? undefined : parseTimestamp(lead.engagementResetAt, 'engagementResetAt');
  return ({ atMs }: TimedInteraction): boolean => atMs >= decayCutoffMs && (resetMs === undefined || atMs > resetMs);
}

// --- fit ------------------------------------------------------------------------------------

function fitContributions(lead: LeadForClassification, fit: ScoringConfig['fit'], at: string): ScoreContribution[] {
  const contributions: ScoreContribution[] = [];
  if (isBusinessEmail(lead.email, fit.freemailDomains)) {
    contributions.push({ reason: 'business email domain', points: fit.businessEmailPoints, at });
  }
  if (lead.company !== undefined && lead.company.trim() !== '') {
    contributions.push({ reason: 'company given', points: fit.companyGivenPoints, at });
  }
  return contributions.filter((c) => c.points !== 0);
}

function isBusinessEmail(email: string, freemailDomains: readonly string[]): boolean {
  const at = email.lastIndexOf('@');
  if (at < 1) return false;
  const domain = email
    .slice(at + 1)
    .trim()
    .toLowerCase();
  return domain !== '' && !freemailDomains.includes(domain);
}

// --- engagement -----------------------------------------------------------------------------

function scoreEngagement(
  timeline: readonly TimedInteraction[],
  rules: ScoringConfig['engagement'],
  counts: (t: TimedInteraction) => boolean,
): EngagementResult {
  const contributions: TimedContribution[] = [];
  const pointsById: Array<[string, number]> = [];
  const scoredKeys = new Set<string>();
  let handRaised = false;

  for (const timed of timeline) {
    const { interaction } = timed;
    const key = onceKey(interaction);
    if (!counts(timed) || scoredKeys.has(key)) {
      pointsById.push([interaction.id, 0]);
      continue;
    }
    scoredKeys.add(key);
    if (interaction.type === 'contact' || interaction.type === 'call_requested') handRaised = true;
    const { reason, points } = engagementRule(interaction, rules);
    pointsById.push([interaction.id, points]);
    if (points !== 0) contributions.push({ reason, points, at: interaction.at, atMs: timed.atMs });
  }

  // fromEntries defines own properties, so an id like "__proto__" is stored, not swallowed
  return { contributions, interactionPoints: Object.fromEntries(pointsById), handRaised };
}

/** Interactions with the same key earn points only once (the earliest counting one). */
function onceKey(i: Interaction): string {
  switch (i.type) {
    case 'consent_confirmed':
    case 'newsletter_signup':
    case 'contact':
      return i.type;
    case 'download':
      return perReference(i, i.assetId);
    case 'webinar_attended':
    case 'webinar_registered':
    case 'trial_started':
    case 'call_requested':
      return perReference(i, i.externalId);
    case 'email_click':
    case 'email_open':
      return perReference(i, i.messageId);
  }
}

/** Without a reference the interaction cannot be matched to others, so it stands alone. */
function perReference(i: Interaction, reference: string | undefined): string {
  return reference === undefined ? `${i.type} id ${i.id}` : `${i.type} ref ${reference}`;
}

function engagementRule(i: Interaction, rules: ScoringConfig['engagement']): { reason: string; points: number } {
  switch (i.type) {
    case 'consent_confirmed':
      return { reason: 'consent confirmed', points: rules.consentConfirmedPoints };
    case 'newsletter_signup':
      return { reason: 'newsletter signup', points: rules.newsletterSignupPoints };
    case 'download': {
      const stage = downloadStage(i);
      return { reason: `download: ${i.assetId ?? 'unknown asset'} (${stage})`, points: rules.downloadPoints[stage] };
    }
    case 'webinar_attended':
      return { reason: withReference('webinar attended', i.externalId), points: rules.webinarAttendedPoints };
    case 'webinar_registered':
      return { reason: withReference('webinar registered', i.externalId), points: rules.webinarRegisteredPoints };
    case 'call_requested':
      return { reason: 'expert call requested', points: rules.callRequestedPoints };
    case 'email_click':
      return { reason: withReference('email click', i.messageId), points: rules.emailClickPoints };
    case 'email_open':
      return { reason: withReference('email open', i.messageId), points: rules.emailOpenPoints };
    case 'contact':
      return { reason: 'contact request', points: rules.contactPoints };
    case 'trial_started':
      return { reason: withReference('trial started', i.externalId), points: rules.trialStartedPoints };
  }
}

function withReference(label: string, reference: string | undefined): string {
  return reference === undefined ? label : `${label}: ${reference}`;
}

/** A download without a catalogue stage is still content consumed; assume the lowest stage. */
function downloadStage(i: Interaction): FunnelStage {
  return i.funnelStage ?? 'tofu';
}

// --- stages ---------------------------------------------------------------------------------

function nextLifecycle(current: Lifecycle, signals: { interacted: boolean; mql: boolean }): Lifecycle {
  const derived: Lifecycle = signals.mql ? 'mql' : signals.interacted ? 'warm' : current;
  return LIFECYCLES.indexOf(derived) > LIFECYCLES.indexOf(current) ? derived : current;
}

function isMqlOrBeyond(lifecycle: Lifecycle): boolean {
  return lifecycle === 'mql' || lifecycle === 'sql';
}

function highestFunnelStage(timeline: readonly TimedInteraction[]): FunnelStage | null {
  let highest: FunnelStage | null = null;
  for (const { interaction } of timeline) {
    const stage = funnelStageOf(interaction);
    if (stage !== null && (highest === null || FUNNEL_STAGES.indexOf(stage) > FUNNEL_STAGES.indexOf(highest))) {
      highest = stage;
    }
  }
  return highest;
}

function funnelStageOf(i: Interaction): FunnelStage | null {
  switch (i.type) {
    case 'newsletter_signup':
      return 'tofu';
    case 'download':
      return downloadStage(i);
    case 'webinar_attended':
    case 'webinar_registered':
      return 'mofu';
    case 'contact':
    case 'trial_started':
    case 'call_requested':
      return 'bofu';
    case 'consent_confirmed':
    case 'email_click':
    case 'email_open':
      return null;
  }
}

// --- helpers --------------------------------------------------------------------------------

function sortContributions(contributions: readonly TimedContribution[]): TimedContribution[] {
  return [...contributions].sort(
    (a, b) => a.atMs - b.atMs || compareStrings(a.reason, b.reason) || compareStrings(a.at, b.at) || a.points - b.points,
  );
}

function sumPoints(contributions: readonly ScoreContribution[]): number {
  return contributions.reduce((total, c) => total + c.points, 0);
}

/** Code-unit order, independent of the runtime locale (localeCompare is not). */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function parseTimestamp(value: string, label: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new Error(`classifyLead: ${label} is not a valid ISO-8601 timestamp: ${JSON.stringify(value)}`);
  return ms;
}
