import { createHash } from 'node:crypto';
import { isMailToLead } from '../email/configuration-sets';
import type { DetailOf } from '../events/define-event';
import type { SesEmailBounced, SesEmailClicked, SesEmailComplaint, SesEmailDelivered, SesEmailOpened } from '../events/ses-events';
import { CAMPAIGN_TAG, campaignIdOfTemplate } from '../campaigns/campaign';
import type { CampaignStore, FeedbackCounter } from '../campaigns/campaign-store';
import { emailClickOnce } from './email-click';
import type { FeedbackStore } from './feedback-store';

export type SesFeedback =
  | { kind: 'bounce'; detail: DetailOf<typeof SesEmailBounced> }
  | { kind: 'complaint'; detail: DetailOf<typeof SesEmailComplaint> }
  | { kind: 'click'; detail: DetailOf<typeof SesEmailClicked> }
  | { kind: 'open'; detail: DetailOf<typeof SesEmailOpened> }
  | { kind: 'delivery'; detail: DetailOf<typeof SesEmailDelivered> };

/** The campaign figure each kind of feedback adds to (a transient bounce adds nothing). */
const CAMPAIGN_COUNTER: Record<SesFeedback['kind'], FeedbackCounter> = {
  bounce: 'bounced',
  complaint: 'complained',
  click: 'clicked',
  open: 'opened',
  delivery: 'delivered',
};

export type FeedbackOutcome = 'suppressed' | 'ignored' | 'recorded' | 'duplicate' | 'unknown-lead' | 'not-lead-mail';

/**
 * Acts on SES feedback about mail that went to the lead: a permanent bounce or a complaint
 * suppresses the lead, a click or open becomes an interaction that classification scores. The lead
 * comes from the message's EmailTags, or from the message-id lookup item written at send time.
 * Feedback on any other mail (the sales notification about the lead) changes nothing: a
 * salesperson's click is not the lead's, and a bouncing sales mailbox says nothing about the lead.
 *
 * Feedback on a campaign mail (its `campaign` tag, or a lookup item recorded as `campaign:<id>`) also adds to
 * the campaign's figures, once per message and kind (CampaignStore.countFeedback), after the lead-side effect.
 */
export async function handleSesFeedback(
  feedback: SesFeedback,
  eventTime: string,
  deps: { store: FeedbackStore; campaigns?: Pick<CampaignStore, 'countFeedback'> },
): Promise<FeedbackOutcome> {
  const { store } = deps;
  const recipient = await recipientOf(store, feedback.detail.mail);
  if (recipient === 'not-lead') return 'not-lead-mail';
  const leadId = recipient?.leadId;
  if (!leadId) return 'unknown-lead';
  const outcome = await actOnLead(feedback, eventTime, store, leadId);
  const campaignId = recipient.campaignId;
  if (campaignId && deps.campaigns && !(feedback.kind === 'bounce' && outcome === 'ignored')) {
    const counted = await deps.campaigns.countFeedback(campaignId, leadId, CAMPAIGN_COUNTER[feedback.kind]);
    // A delivery changes nothing on the lead; for a campaign mail it is recorded in the campaign's figures.
    if (feedback.kind === 'delivery') return counted ? 'recorded' : 'duplicate';
  }
  return outcome;
}

async function actOnLead(feedback: SesFeedback, eventTime: string, store: FeedbackStore, leadId: string): Promise<FeedbackOutcome> {
  const messageId = feedback.detail.mail.messageId;
  switch (feedback.kind) {
    case 'delivery':
      return 'ignored';
    case 'bounce':
      // A transient bounce is a full mailbox or a greylisting server: worth trying again later.
      if (feedback.detail.bounce.bounceType !== 'Permanent') return 'ignored';
      return (await store.suppressLead(leadId, 'bounce', eventTime)) ? 'suppressed' : 'unknown-lead';
    case 'complaint':
      return (await store.suppressLead(leadId, 'complaint', eventTime)) ? 'suppressed' : 'unknown-lead';
    case 'click': {
      const at = isoOr(feedback.detail.click.timestamp, eventTime);
      // Once per message: a click the offer page already counted (or an earlier click on another link) is not counted again.
      const { id, onceKey } = emailClickOnce(messageId);
      const result = await store.recordInteraction(leadId, { id, type: 'email_click', at, messageId }, onceKey);
      return result === 'no-lead' ? 'unknown-lead' : result;
    }
    case 'open': {
      const at = isoOr(feedback.detail.open.timestamp, eventTime);
      // Derived from the SES record, so a redelivered event is the same interaction; opens score 0, so each is kept.
      const id = createHash('sha256').update(`email_open:${messageId}:${at}`).digest('hex').slice(0, 32);
      const result = await store.recordInteraction(leadId, { id, type: 'email_open', at, messageId });
      return result === 'no-lead' ? 'unknown-lead' : result;
    }
  }
}

/**
 * The lead a message went to, decided by its `category` tag (every message leadpipe sends carries
 * one) or, without tags, by the lookup item written at send time.
 */
async function recipientOf(
  store: FeedbackStore,
  mail: { messageId: string; tags?: Record<string, string[]> },
): Promise<{ leadId?: string; campaignId?: string } | 'not-lead'> {
  const category = mail.tags?.category?.[0];
  if (category !== undefined && !isMailToLead(category)) return 'not-lead';
  const tagged = mail.tags?.leadId?.[0];
  const campaignTag = mail.tags?.[CAMPAIGN_TAG]?.[0];
  if (tagged && category !== undefined) return { leadId: tagged, ...(campaignTag ? { campaignId: campaignTag } : {}) };
  const lookup = await store.messageLookup(mail.messageId);
  if (!lookup) return { leadId: tagged, ...(campaignTag ? { campaignId: campaignTag } : {}) };
  // Lookup items from before categories were recorded: the sales notification is the one mail to sales.
  const sentCategory = lookup.category ?? (lookup.templateId === 'sales-notification' ? 'sales' : 'system');
  if (!isMailToLead(sentCategory)) return 'not-lead';
  const campaignId = campaignTag ?? campaignIdOfTemplate(lookup.templateId);
  return { leadId: tagged ?? lookup.leadId, ...(campaignId ? { campaignId } : {}) };
}

function isoOr(value: string | undefined, fallback: string): string {
  const ms = value ? Date.parse(value) : Number.NaN;
  return Number.isNaN(ms) ? fallback : new Date(ms).toISOString();
}
