import type { BookingConfig } from '../domain/booking/booking-config';
import { buildCallEvent, type CalendarParty } from '../domain/booking/icalendar';
import type { Locale } from '../domain/lead';
import type { LeadItem } from '../storage/lead-item';
import type { Booking } from './booking-store';

const SUMMARY: Record<Locale, (minutes: number) => string> = {
  de: (minutes) => `Expertengespräch (${minutes} Minuten)`,
  en: (minutes) => `Expert call (${minutes} minutes)`,
};

const DESCRIPTION: Record<Locale, (manageUrl: string) => string> = {
  de: (manageUrl) => `Ihr Gespräch mit unseren Experten. Verschieben oder absagen: ${manageUrl}`,
  en: (manageUrl) => `Your call with our experts. Move or cancel: ${manageUrl}`,
};

/**
 * Who the invitation is from. The expert-call function has no sender address in its configuration, so the
 * organizer is named after the public host; a calendar only shows it, nobody replies to it automatically.
 */
export function callOrganizer(publicBaseUrl: string): CalendarParty {
  return { name: 'leadpipe', email: `calls@${new URL(publicBaseUrl).hostname}` };
}

/** One uid per booking, on our own host (RFC 5545 3.8.4.7): a move or cancel updates the same calendar entry. */
export function callEventUid(bookingId: string, publicBaseUrl: string): string {
  return `expert-call-${bookingId}@${new URL(publicBaseUrl).hostname}`;
}

/** The booking's calendar event as it stands: REQUEST while booked, CANCEL once cancelled, SEQUENCE its change count. */
export function callCalendar(
  booking: Booking,
  lead: Pick<LeadItem, 'email' | 'firstName' | 'lastName'>,
  options: { config: BookingConfig; publicBaseUrl: string; locale: Locale; manageUrl: string },
): string {
  if (!booking.slot) throw new Error(`booking ${booking.bookingId} has no slot`);
  const name = [lead.firstName, lead.lastName].filter(Boolean).join(' ') || lead.email;
  return buildCallEvent({
    uid: callEventUid(booking.bookingId, options.publicBaseUrl),
    start: booking.slot,
    durationMinutes: options.config.slotMinutes,
    summary: SUMMARY[options.locale](options.config.slotMinutes),
    description: DESCRIPTION[options.locale](options.manageUrl),
    organizer: callOrganizer(options.publicBaseUrl),
    attendee: { name, email: lead.email },
    sequence: booking.sequence,
    method: booking.status === 'cancelled' ? 'CANCEL' : 'REQUEST',
    dtstamp: booking.updatedAt,
  });
}
