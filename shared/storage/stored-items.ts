import * as z from 'zod/mini';
import { FUNNEL_STAGES, INTERACTION_TYPES, type Interaction, LIFECYCLES, LOCALES, QUALIFICATIONS } from '../domain/lead';
import { RECYCLE_REASONS } from '../domain/sales-decision';
import type { LeadItem, SentEmailItem } from './lead-item';

/**
 * Items are parsed when they are read, not cast: an item written by an older version, by hand or by
 * a bug fails here, naming its key and the attribute, instead of somewhere downstream as
 * `undefined is not a function`. zod/mini, because every handler loads this module at cold start.
 *
 * Loose objects for the lead and sent-email items: attributes this schema does not know (claim
 * markers such as `salesNotifiedAtClaim`, the email status the feedback writes) are kept, not dropped.
 */
// Times are ISO strings; their format is the writers' business (toISOString), so a read only checks the type.
const isoTime = z.string();
const optionalString = z.optional(z.string());

const consentEvidence = z.object({ at: isoTime, ip: z.string(), userAgent: z.string(), form: z.string(), textVersion: z.string() });
const scoreContribution = z.object({ reason: z.string(), points: z.number(), at: z.string() });

const leadItemSchema = z.looseObject({
  pk: z.string(),
  sk: z.string(),
  leadId: z.string(),
  email: z.string(),
  firstName: optionalString,
  lastName: optionalString,
  company: optionalString,
  jobTitle: optionalString,
  phone: optionalString,
  locale: z.optional(z.enum(LOCALES)),
  createdAt: isoTime,
  updatedAt: isoTime,
  version: z.number(),
  lifecycle: z.enum(LIFECYCLES),
  consentRequestedAt: z.optional(isoTime),
  consentConfirmedAt: z.optional(isoTime),
  consentWithdrawnAt: z.optional(isoTime),
  consentEvidenceFirst: z.optional(consentEvidence),
  consentEvidenceLatest: z.optional(consentEvidence),
  consentEvidence: z.optional(z.array(consentEvidence)),
  optInSentAt: z.optional(isoTime),
  qualification: z.optional(z.enum(QUALIFICATIONS)),
  funnelStage: z.optional(z.nullable(z.enum(FUNNEL_STAGES))),
  pql: z.optional(z.boolean()),
  score: z.optional(z.number()),
  fitScore: z.optional(z.number()),
  engagementScore: z.optional(z.number()),
  scoreExplanation: z.optional(z.array(scoreContribution)),
  interactionPoints: z.optional(z.record(z.string(), z.number())),
  suppressed: z.optional(z.nullable(z.enum(['bounce', 'complaint']))),
  classifiedAt: z.optional(isoTime),
  qualificationSeq: z.optional(z.number()),
  mqlAt: z.optional(isoTime),
  pqlAt: z.optional(isoTime),
  engagementResetAt: z.optional(isoTime),
  nurture: z.optional(
    z.object({ track: z.enum(FUNNEL_STAGES), nextStep: z.number(), enteredAt: isoTime, lastSentAt: z.optional(isoTime) }),
  ),
  nurtureResumeAt: z.optional(isoTime),
  nurtureDueAt: z.optional(isoTime),
  dueShard: optionalString,
  createdDay: optionalString,
  salesQueue: optionalString,
  subscriberShard: optionalString,
  nurtureFailures: z.optional(z.array(z.object({ step: z.string(), templateId: z.string(), error: z.string(), at: z.string() }))),
  salesNotifiedAt: z.optional(isoTime),
  salesDecision: z.optional(
    z.nullable(
      z.object({
        decision: z.enum(['accepted', 'recycled']),
        reason: z.optional(z.enum(RECYCLE_REASONS)),
        at: isoTime,
        by: z.string(),
        kind: z.enum(['MQL', 'PQL']),
        seq: z.number(),
      }),
    ),
  ),
});

/** A plain object, not a loose one: the keys, the outbox entry and the consent evidence stay behind. */
const interactionSchema = z.object({
  id: z.string(),
  type: z.enum(INTERACTION_TYPES),
  at: isoTime,
  assetId: optionalString,
  funnelStage: z.optional(z.enum(FUNNEL_STAGES)),
  externalId: optionalString,
  messageId: optionalString,
  message: optionalString,
  channel: z.optional(z.enum(['web', 'email'])),
  slot: optionalString,
  legalBasis: optionalString,
  attribution: z.optional(
    z.object({
      utm_source: optionalString,
      utm_medium: optionalString,
      utm_campaign: optionalString,
      page: optionalString,
      referrer: optionalString,
    }),
  ),
});

const sentEmailSchema = z.looseObject({
  pk: z.string(),
  sk: z.string(),
  messageId: z.string(),
  templateId: z.string(),
  category: z.enum(['system', 'marketing', 'sales']),
  sentAt: isoTime,
  step: optionalString,
});

/**
 * The few attributes an import compares against: a projection of the lead item, so its schema is the
 * lead's own, picked; the classification (the fit score at import) may be absent on a projected read.
 */
const leadSummarySchema = z.extend(
  z.pick(leadItemSchema, {
    pk: true,
    sk: true,
    leadId: true,
    lifecycle: true,
    version: true,
    firstName: true,
    lastName: true,
    company: true,
  }),
  {
    ...z.partial(
      z.pick(leadItemSchema, {
        jobTitle: true,
        phone: true,
        email: true,
        createdAt: true,
        qualification: true,
        funnelStage: true,
        pql: true,
        score: true,
        fitScore: true,
        engagementScore: true,
        scoreExplanation: true,
        interactionPoints: true,
      }),
    ).shape,
    source: optionalString,
  },
);
export type LeadSummary = Partial<
  Pick<
    LeadItem,
    | 'jobTitle'
    | 'phone'
    | 'email'
    | 'createdAt'
    | 'qualification'
    | 'funnelStage'
    | 'pql'
    | 'score'
    | 'fitScore'
    | 'engagementScore'
    | 'scoreExplanation'
    | 'interactionPoints'
  >
> &
  Pick<LeadItem, 'leadId' | 'lifecycle' | 'version' | 'firstName' | 'lastName' | 'company'> & { source?: string };

export class InvalidStoredItemError extends Error {
  override name = 'InvalidStoredItemError';
}

function parseItem<T>(schema: z.ZodMiniType<T>, what: string, item: Record<string, unknown>): T {
  const result = schema.safeParse(item);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(item)'}: ${issue.code}`).join('; ');
  throw new InvalidStoredItemError(`stored ${what} ${String(item.pk)} ${String(item.sk)} is invalid: ${problems}`);
}

export const parseLeadItem = (item: Record<string, unknown>): LeadItem => parseItem(leadItemSchema, 'lead', item);
export const parseInteraction = (item: Record<string, unknown>): Interaction => parseItem(interactionSchema, 'interaction', item);
export const parseSentEmailItem = (item: Record<string, unknown>): SentEmailItem => parseItem(sentEmailSchema, 'email', item);
export const parseLeadSummary = (item: Record<string, unknown>): LeadSummary => parseItem(leadSummarySchema, 'lead', item);
