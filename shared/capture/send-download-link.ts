import type { SenderVariables } from '../email/email-templates';
import { sendEmail, type EmailSending } from '../email/send-email';
import { findAsset } from './content-catalogue';
import { signedDownloadUrl } from './capture-submission';
import type { DownloadLinkStore } from './download-link-store';

export type DownloadMailOutcome = 'sent' | 'no-lead' | 'suppressed' | 'unknown-asset' | 'already-sent';

/**
 * Emails the same signed link the form answered with (signed from the interaction's own time), so a
 * typo in the address is noticed. Signed by the configured sender, with the imprint, like every mail to the lead.
 * Claimed on the interaction item, so a redelivered event sends once.
 */
export async function sendDownloadLink(
  input: { leadId: string; interactionId: string; interactionAt: string; assetId: string; eventId: string },
  deps: { store: DownloadLinkStore; sending: EmailSending; sender: SenderVariables; signingKey: string; publicBaseUrl: string },
): Promise<DownloadMailOutcome> {
  const asset = findAsset(input.assetId);
  if (!asset) return 'unknown-asset';
  const lead = await deps.store.getLead(input.leadId);
  if (!lead) return 'no-lead';
  if (lead.suppressed) return 'suppressed';
  const interaction = { leadId: input.leadId, at: input.interactionAt, interactionId: input.interactionId };
  if (!(await deps.store.claimDownloadMail(interaction, input.eventId))) return 'already-sent';
  const locale = lead.locale ?? 'de';
  await sendEmail({
    store: deps.store,
    sending: deps.sending,
    leadId: input.leadId,
    to: [lead.email],
    templateId: 'download-link',
    locale,
    vars: {
      firstName: lead.firstName ?? '',
      ...deps.sender,
      assetTitle: asset.title[locale],
      downloadUrl: signedDownloadUrl(input.leadId, asset.id, input.interactionAt, deps),
    },
    category: 'system',
    at: input.interactionAt,
  });
  return 'sent';
}
