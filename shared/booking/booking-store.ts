import type { Interaction, Locale } from '../domain/lead';
import type { SentEmailStore } from '../email/sent-email-store';
import type { LeadItem } from '../storage/lead-item';

/** Why a lead may be called: a booking is a request for contact, never marketing consent (GDPR Art. 6(1)(b)). */
export const CALL_LEGAL_BASIS = 'contact-request';

export type BookingStatus = 'booked' | 'cancelled';

/** A booked call (`slot` set) or a call-back request (`phone` set, no slot), as stored in the lead's partition. */
export interface Booking {
  leadId: string;
  bookingId: string;
  kind: 'slot' | 'callback';
  status: BookingStatus;
  /** canonical ISO UTC start of the held slot; for a cancelled booking the slot it gave up */
  slot?: string;
  phone?: string;
  /** 0 when booked; +1 with every move or cancel (the .ics SEQUENCE) */
  sequence: number;
  channel: 'web' | 'email';
  legalBasis: typeof CALL_LEGAL_BASIS;
  createdAt: string;
  updatedAt: string;
}

/** Who is booking: from a token (known lead) or from the public form (upserted like a contact-form lead). */
export interface BookingIdentity {
  leadId: string;
  email: string;
  profile: { firstName?: string; lastName?: string; company?: string; phone?: string; locale: Locale };
}

export interface NewBooking {
  identity: BookingIdentity;
  booking: Booking;
  /** the call_requested interaction, published through the outbox so classification and sales react */
  interaction: Interaction;
  /** sha256 of what was posted: the same post within the window is a double-click */
  fingerprint: string;
  duplicateWindowSeconds: number;
}

export type RecordBookingResult = 'booked' | 'slot-taken' | 'duplicate';

export interface BookingChange {
  booking: Booking;
  change: 'moved' | 'cancelled';
  /** moved: the new slot */
  to?: string;
  at: string;
}

export type ChangeBookingResult = 'changed' | 'slot-taken' | 'stale';

/** What booking needs of storage (port; the DynamoDB adapter is shared/storage/dynamo-booking-store.ts). */
export interface BookingStore extends SentEmailStore {
  getLead(leadId: string): Promise<LeadItem | undefined>;
  /** the held slot starts in [from, to] (ISO), whoever holds them */
  takenSlots(from: string, to: string): Promise<Set<string>>;
  /** who holds a slot, or undefined when it is free */
  slotHolder(slot: string): Promise<{ leadId: string; bookingId: string } | undefined>;
  getBooking(leadId: string, bookingId: string): Promise<Booking | undefined>;
  /**
   * One transaction: the slot item (conditional: free), the lead upsert (lifting an erasure's suppression, as a
   * form post does), the booking and the interaction with its outbox entry. 'slot-taken' and 'duplicate' store nothing.
   */
  recordBooking(booking: NewBooking): Promise<RecordBookingResult>;
  /**
   * One transaction: the booking's new state (conditional on the sequence read, so two changes cannot both win),
   * the slot items (a move puts the new one conditionally and deletes the old one; a cancel deletes it) and the
   * CallBookingChanged outbox event.
   */
  changeBooking(change: BookingChange): Promise<ChangeBookingResult>;
  /** The call_requested interaction an event names, for the booking id and slot it carries. */
  getInteraction(leadId: string, at: string, interactionId: string): Promise<Interaction | undefined>;
  /**
   * Claims the confirmation mail of one (booking, sequence) for one event: false once another event claimed it or
   * the mail went out. A retry of the same event before the send (it failed) may claim again.
   */
  claimConfirmationMail(claim: { leadId: string; bookingId: string; sequence: number; eventId: string; at: string }): Promise<boolean>;
  /** Marks the claimed mail sent, so a redelivery of the same event does not send it again. */
  markConfirmationMailed(claim: { leadId: string; bookingId: string; sequence: number; at: string; messageId: string }): Promise<void>;
}
