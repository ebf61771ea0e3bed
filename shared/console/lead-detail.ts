import { buildLeadExport } from '../lead-view/lead-export';
import type { Interaction, InteractionType } from '../domain/lead';
import { NotFoundError } from '../http/http-errors';
import { buildLeadView, type LeadView } from '../lead-view/lead-view';
import type { StoredLeadData, SuppressionItem } from '../storage/erase-lead';
import type { LeadPartition } from '../storage/lead-partition';

/**
 * A lead's page in the console (GET /console/api/leads/{email}) and its GDPR export (…/export). Both are the
 * existing views: the lead view of `/_dev/leads/{email}` and `lead show --json`, and the export of `lead export`;
 * the console adds to the lead view only what those already know (attribution, mail status, consent evidence).
 */

export interface LeadRecords {
  /** the lead's partition, sorted (shared/storage/lead-partition.ts loadLeadPartition) */
  loadPartition(leadId: string): Promise<LeadPartition>;
  /** everything stored for the lead, as stored (shared/storage/erase-lead.ts readStoredLeadData) */
  readStoredLeadData(leadId: string): Promise<StoredLeadData>;
  getSuppression(leadId: string): Promise<SuppressionItem | undefined>;
}

/** Which form a web interaction came from (capture's forms post these interaction types). */
const FORM_OF: Partial<Record<InteractionType, string>> = { newsletter_signup: 'newsletter', download: 'download', contact: 'contact' };

export type ConsoleLeadView = ReturnType<typeof consoleLeadView>;

/** The lead view plus attribution per interaction, SES status per mail and the consent evidence; 404 for an unknown lead. */
export async function leadDetail(input: { email: string; leadId: string; at: string }, records: LeadRecords) {
  const [partition, stored] = await Promise.all([records.loadPartition(input.leadId), records.readStoredLeadData(input.leadId)]);
  const view = buildLeadView(partition);
  if (!view) throw new NotFoundError('No lead with this email');
  const exported = buildLeadExport({ email: input.email, leadId: input.leadId, exportedAt: input.at, data: stored });
  return consoleLeadView(view, partition.interactions, exported.consent);
}

function consoleLeadView(view: LeadView, interactions: readonly Interaction[], consent: ReturnType<typeof buildLeadExport>['consent']) {
  const feedback = new Map<string, { openedAt?: string; clickedAt?: string }>();
  for (const interaction of interactions) {
    if (!interaction.messageId || (interaction.type !== 'email_open' && interaction.type !== 'email_click')) continue;
    const seen = feedback.get(interaction.messageId) ?? {};
    const field = interaction.type === 'email_open' ? 'openedAt' : 'clickedAt';
    if (!seen[field] || interaction.at < seen[field]) seen[field] = interaction.at;
    feedback.set(interaction.messageId, seen);
  }
  return {
    ...view,
    // buildLeadView keeps the partition's order: the same index is the same interaction.
    interactions: view.interactions.map((shown, index) => {
      const interaction = interactions[index]!;
      const form = interaction.channel === 'email' ? undefined : FORM_OF[interaction.type];
      return {
        ...shown,
        attribution: interaction.attribution ?? null,
        form: form ?? null,
        assetId: interaction.assetId ?? null,
        channel: interaction.channel ?? (form ? 'web' : null),
      };
    }),
    // Opens and clicks are stored per message (ses-feedback); a bounce or complaint suppresses the lead (`suppressed`).
    emails: view.emails.map((email) => {
      const seen = feedback.get(email.messageId) ?? {};
      const status = seen.clickedAt ? 'clicked' : seen.openedAt ? 'opened' : 'sent';
      return { ...email, status, openedAt: seen.openedAt ?? null, clickedAt: seen.clickedAt ?? null };
    }),
    consent: {
      ...view.consent,
      requestedAt: consent?.requestedAt ?? null,
      optInSentAt: consent?.optInSentAt ?? null,
      evidence: consent?.evidence ?? [],
    },
  };
}

/** The GDPR access export (Art. 15) exactly as `npx leadpipe lead export` prints it; 404 when nothing is stored. */
export async function leadExport(input: { email: string; leadId: string; at: string }, records: LeadRecords) {
  const [data, suppression] = await Promise.all([records.readStoredLeadData(input.leadId), records.getSuppression(input.leadId)]);
  if (data.items.length === 0) throw new NotFoundError('No lead with this email');
  return buildLeadExport({ email: input.email, leadId: input.leadId, exportedAt: input.at, data, ...(suppression ? { suppression } : {}) });
}
