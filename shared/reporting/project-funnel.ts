import { isMailToLead } from '../email/configuration-sets';
import type { DetailOf } from '../events/define-event';
import { InteractionRecorded, LeadProductQualified, LeadQualified, LeadStageChanged } from '../events/lead-events';
import type { SesEmailBounced, SesEmailClicked, SesEmailComplaint, SesEmailOpened } from '../events/ses-events';
import {
  emailEvent,
  IMPORT_FIRST_TOUCH,
  leadCreated,
  leadProductQualified,
  leadQualified,
  needsFirstTouch,
  type ProjectionChange,
  stageChanged,
  UNKNOWN_FIRST_TOUCH,
} from './funnel-projection';
import { FUNNEL_MAIL_EVENTS, LeadImported, type SesEmailSent } from './funnel-events';
import type { EmailCounter, FunnelProjectionWriter } from './funnel-projection-store';

/** Every event the funnel projection reads. */
export const FUNNEL_PROJECTION_EVENTS = [
  InteractionRecorded,
  LeadImported,
  LeadStageChanged,
  LeadQualified,
  LeadProductQualified,
  ...FUNNEL_MAIL_EVENTS,
] as const;

/** How long a claim outlives its fact: EventBridge retries for 24 h, and a dead-letter queue holds events for 14 days. */
export const EVENT_CLAIM_DAYS = 15;
/**
 * Mail counters are claimed per message and kind (a second open of the same mail is not a second open), for as long as
 * anyone reads a mail's statistics: after that, a very late repeat open would count again.
 */
export const MESSAGE_CLAIM_DAYS = 90;

export type ProjectedEvent =
  | { id: string; time: string; detailType: 'Interaction Recorded'; detail: DetailOf<typeof InteractionRecorded> }
  | { id: string; time: string; detailType: 'Lead Imported'; detail: DetailOf<typeof LeadImported> }
  | { id: string; time: string; detailType: 'Lead Stage Changed'; detail: DetailOf<typeof LeadStageChanged> }
  | { id: string; time: string; detailType: 'Lead Qualified'; detail: DetailOf<typeof LeadQualified> }
  | { id: string; time: string; detailType: 'Lead Product Qualified'; detail: DetailOf<typeof LeadProductQualified> }
  | { id: string; time: string; detailType: 'Email Sent'; detail: DetailOf<typeof SesEmailSent> }
  | { id: string; time: string; detailType: 'Email Opened'; detail: DetailOf<typeof SesEmailOpened> }
  | { id: string; time: string; detailType: 'Email Clicked'; detail: DetailOf<typeof SesEmailClicked> }
  | { id: string; time: string; detailType: 'Email Bounced'; detail: DetailOf<typeof SesEmailBounced> }
  | { id: string; time: string; detailType: 'Email Complaint Received'; detail: DetailOf<typeof SesEmailComplaint> };

export type ProjectOutcome = 'applied' | 'duplicate' | 'ignored';

const MAIL_COUNTER: Record<string, EmailCounter> = {
  'Email Sent': 'sent',
  'Email Opened': 'opened',
  'Email Clicked': 'clicked',
  'Email Bounced': 'bounced',
  'Email Complaint Received': 'complained',
};

/**
 * Projects one event into the funnel's aggregate items, once: a claim is written in the same transaction as the
 * counters. The claim names the fact, not the EventBridge event id: a redelivery keeps its id, but the outbox relay may
 * publish one stored event twice (under two ids), and both must count once. What an event does not carry is looked up
 * by key (the lead's first touch for a new lead, an MQL or an SQL; a message's template when SES reports no tags),
 * never by Scan.
 */
