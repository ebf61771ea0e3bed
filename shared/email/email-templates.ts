/**
 * Email template catalogue and a pure renderer. The copy lives in editable Handlebars files
 * under content/emails/<templateId>/<locale>/ (subject.txt, preheader.txt, body.html, body.txt),
 * wrapped by content/emails/_layout/body.html and body.txt.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Locale } from '../domain/lead';

export const TEMPLATE_IDS = [
  'opt-in',
  'download-link',
  'sales-notification',
  'call-confirmation',
  'contact-acknowledgement',
  'tofu-1',
  'tofu-2',
  'mofu-1',
  'mofu-2',
  'bofu-1',
] as const;
export type TemplateId = (typeof TEMPLATE_IDS)[number];

/** `marketing` templates need consent and always carry the imprint and an unsubscribe link. */
export type TemplateKind = 'system' | 'marketing';

export interface CommonVariables {
  /** The recipient's first name; may be empty, the templates then use a neutral greeting. */
  firstName: string;
  /** Optional: always set to the `locale` argument of renderEmail. */
  locale?: Locale;
}

export interface MarketingVariables {
  unsubscribeUrl: string;
  /** Sender imprint from config; multi-line plain text (line breaks become <br> in HTML). */
  imprint: string;
  /** The sign-off (SENDER_NAME, e.g. "Anna Berger, Beispiel GmbH"). */
  senderName: string;
}

export interface SalesNotificationLead {
  fullName: string;
  firstName: string;
  lastName: string;
  /** may be empty */
  company: string;
  /** may be empty */
  jobTitle: string;
  email: string;
  /** may be empty */
  phone: string;
  locale: Locale;
  /** the lead's language in the sales locale, e.g. "Deutsch" */
  language: string;
}

/** Every value as sales reads it, in the sales locale and time zone (shared/sales/sales-labels.ts, sales-time.ts). */
export interface SalesTimelineEntry {
  /** e.g. "Di, 02.12.2026, 17:35" (Europe/Berlin) */
  at: string;
  /** e.g. "Download" */
  type: string;
  /** may be empty */
  detail: string;
  /** e.g. "utm_source=x, page=/y"; may be empty */
  attribution: string;
}

/** One line of the score's explanation, as sales reads it: "Di, 02.12.2026, 17:35", "Download: Preisleitfaden (BoFu)", 40. */
export interface SalesScoreLine {
  at: string;
  reason: string;
  points: number;
}

export interface SalesNotificationVariables {
  qualificationKind: 'MQL' | 'PQL';
  lead: SalesNotificationLead;
  score: number;
  fitScore: number;
  engagementScore: number;
  /** e.g. "Qualifiziert" */
  qualification: string;
  /** "ToFu", "MoFu", "BoFu"; empty when none */
  funnelStage: string;
  scoreExplanation: SalesScoreLine[];
  timeline: SalesTimelineEntry[];
  /** the hand-raiser's message; may be empty */
  contactMessage: string;
  acceptUrl: string;
  recycleUrl: string;
  /** the lead's page in the console; empty until the console exists (issue 15): the mail then shows the CLI hint only */
  leadUrl: string;
  /** e.g. `npx leadpipe lead show x@y`: secondary, for whoever has the CLI at hand */
  leadViewCommand: string;
  /** a booked expert call: its slot in the sales locale, e.g. "Di 08.12. 10:15"; empty when none */
  callSlot: string;
  /** the booked call's calendar event (.ics); empty when none */
  callIcsUrl: string;
}

/** The confirmation of a booked, moved or cancelled expert call, to the lead (transactional), signed by the sender. */
export interface CallConfirmationVariables extends SenderVariables {
  status: 'booked' | 'moved' | 'cancelled';
  /** the slot in the lead's locale and the call's time zone, e.g. "Dienstag, 8. Dezember 2026, 10:15–10:30 Uhr (Europe/Berlin)" */
  slotLabel: string;
  /** cancel or move the booking */
  manageUrl: string;
  /** the calendar event (.ics) */
  icsUrl: string;
}

