import { createHash, randomUUID } from 'node:crypto';
import type { BookingConfig } from '../domain/booking/booking-config';
import { availableSlots } from '../domain/booking/slots';
import type { Interaction, Locale } from '../domain/lead';
import { NotFoundError } from '../http/http-errors';
import { callManageLinks } from '../links/journey-links';
import { leadIdFor } from '../security/lead-id';
import type { LeadItem } from '../storage/lead-item';
import { type Booking, type BookingIdentity, type BookingStore, CALL_LEGAL_BASIS } from './booking-store';
import type { CallPost } from './call-request';

/** The same booking posted again within this window (a double-click, a reload) is answered, not stored twice. */
export const BOOKING_DOUBLE_CLICK_SECONDS = 600;
/** Upper bound of the taken-slot query: every held slot from now on (slot items expire after the call). */
const END_OF_TIME = '9999-12-31T23:59:59.999Z';

export interface BookingDeps {
  store: BookingStore;
  config: BookingConfig;
  publicBaseUrl: string;
  signingKey: string;
  /** derives the lead id of a new lead from the public page, as capture does */
  leadIdKey: string;
}

/** The free slots at `at`: the configured window minus every slot held in the store. */
export async function freeSlots(deps: Pick<BookingDeps, 'store' | 'config'>, at: string): Promise<string[]> {
  const taken = await deps.store.takenSlots(at, END_OF_TIME);
  return availableSlots(deps.config, new Date(at), taken);
}

export interface ManageLinks {
  manageUrl: string;
  icsUrl: string;
}

export type BookOutcome =
  | { outcome: 'booked'; booking: Booking; locale: Locale; links: ManageLinks }
  | { outcome: 'callback-requested'; locale: Locale }
  | { outcome: 'slot-taken'; locale: Locale; freeSlots: string[] };

export function manageLinksFor(booking: Booking, locale: Locale, at: string, deps: Pick<BookingDeps, 'publicBaseUrl' | 'signingKey'>) {
  return callManageLinks({
    publicBaseUrl: deps.publicBaseUrl,
    signingKey: deps.signingKey,
    leadId: booking.leadId,
    locale,
    bookingId: booking.bookingId,
    at,
  });
}

function identityOf(post: CallPost, known: LeadItem | undefined, leadIdKey: string): BookingIdentity {
  const phone = post.action === 'callback' ? { phone: post.phone } : {};
  if (known) return { leadId: known.leadId, email: known.email, profile: { locale: known.locale ?? 'de', ...phone } };
  const identity = post.identity;
  if (!identity) throw new Error('a booking from the public page needs the identity fields');
  return {
    leadId: leadIdFor(identity.email, leadIdKey),
    email: identity.email,
    profile: {
      firstName: identity.firstName,
      lastName: identity.lastName,
      ...(identity.company !== undefined ? { company: identity.company } : {}),
      ...phone,
      locale: identity.locale,
    },
  };
}

/**
 * Books a slot, or records a call-back request: one transaction of slot, lead, booking and the `call_requested`
 * interaction (outbox), so classification makes the lead an MQL and sales is notified. The lead gives no marketing
 * consent here; the interaction and the booking record the contact request as their legal basis.
 *
 * A slot someone else holds answers 'slot-taken' with the remaining slots. The same lead posting the same slot
 * again (a double-click, a reload, a second tab) gets its existing booking back: nothing is stored twice.
 */
export async function bookCall(
  post: CallPost,
  request: { at: string; known?: LeadItem; locale?: Locale },
  deps: BookingDeps,
): Promise<BookOutcome> {
  const { at, known } = request;
  const identity = identityOf(post, known, deps.leadIdKey);
  // The answer speaks the page's language (a mail link's own locale); the lead keeps its stored one.
  const locale = request.locale ?? identity.profile.locale;
  const channel = known ? 'email' : 'web';
  const bookingId = randomUUID();
  const slot = post.action === 'book' ? post.slot : undefined;
  const booking: Booking = {
    leadId: identity.leadId,
    bookingId,
    kind: slot ? 'slot' : 'callback',
    status: 'booked',
    ...(slot ? { slot } : {}),
    ...(post.action === 'callback' ? { phone: post.phone } : {}),
    sequence: 0,
    channel,
    legalBasis: CALL_LEGAL_BASIS,
    createdAt: at,
    updatedAt: at,
  };
  const interaction: Interaction & { legalBasis: string } = {
    id: randomUUID(),
    type: 'call_requested',
    at,
    externalId: bookingId,
    channel,
    ...(slot ? { slot } : {}),
    legalBasis: CALL_LEGAL_BASIS,
  };
  const fingerprint = createHash('sha256')
    .update(JSON.stringify(['call', post.action, slot ?? (post.action === 'callback' ? post.phone : ''), identity.leadId]))
    .digest('hex');
  const result = await deps.store.recordBooking({
    identity,
    booking,
    interaction,
    fingerprint,
    duplicateWindowSeconds: BOOKING_DOUBLE_CLICK_SECONDS,
  });
  if (result === 'booked') {
    return slot
      ? { outcome: 'booked', booking, locale, links: manageLinksFor(booking, locale, at, deps) }
      : { outcome: 'callback-requested', locale };
  }
  if (!slot) return { outcome: 'callback-requested', locale };
  const holder = await deps.store.slotHolder(slot);
  if (holder?.leadId === identity.leadId) {
    const existing = await deps.store.getBooking(holder.leadId, holder.bookingId);
    if (existing?.status === 'booked') {
      return { outcome: 'booked', booking: existing, locale, links: manageLinksFor(existing, locale, at, deps) };
    }
  }
  return { outcome: 'slot-taken', locale, freeSlots: await freeSlots(deps, at) };
}

/** A call link whose lead no longer exists (erased): nothing to book for; the visitor can still use the public page. */
export class CallLeadGoneError extends NotFoundError {
  override readonly pageText = {
    de: {
      title: 'Link nicht mehr gültig',
      message: 'Diesen Link können wir nicht mehr zuordnen. Bitte buchen Sie über unsere Website.',
    },
    en: { title: 'Link no longer valid', message: 'We can no longer match this link. Please book through our website.' },
  };

  constructor() {
    super('No lead for this link');
  }
}
