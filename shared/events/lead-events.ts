import * as z from 'zod/mini';
import { FUNNEL_STAGES, INTERACTION_TYPES, LIFECYCLES, QUALIFICATIONS } from '../domain/lead';
import { defineEvent } from './define-event';

export const APP_EVENT_SOURCE = 'leadpipe';

/**
 * Emitted (through the DynamoDB Streams outbox) for every stored interaction. The detail carries ids,
 * not PII, so the bus archive and dead-letter queues hold no personal data.
 */
export const InteractionRecorded = defineEvent({
  source: APP_EVENT_SOURCE,
  detailType: 'Interaction Recorded',
  schema: z.object({
    leadId: z.string().check(z.minLength(1)),
    interactionId: z.string().check(z.minLength(1)),
    type: z.enum(INTERACTION_TYPES),
    at: z.iso.datetime(),
    assetId: z.optional(z.string()),
    funnelStage: z.optional(z.enum(FUNNEL_STAGES)),
    /** true when this submission asked for marketing consent that is not yet confirmed: the opt-in mail is due */
    consentRequested: z.boolean(),
    /** true when the write that stored this interaction also created the lead's profile (the funnel counts a new lead) */
    leadCreated: z.optional(z.boolean()),
  }),
});

export const LeadStageChanged = defineEvent({
  source: APP_EVENT_SOURCE,
  detailType: 'Lead Stage Changed',
  schema: z.object({
    leadId: z.string().check(z.minLength(1)),
    field: z.enum(['lifecycle', 'qualification', 'funnelStage']),
    from: z.nullable(z.string()),
    to: z.nullable(z.string()),
    at: z.iso.datetime(),
  }),
});

/** What a subscriber such as a CRM needs to act on a qualified lead without calling back. */
export const leadSummarySchema = z.object({
  leadId: z.string(),
  email: z.string(),
  firstName: z.optional(z.string()),
  lastName: z.optional(z.string()),
  company: z.optional(z.string()),
  jobTitle: z.optional(z.string()),
  locale: z.string(),
  lifecycle: z.enum(LIFECYCLES),
  qualification: z.enum(QUALIFICATIONS),
  funnelStage: z.nullable(z.enum(FUNNEL_STAGES)),
  pql: z.boolean(),
  score: z.number(),
  fitScore: z.number(),
  engagementScore: z.number(),
});
export type LeadSummary = z.infer<typeof leadSummarySchema>;

const qualificationDetail = z.object({
  /** increments each time the lead qualifies again after a recycle: one notification per value */
  qualificationSeq: z.number().check(z.int(), z.nonnegative()),
  at: z.iso.datetime(),
  lead: leadSummarySchema,
});

export const LeadQualified = defineEvent({
  source: APP_EVENT_SOURCE,
  detailType: 'Lead Qualified',
  schema: qualificationDetail,
});

export const LeadProductQualified = defineEvent({
  source: APP_EVENT_SOURCE,
  detailType: 'Lead Product Qualified',
  schema: qualificationDetail,
});

export const LeadAccepted = defineEvent({
  source: APP_EVENT_SOURCE,
  detailType: 'Lead Accepted',
  schema: z.object({ at: z.iso.datetime(), decidedBy: z.string(), lead: leadSummarySchema }),
});

export const LeadRecycled = defineEvent({
  source: APP_EVENT_SOURCE,
  detailType: 'Lead Recycled',
  schema: z.object({
    at: z.iso.datetime(),
    decidedBy: z.string(),
    reason: z.enum(['not_a_fit', 'bad_timing', 'no_budget', 'other']),
    nurtureResumesAt: z.iso.datetime(),
    lead: leadSummarySchema,
  }),
});

export const ALL_APP_EVENTS = [
  InteractionRecorded,
  LeadStageChanged,
  LeadQualified,
  LeadProductQualified,
  LeadAccepted,
  LeadRecycled,
] as const;
