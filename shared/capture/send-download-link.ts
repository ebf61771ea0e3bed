import type { SenderVariables } from '../email/email-templates';
import { sendEmail, type EmailSending } from '../email/send-email';
import type { Locale } from '../domain/lead';
import type { SentEmailStore } from '../email/sent-email-store';
import { type ContentAsset, findAsset } from './content-catalogue';
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
  await mailDownloadLink(lead, asset, { signedAt: input.interactionAt, at: input.interactionAt }, deps);
  return 'sent';
}

/** The download-link mail itself: first mail after a download form, and a renewal of an expired link (renew-link.ts). */
export async function mailDownloadLink(
  lead: { leadId: string; email: string; firstName?: string; locale?: Locale },
  asset: ContentAsset,
  times: { signedAt: string; at: string },
  deps: { store: SentEmailStore; sending: EmailSending; sender: SenderVariables; signingKey: string; publicBaseUrl: string },
): Promise<void> {
  const locale = lead.locale ?? 'de';
  await sendEmail({
    store: deps.store,
    sending: deps.sending,
    leadId: lead.leadId,
    to: [lead.email],
    templateId: 'download-link',
    locale,
    vars: {
      firstName: lead.firstName ?? '',
      ...deps.sender,
      assetTitle: asset.title[locale],
      downloadUrl: signedDownloadUrl(lead.leadId, asset.id, times.signedAt, deps),
    },
    category: 'system',
    at: times.at,
  });
}
