import type { Locale } from '../domain/lead';
import { NotFoundError } from '../http/http-errors';
import type { Booking, BookingStore } from './booking-store';
import { type BookingDeps, freeSlots } from './book-call';
import type { ManagePost } from './call-request';

/** A manage link whose booking is gone (erased) or belongs to someone else: the same 404 either way, nothing said about which. */
export class BookingNotFoundError extends NotFoundError {
  override readonly pageText = {
    de: { title: 'Termin nicht gefunden', message: 'Zu diesem Link gibt es keinen Termin (mehr).' },
    en: { title: 'Booking not found', message: 'There is no booking (any more) for this link.' },
  };

  constructor() {
    super('No booking for this link');
  }
}

/**
 * The booking a manage token names. The key is built from the token's own lead id, so a booking id of another
 * lead is simply not found: a signed link can only ever reach its own lead's bookings.
 */
export async function managedBooking(store: BookingStore, token: { leadId: string; data?: Record<string, string> }): Promise<Booking> {
  const bookingId = token.data?.bookingId;
  const booking = bookingId ? await store.getBooking(token.leadId, bookingId) : undefined;
  if (booking?.kind !== 'slot' || !booking.slot) throw new BookingNotFoundError();
  return booking;
}

export type ChangeOutcome =
  | { outcome: 'cancelled' | 'moved' | 'unchanged'; booking: Booking }
  | { outcome: 'already-cancelled'; booking: Booking }
  | { outcome: 'slot-taken' | 'stale'; booking: Booking; freeSlots: string[] };

/**
 * Cancels or moves a booking in one transaction that also frees (and, for a move, takes) the slot items and
 * publishes CallBookingChanged for the lead's confirmation mail; sales is not notified again.
 */
export async function changeCall(
  booking: Booking,
  post: ManagePost,
  request: { at: string; locale: Locale },
  deps: Pick<BookingDeps, 'store' | 'config'>,
): Promise<ChangeOutcome> {
  if (booking.status === 'cancelled') return { outcome: 'already-cancelled', booking };
  if (post.action === 'move' && post.slot === booking.slot) return { outcome: 'unchanged', booking };
  const change = post.action === 'cancel' ? 'cancelled' : 'moved';
  const result = await deps.store.changeBooking({
    booking,
    change,
    ...(post.action === 'move' ? { to: post.slot } : {}),
    at: request.at,
  });
  if (result === 'changed') {
    const changed = (await deps.store.getBooking(booking.leadId, booking.bookingId)) ?? booking;
    return { outcome: change, booking: changed };
  }
  const current = (await deps.store.getBooking(booking.leadId, booking.bookingId)) ?? booking;
  return { outcome: result, booking: current, freeSlots: await freeSlots(deps, request.at) };
}
