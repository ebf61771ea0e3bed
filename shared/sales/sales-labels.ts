/**
 * What sales reads, in the sales locale: score reasons, interaction types, qualification, funnel stage and language.
 * Classification stores its reasons in fixed English words (shared/domain/classification/classify-lead.ts), which stay
 * as they are (the CLI, the lead view and the recalculation compare them); they are translated only when shown.
 */
import { findAsset } from '../capture/content-catalogue';
import type { FunnelStage, InteractionType, Locale, Qualification } from '../domain/lead';
import { findWebinar } from '../offers/webinar-catalogue';

const STAGE_LABELS: Record<FunnelStage, string> = { tofu: 'ToFu', mofu: 'MoFu', bofu: 'BoFu' };

const QUALIFICATION_LABELS: Record<Locale, Record<Qualification, string>> = {
  de: { qualified: 'Qualifiziert', unqualified: 'Nicht qualifiziert' },
  en: { qualified: 'Qualified', unqualified: 'Not qualified' },
};

const LANGUAGE_LABELS: Record<Locale, Record<Locale, string>> = {
  de: { de: 'Deutsch', en: 'Englisch' },
  en: { de: 'German', en: 'English' },
};

const INTERACTION_LABELS: Record<Locale, Record<InteractionType, string>> = {
  de: {
    newsletter_signup: 'Newsletter-Anmeldung',
    download: 'Download',
    contact: 'Kontaktanfrage',
    consent_confirmed: 'Einwilligung bestätigt',
    webinar_attended: 'Webinar besucht',
    trial_started: 'Testversion gestartet',
    email_click: 'E-Mail-Klick',
    email_open: 'E-Mail geöffnet',
    webinar_registered: 'Zum Webinar angemeldet',
    call_requested: 'Experten-Gespräch angefragt',
  },
  en: {
    newsletter_signup: 'Newsletter signup',
    download: 'Download',
    contact: 'Contact request',
    consent_confirmed: 'Consent confirmed',
    webinar_attended: 'Webinar attended',
    trial_started: 'Trial started',
    email_click: 'Email click',
    email_open: 'Email opened',
    webinar_registered: 'Registered for a webinar',
    call_requested: 'Expert call requested',
  },
};

/** Every fixed reason classification writes, by its stored words; the ones with a reference are matched by prefix below. */
const FIXED_REASONS: Record<string, Record<Locale, string>> = {
  'business email domain': { de: 'geschäftliche E-Mail-Adresse', en: 'business email address' },
  'company given': { de: 'Unternehmen angegeben', en: 'company given' },
  'consent confirmed': { de: INTERACTION_LABELS.de.consent_confirmed, en: INTERACTION_LABELS.en.consent_confirmed },
  'newsletter signup': { de: INTERACTION_LABELS.de.newsletter_signup, en: INTERACTION_LABELS.en.newsletter_signup },
  'expert call requested': { de: INTERACTION_LABELS.de.call_requested, en: INTERACTION_LABELS.en.call_requested },
  'contact request': { de: INTERACTION_LABELS.de.contact, en: INTERACTION_LABELS.en.contact },
};

/** `<label>` or `<label>: <reference>`; the reference of a mail (a message id) means nothing to sales and is left out. */
const REFERENCED_REASONS: { stored: string; type: InteractionType; reference: 'webinar' | 'shown' | 'hidden' }[] = [
  { stored: 'webinar attended', type: 'webinar_attended', reference: 'webinar' },
  { stored: 'webinar registered', type: 'webinar_registered', reference: 'webinar' },
  { stored: 'email click', type: 'email_click', reference: 'hidden' },
  { stored: 'email open', type: 'email_open', reference: 'hidden' },
  { stored: 'trial started', type: 'trial_started', reference: 'shown' },
];

const DOWNLOAD_REASON = /^download: (.*) \((tofu|mofu|bofu)\)$/;

export function stageLabel(stage: FunnelStage | null | undefined): string {
  return stage ? STAGE_LABELS[stage] : '';
}

export function qualificationLabel(qualification: Qualification, locale: Locale): string {
  return QUALIFICATION_LABELS[locale][qualification];
}

export function languageLabel(language: Locale, locale: Locale): string {
  return LANGUAGE_LABELS[locale][language];
}

export function interactionLabel(type: InteractionType, locale: Locale): string {
  return INTERACTION_LABELS[locale][type];
}

/** An asset by its title in the sales locale, with its stage: "Preisleitfaden (BoFu)"; an unknown id stays as it is. */
export function assetLabel(assetId: string, stage: FunnelStage | undefined, locale: Locale): string {
  const title = findAsset(assetId)?.title[locale] ?? assetId;
  return stage ? `${title} (${stageLabel(stage)})` : title;
}

export function webinarLabel(webinarId: string, locale: Locale): string {
  return findWebinar(webinarId)?.title[locale] ?? webinarId;
}

/** A stored score reason in the sales locale: "download: pricing-guide (bofu)" → "Download: Preisleitfaden (BoFu)". */
export function scoreReasonLabel(reason: string, locale: Locale): string {
  const fixed = FIXED_REASONS[reason];
  if (fixed) return fixed[locale];
  const download = DOWNLOAD_REASON.exec(reason);
  if (download) return `${INTERACTION_LABELS[locale].download}: ${assetLabel(download[1]!, download[2] as FunnelStage, locale)}`;
  for (const { stored, type, reference } of REFERENCED_REASONS) {
    if (reason !== stored && !reason.startsWith(`${stored}: `)) continue;
    const label = INTERACTION_LABELS[locale][type];
    const ref = reason.slice(stored.length + 2);
    if (!ref || reference === 'hidden') return label;
    return `${label}: ${reference === 'webinar' ? webinarLabel(ref, locale) : ref}`;
  }
  // A reason this table does not know yet (a new rule) is shown as stored rather than hidden.
  return reason;
}