/**
 * Who writes to the lead, from config: every mail to the lead (the opt-in, the download link, the call confirmation, the
 * contact acknowledgement) is signed by a person and carries the imprint, even though it is transactional; those that
 * ask for trust also name the company.
 */
export interface SenderVariables {
  /** e.g. "Beispiel GmbH" (COMPANY_NAME) */
  companyName: string;
  /** the sign-off, e.g. "Anna Berger, Beispiel GmbH" (SENDER_NAME) */
  senderName: string;
  /** Sender imprint from config; multi-line plain text (line breaks become <br> in HTML). */
  imprint: string;
}

/** The sender part of a handler's configuration (SENDER_IDENTITY_ENV in shared/wiring/function-config.ts). */
export function senderOf(config: { COMPANY_NAME: string; SENDER_NAME: string; IMPRINT: string }): SenderVariables {
  return { companyName: config.COMPANY_NAME, senderName: config.SENDER_NAME, imprint: config.IMPRINT };
}

/** The acknowledgement of a contact request, to the requester (transactional). */
export interface ContactAcknowledgementVariables extends SenderVariables {
  /** the day by which sales replies, in the lead's locale, e.g. "Mittwoch, 3. Dezember 2026" */
  replyBy: string;
}

/** What every nurture step links to: the page of its offer (shared/nurture/offers.ts), personal and signed. */
export interface OfferVariables {
  offerUrl: string;
  /** the offer's title in the mail's locale */
  offerTitle: string;
}

export interface TemplateVariables {
  'opt-in': { confirmUrl: string } & SenderVariables;
  'download-link': { assetTitle: string; downloadUrl: string } & SenderVariables;
  'sales-notification': SalesNotificationVariables;
  'call-confirmation': CallConfirmationVariables;
  'contact-acknowledgement': ContactAcknowledgementVariables;
  'tofu-1': MarketingVariables & OfferVariables;
  'tofu-2': MarketingVariables & OfferVariables;
  'mofu-1': MarketingVariables & OfferVariables;
  'mofu-2': MarketingVariables & OfferVariables;
  'bofu-1': MarketingVariables & OfferVariables;
}

type TemplateSpec<K extends TemplateId> = {
  kind: TemplateKind;
  variables: readonly (keyof TemplateVariables[K] & string)[];
  /** variables a template uses when given (inside `{{#if}}`), not checked at render */
  optionalVariables?: readonly (keyof TemplateVariables[K] & string)[];
};

export const MARKETING_VARIABLES = ['unsubscribeUrl', 'imprint', 'senderName'] as const;
const SENDER_VARIABLES = ['companyName', 'senderName', 'imprint'] as const;
const OFFER_VARIABLES = ['offerUrl', 'offerTitle'] as const;

/**
 * Kind and top-level variables of every template. The variable list is checked at runtime
 * because Handlebars' strict mode does not cover helper arguments such as `{{#if company}}`.
 */
export const TEMPLATES = {
  'opt-in': { kind: 'system', variables: [...SENDER_VARIABLES, 'confirmUrl'] },
  'download-link': { kind: 'system', variables: [...SENDER_VARIABLES, 'assetTitle', 'downloadUrl'] },
  'sales-notification': {
    kind: 'system',
    variables: [
      'qualificationKind',
      'lead',
      'score',
      'fitScore',
      'engagementScore',
      'qualification',
      'funnelStage',
      'scoreExplanation',
      'timeline',
      'contactMessage',
      'acceptUrl',
      'recycleUrl',
      'leadUrl',
      'leadViewCommand',
      'callSlot',
      'callIcsUrl',
    ],
  },
  'call-confirmation': { kind: 'system', variables: [...SENDER_VARIABLES, 'status', 'slotLabel', 'manageUrl', 'icsUrl'] },
  'contact-acknowledgement': { kind: 'system', variables: [...SENDER_VARIABLES, 'replyBy'] },
  'tofu-1': { kind: 'marketing', variables: [...MARKETING_VARIABLES, ...OFFER_VARIABLES] },
  'tofu-2': { kind: 'marketing', variables: [...MARKETING_VARIABLES, ...OFFER_VARIABLES] },
  'mofu-1': { kind: 'marketing', variables: [...MARKETING_VARIABLES, ...OFFER_VARIABLES] },
  'mofu-2': { kind: 'marketing', variables: [...MARKETING_VARIABLES, ...OFFER_VARIABLES] },
  'bofu-1': { kind: 'marketing', variables: [...MARKETING_VARIABLES, ...OFFER_VARIABLES] },
} as const satisfies { [K in TemplateId]: TemplateSpec<K> };

