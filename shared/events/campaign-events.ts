import * as z from 'zod/mini';
import { defineEvent } from './define-event';
import { APP_EVENT_SOURCE } from './lead-events';

/**
 * Campaign events. All go through the DynamoDB Streams outbox (an INSERT of an item that carries them),
 * so each is published once the write that states the fact has happened, and never without it.
 * Details carry ids and counts, no personal data.
 */

/**
 * A campaign was stored by `campaign send` (inserted with the campaign item; a second send of the same id
 * inserts nothing, so there is no second event). The planner starts at `sendAt` (now or later): it moves the
 * campaign scheduled → sending, pages the subscribers index shard by shard and enqueues one send per recipient.
 */
export const CampaignScheduled = defineEvent({
  source: APP_EVENT_SOURCE,
  detailType: 'Campaign Scheduled',
  schema: z.object({
    campaignId: z.string().check(z.minLength(1)),
    sendAt: z.iso.datetime(),
    at: z.iso.datetime(),
  }),
});

/**
 * One per recipient: SES accepted the campaign mail to this lead (inserted with the mail's record in the same
 * transaction as the claim marked sent, so exactly one per claim).
 */
export const CampaignSent = defineEvent({
  source: APP_EVENT_SOURCE,
  detailType: 'Campaign Sent',
  schema: z.object({
    campaignId: z.string().check(z.minLength(1)),
    leadId: z.string().check(z.minLength(1)),
    messageId: z.string().check(z.minLength(1)),
    at: z.iso.datetime(),
  }),
});

/** The campaign moved sending → finished: every recipient was tried. `sent` is the count at that moment. */
export const CampaignFinished = defineEvent({
  source: APP_EVENT_SOURCE,
  detailType: 'Campaign Finished',
  schema: z.object({
    campaignId: z.string().check(z.minLength(1)),
    sent: z.number().check(z.int(), z.nonnegative()),
    at: z.iso.datetime(),
  }),
});

export const CAMPAIGN_EVENTS = [CampaignScheduled, CampaignSent, CampaignFinished] as const;
