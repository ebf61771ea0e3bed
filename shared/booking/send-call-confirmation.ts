import type { BookingConfig } from '../domain/booking/booking-config';
import { slotLabelLong } from '../domain/booking/slots';
import type { SenderVariables } from '../email/email-templates';
import { type EmailSending, SentButNotRecordedError, sendEmail } from '../email/send-email';
import { manageLinksFor } from './book-call';
import type { BookingStore } from './booking-store';

export type CallMailOutcome = 'sent' | 'not-a-call' | 'no-booking' | 'callback-no-mail' | 'no-lead' | 'suppressed' | 'already-sent';

export interface CallMailDeps {
  store: BookingStore;
  sending: EmailSending;
  /** who signs the mail and whose imprint it carries */
  sender: SenderVariables;
  config: BookingConfig;
  signingKey: string;
  publicBaseUrl: string;
}

/** What the event says happened: a booking (sequence 0, from the call_requested interaction) or a move/cancel. */
export type CallMailTrigger =
  | { kind: 'booked'; leadId: string; interactionId: string; interactionAt: string; eventId: string }
  | {
      kind: 'changed';
      leadId: string;
      bookingId: string;
      change: 'moved' | 'cancelled';
      sequence: number;
      slot: string;
      at: string;
      eventId: string;
    };

/**
 * Confirms a booked, moved or cancelled call to the lead (transactional: no consent needed, it answers the lead's
 * own request), in the lead's language, with the slot in local time and the manage and .ics links. Claimed per
 * (booking, sequence), so a redelivered event mails once. The mail states what the event reports (the slot of that
 * change), not whatever the booking holds by the time the event arrives. A call-back request gets no mail: the page
 * already acknowledged it, and sales calls.
 */
export async function sendCallConfirmation(trigger: CallMailTrigger, deps: CallMailDeps): Promise<CallMailOutcome> {
  let bookingId: string;
  let slot: string | undefined;
  let sequence: number;
  let status: 'booked' | 'moved' | 'cancelled';
  let at: string;
  if (trigger.kind === 'booked') {
    const interaction = await deps.store.getInteraction(trigger.leadId, trigger.interactionAt, trigger.interactionId);
    if (interaction?.type !== 'call_requested' || !interaction.externalId) return 'not-a-call';
    if (!interaction.slot) return 'callback-no-mail';
    bookingId = interaction.externalId;
    slot = interaction.slot;
    sequence = 0;
    status = 'booked';
    at = trigger.interactionAt;
  } else {
    ({ bookingId, slot, sequence, at } = trigger);
    status = trigger.change;
  }
  const booking = await deps.store.getBooking(trigger.leadId, bookingId);
  if (!booking) return 'no-booking';
  const lead = await deps.store.getLead(trigger.leadId);
  if (!lead) return 'no-lead';
  // An address that bounced or complained gets no further mail of any kind.
  if (lead.suppressed) return 'suppressed';
  const claim = { leadId: trigger.leadId, bookingId, sequence, eventId: trigger.eventId, at };
  if (!(await deps.store.claimConfirmationMail(claim))) return 'already-sent';
  const locale = lead.locale ?? 'de';
  const links = manageLinksFor(booking, locale, at, deps);
  const send = () =>
    sendEmail({
      store: deps.store,
      sending: deps.sending,
      leadId: trigger.leadId,
      to: [lead.email],
      templateId: 'call-confirmation',
      locale,
      vars: {
        firstName: lead.firstName ?? '',
        ...deps.sender,
        status,
        slotLabel: slotLabelLong(slot, locale, deps.config.timeZone, deps.config.slotMinutes),
        manageUrl: links.manageUrl,
        icsUrl: links.icsUrl,
      },
      category: 'system',
      at,
    });
  let messageId: string;
  try {
    ({ messageId } = await send());
  } catch (error) {
    // SES has it: never send it again, even though the timeline missed it.
    if (!(error instanceof SentButNotRecordedError)) throw error;
    messageId = error.messageId;
  }
  await deps.store.markConfirmationMailed({ ...claim, messageId });
  return 'sent';
}
