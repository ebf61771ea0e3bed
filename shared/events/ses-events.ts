import * as z from 'zod/mini';
import { defineEvent } from './define-event';

/**
 * SES publishes sending events (configuration set → EventBridge destination) to the default bus,
 * and a forwarding rule brings them to the app bus. Only the fields leadpipe reads are declared;
 * the rest of SES's record passes through untouched.
 */
export const SES_EVENT_SOURCE = 'aws.ses';

const mail = z.looseObject({
  messageId: z.string(),
  timestamp: z.optional(z.string()),
  destination: z.optional(z.array(z.string())),
  /** EmailTags as SES reports them: tag name → values */
  tags: z.optional(z.record(z.string(), z.array(z.string()))),
});

export const SesEmailBounced = defineEvent({
  source: SES_EVENT_SOURCE,
  detailType: 'Email Bounced',
  schema: z.looseObject({
    eventType: z.literal('Bounce'),
    mail,
    bounce: z.looseObject({ bounceType: z.enum(['Permanent', 'Transient', 'Undetermined']), timestamp: z.optional(z.string()) }),
  }),
});

export const SesEmailComplaint = defineEvent({
  source: SES_EVENT_SOURCE,
  detailType: 'Email Complaint Received',
  schema: z.looseObject({ eventType: z.literal('Complaint'), mail, complaint: z.looseObject({ timestamp: z.optional(z.string()) }) }),
});

export const SesEmailClicked = defineEvent({
  source: SES_EVENT_SOURCE,
  detailType: 'Email Clicked',
  schema: z.looseObject({
    eventType: z.literal('Click'),
    mail,
    click: z.looseObject({ timestamp: z.optional(z.string()), link: z.optional(z.string()) }),
  }),
});

export const SesEmailOpened = defineEvent({
  source: SES_EVENT_SOURCE,
  detailType: 'Email Opened',
  schema: z.looseObject({ eventType: z.literal('Open'), mail, open: z.looseObject({ timestamp: z.optional(z.string()) }) }),
});

export const SesEmailDelivered = defineEvent({
  source: SES_EVENT_SOURCE,
  detailType: 'Email Delivered',
  schema: z.looseObject({ eventType: z.literal('Delivery'), mail, delivery: z.looseObject({ timestamp: z.optional(z.string()) }) }),
});

/** The SES events the feedback handler acts on (deliveries: only the campaign figures count them). */
export const SES_FEEDBACK_EVENTS = [SesEmailBounced, SesEmailComplaint, SesEmailClicked, SesEmailOpened, SesEmailDelivered] as const;