export async function projectFunnelEvent(event: ProjectedEvent, deps: { store: FunnelProjectionWriter }): Promise<ProjectOutcome> {
  const { store } = deps;
  const once = (fact: string, change: ProjectionChange) => apply(store, { id: fact, at: event.time, keepDays: EVENT_CLAIM_DAYS }, change);
  switch (event.detailType) {
    case 'Interaction Recorded': {
      const { leadId, interactionId } = event.detail;
      if (!event.detail.leadCreated) return 'ignored';
      // Every write that creates a lead with an interaction (form, signal, booking) creates it warm and unscored.
      const firstTouch = await store.firstTouch(leadId);
      return once(`created:${leadId}:${interactionId}`, leadCreated({ at: event.detail.at, stages: { lifecycle: 'warm' }, firstTouch }));
    }
    case 'Lead Imported': {
      const { leadId, at, qualification, funnelStage, pql } = event.detail;
      const stages = { lifecycle: 'cold', qualification, funnelStage, pql } as const;
      return once(`created:${leadId}:import:${at}`, leadCreated({ at, stages, firstTouch: IMPORT_FIRST_TOUCH }));
    }
    case 'Lead Stage Changed': {
      const { leadId, field, from, to, at } = event.detail;
      const firstTouch = needsFirstTouch(event.detail) ? await store.firstTouch(leadId) : UNKNOWN_FIRST_TOUCH;
      return once(`stage:${leadId}:${field}:${from}>${to}:${at}`, stageChanged(event.detail, firstTouch));
    }
    case 'Lead Qualified':
      return once(`qualified:${event.detail.lead.leadId}:${event.detail.qualificationSeq}`, leadQualified(event.detail));
    case 'Lead Product Qualified':
      return once(`pql:${event.detail.lead.leadId}`, leadProductQualified());
    default: {
      const counter = MAIL_COUNTER[event.detailType]!;
      const { mail } = event.detail;
      let templateId = mail.tags?.template?.[0];
      let category = mail.tags?.category?.[0];
      if (templateId === undefined || category === undefined) {
        const sent = await store.sentMessage(mail.messageId);
        templateId ??= sent?.templateId;
        category ??= sent?.category;
      }
      // Sales mail names no lead and is no marketing mail: its opens are a salesperson's.
      if (category !== undefined && !isMailToLead(category)) return 'ignored';
      const at = timeOf(event);
      const claim = { id: `mail:${counter}:${mail.messageId}`, at, keepDays: MESSAGE_CLAIM_DAYS };
      return apply(store, claim, emailEvent({ counter, templateId, at }));
    }
  }
}

/**
 * A one-click unsubscribe, in the figures of the mail whose link it was: the link names its template (a nurture step's,
 * or `campaign:<id>`). Not an event: the unsubscribe handler calls it after a withdrawal it made (repeated presses of
 * the link repeat it), and the claim makes them count once per lead and mail. Links from before templates were named
 * count under no template.
 */
export async function projectUnsubscribe(
  input: { leadId: string; data?: Record<string, string> | undefined; at: string },
  deps: { store: FunnelProjectionWriter },
): Promise<ProjectOutcome> {
  const templateId = input.data?.template ?? (input.data?.campaign ? `campaign:${input.data.campaign}` : undefined);
  // Per lead and mail: pressing the link again (the withdrawal is repeated, harmlessly) counts nothing more.
  const claim = { id: `unsubscribe:${input.leadId}:${templateId ?? ''}`, at: input.at, keepDays: EVENT_CLAIM_DAYS };
  return apply(deps.store, claim, emailEvent({ counter: 'unsubscribed', templateId, at: input.at }));
}

async function apply(
  store: FunnelProjectionWriter,
  claim: { id: string; at: string; keepDays: number },
  change: ProjectionChange,
): Promise<ProjectOutcome> {
  if (change.increments.length === 0 && change.keyed.length === 0) return 'ignored';
  return store.apply(claim, change);
}

/** A mail event counts on the day SES reports for it (the event's own timestamp), else on the event's time. */
function timeOf(event: Extract<ProjectedEvent, { detail: { mail: unknown } }>): string {
  const detail = event.detail as Record<string, unknown>;
  const own = ['open', 'click', 'bounce', 'complaint'].map((name) => (detail[name] as { timestamp?: unknown } | undefined)?.timestamp);
  const candidates = [...own, event.detail.mail.timestamp];
  for (const value of candidates) {
    if (typeof value !== 'string') continue;
    const ms = Date.parse(value);
    if (!Number.isNaN(ms)) return new Date(ms).toISOString();
  }
  return event.time;
}
