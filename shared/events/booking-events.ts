import * as z from 'zod/mini';
import { defineEvent } from './define-event';
import { APP_EVENT_SOURCE } from './lead-events';

/**
 * A booked expert call was moved or cancelled by the lead. Not an interaction: a change of an existing booking must
 * not count as a new hand-raise, so classification and sales never see it; only the lead's confirmation mail
 * (send-call-confirmation) reacts. Published through the outbox item written with the change. Ids and the slot
 * instant only, no PII.
 */
export const CallBookingChanged = defineEvent({
  source: APP_EVENT_SOURCE,
  detailType: 'Call Booking Changed',
  schema: z.object({
    leadId: z.string().check(z.minLength(1)),
    bookingId: z.string().check(z.minLength(1)),
    change: z.enum(['moved', 'cancelled']),
    /** the booking's sequence after the change: 1 for the first change, the .ics SEQUENCE */
    sequence: z.number().check(z.int(), z.positive()),
    /** the slot the booking holds after a move, or the slot it gave up on a cancel (ISO, UTC) */
    slot: z.iso.datetime(),
    at: z.iso.datetime(),
  }),
});
