import type { Locale } from '../domain/lead';
import { signToken } from '../security/signed-token';

/**
 * The personal links of the journey past the first mail, built in one place so that the mails that
 * carry them and the handlers that verify them agree. Each is signed for one purpose and one lead.
 * `ref` names the mail the link came from (the nurture step, e.g. "tofu-1"): the handler finds that
 * mail's SES message id through it, to count the click once per message.
 */

/** Offer links stay valid this long: a nurture mail may be opened weeks later. */
export const OFFER_LINK_DAYS = 60;
/** Booking management links (cancel, move, .ics) stay valid until well after the call. */
export const CALL_MANAGE_LINK_DAYS = 60;

function expiresAfter(at: string, days: number): string {
  return new Date(Date.parse(at) + days * 86_400_000).toISOString();
}

function link(publicBaseUrl: string, path: string, token: string): string {
  return `${publicBaseUrl}${path}?token=${encodeURIComponent(token)}`;
}

/** A nurture step's offer: GET /offers shows it, POST delivers it. `offer` is an asset id or `webinar:<id>`. */
export function offerLink(input: {
  publicBaseUrl: string;
  signingKey: string;
  leadId: string;
  locale: Locale;
  offer: string;
  ref: string;
  at: string;
}): string {
  const token = signToken(
    {
      purpose: 'offer',
      leadId: input.leadId,
      expiresAt: expiresAfter(input.at, OFFER_LINK_DAYS),
      data: { offer: input.offer, ref: input.ref, locale: input.locale },
    },
    input.signingKey,
  );
  return link(input.publicBaseUrl, '/offers', token);
}

/** The expert-call page prefilled for a known lead (the bofu mail's offer). */
export function callLink(input: {
  publicBaseUrl: string;
  signingKey: string;
  leadId: string;
  locale: Locale;
  ref: string;
  at: string;
}): string {
  const token = signToken(
    {
      purpose: 'call',
      leadId: input.leadId,
      expiresAt: expiresAfter(input.at, OFFER_LINK_DAYS),
      data: { ref: input.ref, locale: input.locale },
    },
    input.signingKey,
  );
  return link(input.publicBaseUrl, '/call', token);
}

/** Cancel or move a booking, and its calendar event: `bookingId` names the booking. */
export function callManageLinks(input: {
  publicBaseUrl: string;
  signingKey: string;
  leadId: string;
  locale: Locale;
  bookingId: string;
  at: string;
}): { manageUrl: string; icsUrl: string } {
  const token = signToken(
    {
      purpose: 'call-manage',
      leadId: input.leadId,
      expiresAt: expiresAfter(input.at, CALL_MANAGE_LINK_DAYS),
      data: { bookingId: input.bookingId, locale: input.locale },
    },
    input.signingKey,
  );
  return { manageUrl: link(input.publicBaseUrl, '/call/manage', token), icsUrl: link(input.publicBaseUrl, '/call/event.ics', token) };
}