// Compile-time guard: every key of TemplateVariables[K] must be listed in TEMPLATES[K].variables or optionalVariables.
type OptionalVariables<K extends TemplateId> = (typeof TEMPLATES)[K] extends { optionalVariables: readonly (infer V)[] } ? V : never;
type UndeclaredVariables = {
  [K in TemplateId]: Exclude<keyof TemplateVariables[K], (typeof TEMPLATES)[K]['variables'][number] | OptionalVariables<K>>;
}[TemplateId];
const allVariablesDeclared: [UndeclaredVariables] extends [never] ? true : UndeclaredVariables = true;
void allVariablesDeclared;

/** The templates whose variables include the marketing footer's: derived, so it follows the catalogue. */
export type MarketingTemplateId = { [K in TemplateId]: TemplateVariables[K] extends MarketingVariables ? K : never }[TemplateId];

export const MARKETING_TEMPLATE_IDS: readonly TemplateId[] = TEMPLATE_IDS.filter((id) => TEMPLATES[id].kind === 'marketing');
export const SYSTEM_TEMPLATE_IDS: readonly TemplateId[] = TEMPLATE_IDS.filter((id) => TEMPLATES[id].kind === 'system');

export function isTemplateId(value: string): value is TemplateId {
  return (TEMPLATE_IDS as readonly string[]).includes(value);
}

export function templateKind(templateId: TemplateId): TemplateKind {
  return TEMPLATES[templateId].kind;
}

export function isMarketingTemplate(templateId: TemplateId): boolean {
  return templateKind(templateId) === 'marketing';
}

// ---------------------------------------------------------------------------------------------
// Template sources

export interface TemplateSource {
  /** Identifies the source in the per-process compiled-template cache. */
  readonly id: string;
  /** Returns the file at a path relative to content/emails, e.g. "opt-in/de/subject.txt". */
  read(relativePath: string): string;
}

/** Reads `<baseDir>/content/emails/...` from disk. */
export function fileTemplateSource(baseDir: string): TemplateSource {
  const root = path.resolve(baseDir, 'content', 'emails');
  return {
    id: `file:${root}`,
    read(relativePath) {
      // Editors on Windows like to prepend a BOM; it would end up in the subject.
      return fs.readFileSync(path.join(root, relativePath), 'utf8').replace(/^\uFEFF/, '');
    },
  };
}

let defaultSource: TemplateSource | undefined;

/** On Lambda the content folder is copied next to the bundle; locally cwd is the repo root. */
export function defaultTemplateSource(): TemplateSource {
  defaultSource ??= fileTemplateSource(process.env.LAMBDA_TASK_ROOT ?? process.cwd());
  return defaultSource;
}

// ---------------------------------------------------------------------------------------------
// Header safety

// C0 controls (CR, LF, TAB, ...), DEL, C1 controls and the Unicode line/paragraph separators.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/**
 * Makes a value safe for a single-line mail header (Subject, From display name): control
 * characters including CR/LF are replaced, whitespace is collapsed and the result trimmed.
 */
export function sanitizeHeaderValue(value: string): string {
  return value.replace(CONTROL_CHARS, ' ').replace(/\s+/g, ' ').trim();
}

export interface RenderedEmail {
  subject: string;
  preheader: string;
  html: string;
  text: string;
}
