import type { BookingConfig } from '../domain/booking/booking-config';
import { slotLabel } from '../domain/booking/slots';
import type { Interaction, Locale } from '../domain/lead';
import { callManageLinks } from '../links/journey-links';

/**
 * The expert call a sales notification names: the lead's latest `call_requested` with a slot still ahead (a
 * call-back request has none, a past call is no news). The slot in the sales locale, short, as in the subject
 * ("Di 08.12. 10:15"), and the link to its calendar event, so sales gets the same .ics as the lead.
 */
export function bookedCall(
  interactions: readonly Interaction[],
  input: {
    at: string;
    leadId: string;
    leadLocale: Locale;
    salesLocale: Locale;
    config: BookingConfig;
    publicBaseUrl: string;
    signingKey: string;
  },
): { slot: string; icsUrl: string } | undefined {
  const call = [...interactions]
    .reverse()
    .find((interaction) => interaction.type === 'call_requested' && interaction.slot && interaction.externalId);
  if (!call?.slot || !call.externalId || Date.parse(call.slot) <= Date.parse(input.at)) return undefined;
  const { icsUrl } = callManageLinks({
    publicBaseUrl: input.publicBaseUrl,
    signingKey: input.signingKey,
    leadId: input.leadId,
    locale: input.leadLocale,
    bookingId: call.externalId,
    at: input.at,
  });
  return { slot: slotLabel(call.slot, input.salesLocale, input.config.timeZone), icsUrl };
}
