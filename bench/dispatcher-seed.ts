/**
 * Seed items for the dispatcher benchmark, in the shapes capture, consent confirmation and
 * classification store (shared/storage/lead-item.ts). The due leads are classified with the real
 * classifyLead and placed in the due index with the real nurtureFieldsFor/dueShardFor, exactly as
 * reclassifyLead would have left them, so the run's reclassification finds them unchanged.
 */
import { randomUUID } from 'node:crypto';
import { classifyForStorage } from '../shared/classification/classification-window';
import { nextDecayAt, type ScoringConfig } from '../shared/domain/classification';
import type { Interaction } from '../shared/domain/lead';
import type { NurtureConfig } from '../shared/domain/nurture';
import { InteractionRecorded } from '../shared/events/lead-events';
import { dueShardFor, nurtureFieldsFor } from '../shared/nurture/nurture-schedule';
import { leadIdFor } from '../shared/security/lead-id';
import { keys } from '../shared/storage/table-design';
import { BENCH_SIGNING_KEY } from './bench-env';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const FIRST_NAMES = ['Anna', 'Ben', 'Clara', 'David', 'Eva', 'Felix', 'Greta', 'Hannes', 'Ida', 'Jonas'];
const LAST_NAMES = ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker'];
const COMPANIES = ['Acme Industrie GmbH', 'Nordlicht Software AG', 'Bergmann Logistik KG', 'Rheinwerk Maschinenbau GmbH'];

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function profileBase(leadId: string, email: string, n: number, createdMs: number) {
  const createdAt = iso(createdMs);
  const confirmedAt = iso(createdMs + HOUR_MS);
  return {
    ...keys.lead(leadId),
    leadId,
    email,
    firstName: FIRST_NAMES[n % FIRST_NAMES.length]!,
    lastName: LAST_NAMES[n % LAST_NAMES.length]!,
    company: COMPANIES[n % COMPANIES.length]!,
    jobTitle: 'Head of Marketing',
    locale: n % 3 === 0 ? 'en' : 'de',
    createdAt,
    updatedAt: confirmedAt,
    version: 4,
    lifecycle: 'warm' as const,
    consentRequestedAt: createdAt,
    consentConfirmedAt: confirmedAt,
    consentEvidence: [
      {
        at: createdAt,
        ip: '203.0.113.10',
        userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
        form: 'newsletter',
        textVersion: '2026-11-v1',
      },
    ],
    optInSentAt: createdAt,
    optInSentAtClaim: randomUUID(),
  };
}

function interactionsFor(leadId: string, createdMs: number): Interaction[] {
  return [
    {
      id: randomUUID(),
      type: 'newsletter_signup',
      at: iso(createdMs),
      attribution: {
        utm_source: 'linkedin',
        utm_medium: 'paid-social',
        utm_campaign: 'q4-lead-types',
        page: 'https://www.leadpipe.example/ratgeber/lead-typen',
      },
    },
    { id: randomUUID(), type: 'consent_confirmed', at: iso(createdMs + HOUR_MS) },
  ].map((interaction) => ({ ...interaction, leadId }) as Interaction & { leadId: string });
}

function interactionItem(leadId: string, interaction: Interaction) {
  const detail = InteractionRecorded.schema.parse({
    leadId,
    interactionId: interaction.id,
    type: interaction.type,
    at: interaction.at,
    consentRequested: interaction.type === 'newsletter_signup',
  });
  return {
    ...keys.interaction(leadId, interaction.at, interaction.id),
    leadId,
    ...interaction,
    outbox: {
      source: InteractionRecorded.source,
      detailType: InteractionRecorded.detailType,
      detail: JSON.stringify(detail),
      time: interaction.at,
    },
  };
}

