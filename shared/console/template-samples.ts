import type { Locale } from '../domain/lead';
import type { NurtureConfig } from '../domain/nurture';
import type { CommonVariables, SenderVariables, TemplateId, TemplateVariables } from '../email/email-templates';
import { offerTitle, resolveOffer } from '../offers/offer-catalogue';

/**
 * Sample data for every email template, so the console can show (and test-send) each one as a lead would get it:
 * the sender identity is the installation's own; names, links and dates are made up. Links point at this
 * installation's pages with a token that opens nothing ("sample").
 */
export interface SampleContext {
  sender: SenderVariables;
  publicBaseUrl: string;
  /** where a nurture template's offer comes from: the step that sends it */
  nurture: NurtureConfig;
}

type Vars<T extends TemplateId> = TemplateVariables[T] & CommonVariables;

const WORDS = {
  de: {
    firstName: 'Julia',
    assetTitle: 'Lead-Typen kompakt',
    slotLabel: 'Dienstag, 8. Dezember 2026, 10:15–10:30 Uhr (Europe/Berlin)',
    replyBy: 'Mittwoch, 3. Dezember 2026',
    language: 'Deutsch',
    qualification: 'Qualifiziert',
    at: 'Di, 01.12.2026, 10:00',
    timeline: [
      { type: 'Download', detail: 'Lead-Typen kompakt (ToFu)', attribution: 'utm_source=linkedin, page=/ebook' },
      { type: 'Kontaktanfrage', detail: '', attribution: '' },
    ],
    explanation: [
      { reason: 'Geschäftliche E-Mail-Adresse', points: 10 },
      { reason: 'Kontaktanfrage', points: 0 },
    ],
    message: 'Bitte rufen Sie mich an.\nAm liebsten vormittags.',
    offer: 'Angebot',
  },
  en: {
    firstName: 'Julia',
    assetTitle: 'Lead types at a glance',
    slotLabel: 'Tuesday, 8 December 2026, 10:15–10:30 (Europe/Berlin)',
    replyBy: 'Wednesday, 3 December 2026',
    language: 'German',
    qualification: 'Qualified',
    at: 'Tue, 01.12.2026, 10:00',
    timeline: [
      { type: 'Download', detail: 'Lead types at a glance (ToFu)', attribution: 'utm_source=linkedin, page=/ebook' },
      { type: 'Contact request', detail: '', attribution: '' },
    ],
    explanation: [
      { reason: 'Business email address', points: 10 },
      { reason: 'Contact request', points: 0 },
    ],
    message: 'Please call me.\nMornings are best.',
    offer: 'Offer',
  },
} as const;

export function sampleVariables<T extends TemplateId>(templateId: T, locale: Locale, context: SampleContext): Vars<T> {
  return samples(locale, context)[templateId] as Vars<T>;
}

function samples(locale: Locale, context: SampleContext): { [K in TemplateId]: Vars<K> } {
  const words = WORDS[locale];
  const { sender } = context;
  const link = (path: string) => `${context.publicBaseUrl}${path}?token=sample`;
  const marketing = (templateId: TemplateId) => ({
    firstName: words.firstName,
    unsubscribeUrl: link('/unsubscribe'),
    imprint: sender.imprint,
    senderName: sender.senderName,
    offerUrl: link('/offers'),
    offerTitle: nurtureOfferTitle(templateId, locale, context.nurture) ?? words.offer,
  });
  return {
    'opt-in': { firstName: words.firstName, confirmUrl: link('/confirm'), ...sender },
    'download-link': { firstName: words.firstName, assetTitle: words.assetTitle, downloadUrl: link('/downloads/sample'), ...sender },
    'sales-notification': {
      firstName: '',
      qualificationKind: 'MQL',
      lead: {
        fullName: 'Julia Beispiel',
        firstName: 'Julia',
        lastName: 'Beispiel',
        company: 'Beispiel Maschinenbau GmbH',
        jobTitle: 'Head of Marketing',
        email: 'julia.beispiel@example.com',
        phone: '+49 30 1234567',
        locale: 'de',
        language: words.language,
      },
      score: 40,
      fitScore: 15,
      engagementScore: 25,
      qualification: words.qualification,
      funnelStage: 'BoFu',
      scoreExplanation: words.explanation.map((line) => ({ ...line, at: words.at })),
      timeline: words.timeline.map((entry) => ({ ...entry, at: words.at })),
      contactMessage: words.message,
      acceptUrl: link('/sales/accept'),
      recycleUrl: link('/sales/recycle'),
      leadUrl: '',
      leadViewCommand: 'npx leadpipe lead show julia.beispiel@example.com',
      callSlot: '',
      callIcsUrl: '',
    },
    'call-confirmation': {
      firstName: words.firstName,
      status: 'booked',
      slotLabel: words.slotLabel,
      manageUrl: link('/call/manage'),
      icsUrl: link('/call/event.ics'),
      ...sender,
    },
    'contact-acknowledgement': { firstName: words.firstName, replyBy: words.replyBy, ...sender },
    'tofu-1': marketing('tofu-1'),
    'tofu-2': marketing('tofu-2'),
    'mofu-1': marketing('mofu-1'),
    'mofu-2': marketing('mofu-2'),
    'bofu-1': marketing('bofu-1'),
  };
}

/** The title of the offer the nurture step that sends this template makes, as the lead would read it. */
function nurtureOfferTitle(templateId: TemplateId, locale: Locale, nurture: NurtureConfig): string | undefined {
  for (const steps of Object.values(nurture.tracks)) {
    const step = steps.find((candidate) => candidate.templateId === templateId);
    const offer = step ? resolveOffer(step.offer) : undefined;
    if (offer) return offerTitle(offer, locale);
  }
  return undefined;
}
