import * as z from 'zod/mini';
import { FUNNEL_STAGES, QUALIFICATIONS } from '../domain/lead';
import { defineEvent } from '../events/define-event';
import { APP_EVENT_SOURCE } from '../events/lead-events';
import { SES_EVENT_SOURCE, SesEmailBounced, SesEmailClicked, SesEmailComplaint, SesEmailOpened } from '../events/ses-events';

/**
 * The two events only the funnel projection reads (the others it reads are declared in shared/events/).
 */

/**
 * SES's send event (eventType Send): the lead-mail configuration set publishes it on AWS and the forward rule brings
 * it to the app bus with the other SES events. The local SES emulator publishes none, so locally `sent` stays 0.
 */
export const SesEmailSent = defineEvent({
  source: SES_EVENT_SOURCE,
  detailType: 'Email Sent',
  schema: z.looseObject({
    eventType: z.literal('Send'),
    mail: z.looseObject({
      messageId: z.string(),
      timestamp: z.optional(z.string()),
      tags: z.optional(z.record(z.string(), z.array(z.string()))),
    }),
  }),
});

/**
 * `leadpipe import` created a cold lead (no interaction, so no Interaction Recorded): written through the outbox in the
 * same transaction as the lead, with the stages the import stored.
 */
export const LeadImported = defineEvent({
  source: APP_EVENT_SOURCE,
  detailType: 'Lead Imported',
  schema: z.object({
    leadId: z.string().check(z.minLength(1)),
    at: z.iso.datetime(),
    qualification: z.enum(QUALIFICATIONS),
    funnelStage: z.nullable(z.enum(FUNNEL_STAGES)),
    pql: z.boolean(),
  }),
});

/** The SES events the funnel counts per template (its own list: deliveries and whatever else SES reports are not counted). */
export const FUNNEL_MAIL_EVENTS = [SesEmailSent, SesEmailOpened, SesEmailClicked, SesEmailBounced, SesEmailComplaint] as const;
