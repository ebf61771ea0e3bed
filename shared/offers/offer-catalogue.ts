/**
 * What a nurture step offers, named in config/nurture-sequences.json as one string:
 * - an asset id of config/content-catalogue.json (a PDF download),
 * - `webinar:<id>` of config/webinars.json (a webinar registration),
 * - `expert-call` (the 15-minute call, booked on GET /call).
 * Resolution is pure: both catalogues are validated at module load.
 */
import { findAsset, type ContentAsset } from '../capture/content-catalogue';
import type { Locale } from '../domain/lead';
import { findWebinar, type Webinar } from './webinar-catalogue';

export const EXPERT_CALL_OFFER = 'expert-call';
const WEBINAR_PREFIX = 'webinar:';

export type Offer =
  | { kind: 'download'; ref: string; asset: ContentAsset }
  | { kind: 'webinar'; ref: string; webinar: Webinar }
  | ExpertCallOffer;

interface ExpertCallOffer {
  kind: 'expert-call';
  ref: typeof EXPERT_CALL_OFFER;
}

/** The offer a reference names, or undefined when no catalogue knows it. */
export function resolveOffer(ref: string): Offer | undefined {
  if (ref === EXPERT_CALL_OFFER) return { kind: 'expert-call', ref: EXPERT_CALL_OFFER };
  if (ref.startsWith(WEBINAR_PREFIX)) {
    const webinar = findWebinar(ref.slice(WEBINAR_PREFIX.length));
    return webinar ? { kind: 'webinar', ref, webinar } : undefined;
  }
  const asset = findAsset(ref);
  return asset ? { kind: 'download', ref, asset } : undefined;
}

/** Why a reference is not an offer, for config validation messages. */
export function unknownOfferMessage(ref: string): string {
  if (ref.startsWith(WEBINAR_PREFIX))
    return `unknown offer "${ref}": no webinar "${ref.slice(WEBINAR_PREFIX.length)}" in config/webinars.json`;
  return (
    `unknown offer "${ref}": expected an asset id of config/content-catalogue.json, ` +
    '"webinar:<id>" of config/webinars.json, or "expert-call"'
  );
}

const EXPERT_CALL_TITLE: Record<Locale, string> = {
  de: '15-Minuten-Gespräch mit einem unserer Experten',
  en: 'A 15-minute call with one of our experts',
};

/** The offer's title as the lead reads it, in the mail's or page's language. */
export function offerTitle(offer: Offer, locale: Locale): string {
  switch (offer.kind) {
    case 'download':
      return offer.asset.title[locale];
    case 'webinar':
      return offer.webinar.title[locale];
    case 'expert-call':
      return EXPERT_CALL_TITLE[locale];
  }
}
