import { CONFIRM_TOKEN_TTL_DAYS } from './confirm-token-binding';
import { marketingConsentState } from '../domain/consent-state';
import type { SenderVariables } from '../email/email-templates';
import { sendEmail, type EmailSending } from '../email/send-email';
import { signToken } from '../security/signed-token';
import type { ConsentStore } from './consent-store';

export { CONFIRM_TOKEN_TTL_DAYS };
/** No mail-bombing of a third party: however often the form is posted, one opt-in mail per hour. */
export const OPT_IN_MAIL_INTERVAL_SECONDS = 3600;

export type OptInOutcome = 'sent' | 'no-lead' | 'not-pending' | 'suppressed' | 'rate-limited';

export async function sendOptInIfDue(
  input: { leadId: string; eventId: string; at: string },
  deps: {
    store: ConsentStore;
    sending: EmailSending;
    signingKey: string;
    publicBaseUrl: string;
    /** the company the reader signs up with, who signs the mail, and the imprint: a stranger's mail asking for a click is not trusted */
    sender: SenderVariables;
  },
): Promise<OptInOutcome> {
  const lead = await deps.store.getLead(input.leadId);
  if (!lead) return 'no-lead';
  if (lead.suppressed) return 'suppressed';
  if (marketingConsentState(lead) !== 'pending') return 'not-pending';
  const claimed = await deps.store.claimOptInMail(input.leadId, {
    eventId: input.eventId,
    at: input.at,
    notWithinSeconds: OPT_IN_MAIL_INTERVAL_SECONDS,
  });
  if (!claimed) return 'rate-limited';
  const expiresAt = new Date(Date.parse(input.at) + CONFIRM_TOKEN_TTL_DAYS * 86_400_000).toISOString();
  const locale = lead.locale ?? 'de';
  // Bound to the request it confirms (confirm-token-binding.ts): after a withdrawal or an erasure this link confirms nothing.
  const data = { locale, ...(lead.consentRequestedAt ? { requestedAt: lead.consentRequestedAt } : {}) };
  const token = signToken({ purpose: 'confirm', leadId: input.leadId, expiresAt, data }, deps.signingKey);
  await sendEmail({
    store: deps.store,
    sending: deps.sending,
    leadId: input.leadId,
    to: [lead.email],
    templateId: 'opt-in',
    locale,
    vars: {
      firstName: lead.firstName ?? '',
      confirmUrl: `${deps.publicBaseUrl}/confirm?token=${encodeURIComponent(token)}`,
      ...deps.sender,
    },
    category: 'system',
    at: input.at,
  });
  return 'sent';
}
