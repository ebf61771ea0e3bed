import type { SalesNotificationVariables, SalesTimelineEntry } from '../email/email-templates';
import type { Attribution, Interaction, Locale } from '../domain/lead';
import type { LeadItem } from '../storage/lead-item';
import {
  assetLabel,
  interactionLabel,
  languageLabel,
  qualificationLabel,
  scoreReasonLabel,
  stageLabel,
  webinarLabel,
} from './sales-labels';
import { salesDateTime } from './sales-time';

/** How sales reads the mail: its language (SALES_LOCALE) and its time zone (the expert call's, Europe/Berlin). */
export interface SalesView {
  locale: Locale;
  timeZone: string;
}

/**
 * The sales email's content, built purely from what is stored: who the lead is, why it scored,
 * what it did and where it came from, every value in the sales locale and time zone (stored values
 * stay as they are). Escaping happens in the template, never here.
 */
export function salesNotificationContent(
  lead: LeadItem,
  interactions: readonly Interaction[],
  kind: 'MQL' | 'PQL',
  links: { acceptUrl: string; recycleUrl: string; leadUrl: string },
  view: SalesView,
  call: { slot: string; icsUrl: string } = { slot: '', icsUrl: '' },
): SalesNotificationVariables {
  const firstName = lead.firstName ?? '';
  const lastName = lead.lastName ?? '';
  const contact = [...interactions].reverse().find((interaction) => interaction.type === 'contact');
  const leadLocale = lead.locale ?? 'de';
  return {
    qualificationKind: kind,
    lead: {
      fullName: [firstName, lastName].filter(Boolean).join(' ') || lead.email,
      firstName,
      lastName,
      company: lead.company ?? '',
      jobTitle: lead.jobTitle ?? '',
      email: lead.email,
      phone: lead.phone ?? '',
      locale: leadLocale,
      language: languageLabel(leadLocale, view.locale),
    },
    score: lead.score ?? 0,
    fitScore: lead.fitScore ?? 0,
    engagementScore: lead.engagementScore ?? 0,
    qualification: qualificationLabel(lead.qualification ?? 'unqualified', view.locale),
    funnelStage: stageLabel(lead.funnelStage),
    scoreExplanation: (lead.scoreExplanation ?? []).map(({ reason, points, at }) => ({
      at: salesDateTime(at, view.locale, view.timeZone),
      reason: scoreReasonLabel(reason, view.locale),
      points,
    })),
    timeline: interactions.map((interaction) => timelineEntry(interaction, view)),
    contactMessage: contact?.message ?? '',
    acceptUrl: links.acceptUrl,
    recycleUrl: links.recycleUrl,
    leadUrl: links.leadUrl,
    leadViewCommand: `npx leadpipe lead show ${lead.email}`,
    callSlot: call.slot,
    callIcsUrl: call.icsUrl,
  };
}

function timelineEntry(interaction: Interaction, view: SalesView): SalesTimelineEntry {
  return {
    at: salesDateTime(interaction.at, view.locale, view.timeZone),
    type: interactionLabel(interaction.type, view.locale),
    detail: timelineDetail(interaction, view.locale),
    attribution: describeAttribution(interaction.attribution),
  };
}

/** What the interaction was about, in words: the asset's title, the webinar's, a trial's reference; never a mail's message id. */
function timelineDetail(interaction: Interaction, locale: Locale): string {
  if (interaction.assetId) return assetLabel(interaction.assetId, interaction.funnelStage, locale);
  if (interaction.type === 'webinar_attended' || interaction.type === 'webinar_registered') {
    return interaction.externalId ? webinarLabel(interaction.externalId, locale) : '';
  }
  if (interaction.type === 'email_click' || interaction.type === 'email_open' || interaction.type === 'call_requested') return '';
  return interaction.externalId ?? '';
}

/** UTM first, then where it happened: a fixed order, since a stored map does not keep its keys' order. */
const ATTRIBUTION_ORDER = [
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'page',
  'referrer',
] as const satisfies readonly (keyof Attribution)[];

export function describeAttribution(attribution: Attribution | undefined): string {
  if (!attribution) return '';
  return ATTRIBUTION_ORDER.filter((key) => attribution[key])
    .map((key) => `${key}=${attribution[key]}`)
    .join(', ');
}
