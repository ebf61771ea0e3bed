/**
 * The variables of one nurture mail, built in one place so the dispatcher and the template-links test
 * render exactly the same links. Every CTA is personal and signed: the step's offer page (GET /offers)
 * or, for the expert call, the booking page (GET /call). Pure: no clock, no I/O.
 */
import type { Locale } from '../domain/lead';
import type { CommonVariables, MarketingTemplateId, TemplateVariables } from '../email/email-templates';
import { callLink, offerLink } from '../links/journey-links';
import { offerTitle, resolveOffer } from '../offers/offer-catalogue';
import { signToken } from '../security/signed-token';

export interface NurtureEmailInput {
  leadId: string;
  firstName: string | undefined;
  locale: Locale;
  /** the step's name, e.g. "tofu-1": recorded with the sent mail, and the links' `ref` to find that mail again */
  step: string;
  /** the step's offer as configured (validated at config load) */
  offer: string;
  /** the step's template: its unsubscribe link names it, so an unsubscribe counts in that template's figures */
  templateId: string;
  /** the send time: links expire counted from it */
  at: string;
  publicBaseUrl: string;
  signingKey: string;
  imprint: string;
  /** the sign-off (SENDER_NAME) */
  senderName: string;
}

export type NurtureEmailVars = TemplateVariables[MarketingTemplateId] & CommonVariables;

/** The mail's variables, and its unsubscribe URL (also the List-Unsubscribe header). */
export function nurtureEmailVars(input: NurtureEmailInput): { vars: NurtureEmailVars; unsubscribeUrl: string } {
  const { leadId, locale, publicBaseUrl, signingKey } = input;
  const offer = resolveOffer(input.offer);
  // The config is validated at load, so this is a config object built in code without the schema.
  if (!offer) throw new Error(`Nurture step ${input.step} offers ${JSON.stringify(input.offer)}, which no catalogue knows`);
  const unsubscribeToken = signToken({ purpose: 'unsubscribe', leadId, data: { locale, template: input.templateId } }, signingKey);
  const unsubscribeUrl = `${publicBaseUrl}/unsubscribe?token=${encodeURIComponent(unsubscribeToken)}`;
  const link = { publicBaseUrl, signingKey, leadId, locale, ref: input.step, at: input.at };
  // The expert call is booked on its own page (slots, call-back), not through the offer page.
  const offerUrl = offer.kind === 'expert-call' ? callLink(link) : offerLink({ ...link, offer: offer.ref });
  return {
    vars: {
      firstName: input.firstName ?? '',
      unsubscribeUrl,
      imprint: input.imprint,
      senderName: input.senderName,
      offerUrl,
      offerTitle: offerTitle(offer, locale),
    },
    unsubscribeUrl,
  };
}
