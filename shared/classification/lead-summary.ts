import type { Classification } from '../domain/lead';
import type { LeadSummary } from '../events/lead-events';
import type { LeadItem } from '../storage/lead-item';

export function leadSummary(lead: LeadItem, classification?: Classification): LeadSummary {
  return {
    leadId: lead.leadId,
    email: lead.email,
    ...(lead.firstName ? { firstName: lead.firstName } : {}),
    ...(lead.lastName ? { lastName: lead.lastName } : {}),
    ...(lead.company ? { company: lead.company } : {}),
    ...(lead.jobTitle ? { jobTitle: lead.jobTitle } : {}),
    locale: lead.locale ?? 'de',
    lifecycle: classification?.lifecycle ?? lead.lifecycle,
    qualification: classification?.qualification ?? lead.qualification ?? 'unqualified',
    funnelStage: classification ? classification.funnelStage : (lead.funnelStage ?? null),
    pql: classification?.pql ?? lead.pql ?? false,
    score: classification?.score ?? lead.score ?? 0,
    fitScore: classification?.fitScore ?? lead.fitScore ?? 0,
    engagementScore: classification?.engagementScore ?? lead.engagementScore ?? 0,
  };
}
