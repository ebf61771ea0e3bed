import type { SalesNotificationVariables, SalesTimelineEntry } from '../email/email-templates';
import type { Attribution, Interaction } from '../domain/lead';
import type { LeadItem } from '../storage/lead-item';

/**
 * The sales email's content, built purely from what is stored: who the lead is, why it scored,
 * what it did and where it came from. Escaping happens in the template, never here.
 */
export function salesNotificationContent(
  lead: LeadItem,
  interactions: readonly Interaction[],
  kind: 'MQL' | 'PQL',
  links: { acceptUrl: string; recycleUrl: string },
  call: { slot: string; icsUrl: string } = { slot: '', icsUrl: '' },
): SalesNotificationVariables {
  const firstName = lead.firstName ?? '';
  const lastName = lead.lastName ?? '';
  const contact = [...interactions].reverse().find((interaction) => interaction.type === 'contact');
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
      locale: lead.locale ?? 'de',
    },
    score: lead.score ?? 0,
    fitScore: lead.fitScore ?? 0,
    engagementScore: lead.engagementScore ?? 0,
    qualification: lead.qualification ?? 'unqualified',
    funnelStage: lead.funnelStage ?? null,
    scoreExplanation: lead.scoreExplanation ?? [],
    timeline: interactions.map(timelineEntry),
    contactMessage: contact?.message ?? '',
    acceptUrl: links.acceptUrl,
    recycleUrl: links.recycleUrl,
    leadViewCommand: `npx leadpipe lead show ${lead.email}`,
    callSlot: call.slot,
    callIcsUrl: call.icsUrl,
  };
}

function timelineEntry(interaction: Interaction): SalesTimelineEntry {
  const detail = interaction.assetId
    ? `${interaction.assetId}${interaction.funnelStage ? ` (${interaction.funnelStage})` : ''}`
    : (interaction.externalId ?? interaction.messageId ?? '');
  return { at: interaction.at, type: interaction.type, detail, attribution: describeAttribution(interaction.attribution) };
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
