import type { BookingConfig } from '../domain/booking/booking-config';
import type { SenderVariables } from '../email/email-templates';
import { sendEmail, type EmailSending } from '../email/send-email';
import { replyByLabel } from '../sales/reply-promise';
import type { ContactAcknowledgementStore } from './contact-acknowledgement-store';

export type ContactAcknowledgementOutcome = 'sent' | 'no-lead' | 'suppressed' | 'already-sent';

/**
 * Tells the requester that the contact request arrived and by when sales replies. Transactional: it answers the
 * request itself, so it needs no marketing consent. Claimed on the contact's interaction, so every contact request is
 * acknowledged exactly once however often its event is delivered; a second request is a second acknowledgement.
 */
export async function sendContactAcknowledgement(
  input: { leadId: string; interactionId: string; interactionAt: string; eventId: string },
  deps: {
    store: ContactAcknowledgementStore;
    sending: EmailSending;
    sender: SenderVariables;
    /** sales' working calendar: the promised reply day skips weekends and holidays */
    calendar: Pick<BookingConfig, 'timeZone' | 'workingDays' | 'holidays'>;
  },
): Promise<ContactAcknowledgementOutcome> {
  const lead = await deps.store.getLead(input.leadId);
  if (!lead) return 'no-lead';
  // An erased or bounced address gets nothing, not even a transactional mail.
  if (lead.suppressed) return 'suppressed';
  const claim = { leadId: input.leadId, interactionAt: input.interactionAt, interactionId: input.interactionId, eventId: input.eventId };
  if (!(await deps.store.claimAcknowledgement(claim))) return 'already-sent';
  const locale = lead.locale ?? 'de';
  await sendEmail({
    store: deps.store.recordingFor(claim),
    sending: deps.sending,
    leadId: input.leadId,
    to: [lead.email],
    templateId: 'contact-acknowledgement',
    locale,
    vars: { firstName: lead.firstName ?? '', ...deps.sender, replyBy: replyByLabel(input.interactionAt, locale, deps.calendar) },
    category: 'system',
    at: input.interactionAt,
  });
  return 'sent';
}
