import { marketingConsentState } from '../domain/consent-state';
import type { LeadPartition } from '../storage/lead-partition';

/**
 * The lead as operators see it: the same JSON for `GET /_dev/leads/:email` and
 * `npx leadpipe lead show --json`. Storage details (keys, versions, outbox) stay out.
 */
export function buildLeadView(partition: LeadPartition) {
  const lead = partition.lead;
  if (!lead) return undefined;
  const points = lead.interactionPoints ?? {};
  return {
    leadId: lead.leadId,
    email: lead.email,
    firstName: lead.firstName ?? null,
    lastName: lead.lastName ?? null,
    company: lead.company ?? null,
    jobTitle: lead.jobTitle ?? null,
    phone: lead.phone ?? null,
    locale: lead.locale ?? 'de',
    lifecycle: lead.lifecycle,
    qualification: lead.qualification ?? 'unqualified',
    funnelStage: lead.funnelStage ?? null,
    pql: lead.pql ?? false,
    score: lead.score ?? 0,
    fitScore: lead.fitScore ?? 0,
    engagementScore: lead.engagementScore ?? 0,
    scoreExplanation: lead.scoreExplanation ?? [],
    consent: {
      marketing: marketingConsentState(lead),
      ...(lead.consentConfirmedAt ? { confirmedAt: lead.consentConfirmedAt } : {}),
      ...(lead.consentWithdrawnAt ? { withdrawnAt: lead.consentWithdrawnAt } : {}),
    },
    suppressed: lead.suppressed ?? null,
    salesNotifiedAt: lead.salesNotifiedAt ?? null,
    salesDecision: lead.salesDecision ?? null,
    nurture: lead.nurture ? { ...lead.nurture, dueAt: lead.nurtureDueAt ?? null, resumeAt: lead.nurtureResumeAt ?? null } : null,
    nurtureFailures: lead.nurtureFailures ?? [],
    createdAt: lead.createdAt,
    interactions: partition.interactions.map((interaction) => ({
      type: interaction.type,
      at: interaction.at,
      ...(interaction.assetId ? { assetId: interaction.assetId } : {}),
      ...(interaction.funnelStage ? { funnelStage: interaction.funnelStage } : {}),
      ...(interaction.externalId ? { externalId: interaction.externalId } : {}),
      ...(interaction.messageId ? { messageId: interaction.messageId } : {}),
      ...(interaction.channel ? { channel: interaction.channel } : {}),
      ...(interaction.slot ? { slot: interaction.slot } : {}),
      points: points[interaction.id] ?? 0,
    })),
    emails: partition.emails.map((email) => ({
      messageId: email.messageId,
      templateId: email.templateId,
      category: email.category,
      sentAt: email.sentAt,
    })),
  };
}

export type LeadView = NonNullable<ReturnType<typeof buildLeadView>>;