/** A classified lead as reclassifyLead stores it at `atMs`, with its nurture fields. */
function classifiedProfile(
  leadId: string,
  email: string,
  n: number,
  createdMs: number,
  atMs: number,
  nurture: Record<string, unknown>,
  scoring: ScoringConfig,
  nurtureConfig: NurtureConfig,
) {
  const base = profileBase(leadId, email, n, createdMs);
  const interactions = interactionsFor(leadId, createdMs);
  const at = iso(atMs);
  // As reclassifyLead stores it: only the interactions that earned points in interactionPoints, the lists bounded.
  const classification = classifyForStorage({
    lead: { email, company: base.company, lifecycle: 'warm', pql: false, createdAt: base.createdAt },
    interactions,
    config: scoring,
    now: at,
  });
  const fields = nurtureFieldsFor({ ...base, ...classification, nurture: nurture as never }, at, nurtureConfig);
  // As reclassifyLead's withDecayReview: due at the next step or when a scored interaction decays, whichever is first.
  const decayAt = nextDecayAt(interactions, classification.interactionPoints, scoring, at);
  let dueAt = fields.nurtureDueAt;
  let dueShard = fields.dueShard;
  if (decayAt && !(dueAt && dueAt <= decayAt)) {
    dueAt = decayAt;
    dueShard = dueShardFor(leadId, nurtureConfig.dueIndexShards);
  }
  const profile = {
    ...base,
    ...classification,
    classifiedAt: at,
    qualificationSeq: 0,
    nurture: fields.nurture,
    ...(dueAt && dueShard ? { nurtureDueAt: dueAt, dueShard } : {}),
  };
  return { profile, interactions };
}

/** `count` leads whose first ToFu step is due at `nowMs`: profile plus their two interactions each. */
export function dueLeadBatch(label: string, count: number, nowMs: number, scoring: ScoringConfig, nurtureConfig: NurtureConfig) {
  const items: Array<Record<string, unknown>> = [];
  const keyList: Array<Record<string, string>> = [];
  const at = iso(nowMs);
  for (let i = 0; i < count; i += 1) {
    const email = `due-${label}-${i}@nordlicht-software.example`;
    const leadId = leadIdFor(email, BENCH_SIGNING_KEY);
    const createdMs = nowMs - 3 * DAY_MS;
    const { profile, interactions } = classifiedProfile(
      leadId,
      email,
      i,
      createdMs,
      nowMs,
      { track: 'tofu', nextStep: 0, enteredAt: iso(createdMs) },
      scoring,
      nurtureConfig,
    );
    if (!profile.nurtureDueAt || profile.nurtureDueAt > at)
      throw new Error(`seeded lead ${leadId} is not due (${profile.nurtureDueAt ?? 'not in the index'})`);
    items.push(profile, ...interactions.map((interaction) => interactionItem(leadId, interaction)));
    keyList.push(keys.lead(leadId), ...interactions.map((interaction) => keys.interaction(leadId, interaction.at, interaction.id)));
  }
  return { items, keys: keyList };
}

/**
 * A lead that is not due: either waiting in the due index for its second ToFu step (a future
 * nurtureDueAt) or done with its track and so not in the index at all. Only the profile item: the
 * dispatcher never reads anything else of a lead that is not due.
 */
export function otherLeadProfile(
  label: string,
  kind: 'not-due' | 'not-in-index',
  nowMs: number,
  random: () => number,
  nurtureConfig: NurtureConfig,
): Record<string, unknown> {
  const n = Math.floor(random() * 1_000_000);
  const email = `lead-${label}@bergmann-logistik.example`;
  const leadId = leadIdFor(email, BENCH_SIGNING_KEY);
  const createdMs = nowMs - (10 + Math.floor(random() * 150)) * DAY_MS;
  const lastSentMs = nowMs - (1 + Math.floor(random() * 3)) * DAY_MS;
  const base = profileBase(leadId, email, n, createdMs);
  const confirmedAt = base.consentConfirmedAt;
  const profile: Record<string, unknown> = {
    ...base,
    qualification: 'unqualified',
    funnelStage: 'tofu',
    pql: false,
    score: 25,
    fitScore: 15,
    engagementScore: 10,
    scoreExplanation: [
      { reason: 'business email domain', points: 10, at: base.createdAt },
      { reason: 'company given', points: 5, at: base.createdAt },
      { reason: 'consent confirmed', points: 10, at: confirmedAt },
    ],
    interactionPoints: { [randomUUID()]: 0, [randomUUID()]: 10 },
    classifiedAt: confirmedAt,
    qualificationSeq: 0,
  };
  if (kind === 'not-due') {
    profile.nurture = { track: 'tofu', nextStep: 1, enteredAt: base.createdAt, lastSentAt: iso(lastSentMs) };
    profile.nurtureDueAt = iso(nowMs + (1 + Math.floor(random() * 9)) * DAY_MS);
    profile.dueShard = dueShardFor(leadId, nurtureConfig.dueIndexShards);
  } else {
    profile.nurture = { track: 'tofu', nextStep: 2, enteredAt: base.createdAt, lastSentAt: iso(lastSentMs) };
  }
  return profile;
}
