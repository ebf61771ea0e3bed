/**
 * Email template catalogue and a pure renderer. The copy lives in editable Handlebars files
 * under content/emails/<templateId>/<locale>/ (subject.txt, preheader.txt, body.html, body.txt),
 * wrapped by content/emails/_layout/body.html and body.txt.
 */
import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import type { FunnelStage, Locale, Qualification, ScoreContribution } from '../domain/lead';
import { escapeHtml } from './escape-html';

export const TEMPLATE_IDS = [
  'opt-in',
  'download-link',
  'sales-notification',
  'call-confirmation',
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
}

export interface SalesTimelineEntry {
  /** ISO-8601 timestamp */
  at: string;
  type: string;
  /** may be empty */
  detail: string;
  /** e.g. "utm_source=x, page=/y"; may be empty */
  attribution: string;
}

export interface SalesNotificationVariables {
  qualificationKind: 'MQL' | 'PQL';
  lead: SalesNotificationLead;
  score: number;
  fitScore: number;
  engagementScore: number;
  qualification: Qualification;
  funnelStage: FunnelStage | null;
  scoreExplanation: ScoreContribution[];
  timeline: SalesTimelineEntry[];
  /** the hand-raiser's message; may be empty */
  contactMessage: string;
  acceptUrl: string;
  recycleUrl: string;
  /** e.g. `npx leadpipe lead show x@y` */
  leadViewCommand: string;
  /** a booked expert call: its slot in the sales locale, e.g. "Di 08.12. 10:15"; empty when none */
  callSlot: string;
  /** the booked call's calendar event (.ics); empty when none */
  callIcsUrl: string;
}

/** The confirmation of a booked, moved or cancelled expert call, to the lead (transactional). */
export interface CallConfirmationVariables {
  status: 'booked' | 'moved' | 'cancelled';
  /** the slot in the lead's locale and the call's time zone, e.g. "Dienstag, 8. Dezember 2026, 10:15–10:30 Uhr (Europe/Berlin)" */
  slotLabel: string;
  /** cancel or move the booking */
  manageUrl: string;
  /** the calendar event (.ics) */
  icsUrl: string;
}

/** What every nurture step links to: the page of its offer (shared/nurture/offers.ts), personal and signed. */
export interface OfferVariables {
  offerUrl: string;
  /** the offer's title in the mail's locale */
  offerTitle: string;
}

export interface TemplateVariables {
  'opt-in': { confirmUrl: string };
  'download-link': { assetTitle: string; downloadUrl: string };
  'sales-notification': SalesNotificationVariables;
  'call-confirmation': CallConfirmationVariables;
  'tofu-1': MarketingVariables & OfferVariables;
  'tofu-2': MarketingVariables & OfferVariables;
  'mofu-1': MarketingVariables & OfferVariables;
  'mofu-2': MarketingVariables & OfferVariables;
  'bofu-1': MarketingVariables & OfferVariables;
}

type TemplateSpec<K extends TemplateId> = {
  kind: TemplateKind;
  variables: readonly (keyof TemplateVariables[K] & string)[];
};

const MARKETING_VARIABLES = ['unsubscribeUrl', 'imprint'] as const;
const OFFER_VARIABLES = ['offerUrl', 'offerTitle'] as const;

/**
 * Kind and top-level variables of every template. The variable list is checked at runtime
 * because Handlebars' strict mode does not cover helper arguments such as `{{#if company}}`.
 */
export const TEMPLATES = {
  'opt-in': { kind: 'system', variables: ['confirmUrl'] },
  'download-link': { kind: 'system', variables: ['assetTitle', 'downloadUrl'] },
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
      'leadViewCommand',
      'callSlot',
      'callIcsUrl',
    ],
  },
  'call-confirmation': { kind: 'system', variables: ['status', 'slotLabel', 'manageUrl', 'icsUrl'] },
  'tofu-1': { kind: 'marketing', variables: [...MARKETING_VARIABLES, ...OFFER_VARIABLES] },
  'tofu-2': { kind: 'marketing', variables: [...MARKETING_VARIABLES, ...OFFER_VARIABLES] },
  'mofu-1': { kind: 'marketing', variables: [...MARKETING_VARIABLES, ...OFFER_VARIABLES] },
  'mofu-2': { kind: 'marketing', variables: [...MARKETING_VARIABLES, ...OFFER_VARIABLES] },
  'bofu-1': { kind: 'marketing', variables: [...MARKETING_VARIABLES, ...OFFER_VARIABLES] },
} as const satisfies { [K in TemplateId]: TemplateSpec<K> };

// Compile-time guard: every key of TemplateVariables[K] must be listed in TEMPLATES[K].variables.
type UndeclaredVariables = {
  [K in TemplateId]: Exclude<keyof TemplateVariables[K], (typeof TEMPLATES)[K]['variables'][number]>;
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

// ---------------------------------------------------------------------------------------------
// Rendering

export interface RenderedEmail {
  subject: string;
  preheader: string;
  html: string;
  text: string;
}

type Compiled = (context: unknown) => string;

interface CompiledTemplate {
  subject: Compiled;
  preheader: Compiled;
  html: Compiled;
  text: Compiled;
}

interface CompiledLayout {
  html: Compiled;
  text: Compiled;
}

const hb = Handlebars.create();
hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
// Multi-line plain text (imprint, contact message) in HTML: escape first, then add <br>.
hb.registerHelper(
  'nl2br',
  (value: unknown) =>
    new hb.SafeString(escapeHtml(value === null || value === undefined ? '' : String(value)).replace(/\r\n|\r|\n/g, '<br>\n')),
);

const templateCache = new Map<string, CompiledTemplate>();
const layoutCache = new Map<string, CompiledLayout>();

class TemplateError extends Error {
  override name = 'TemplateError';
}

function templateLabel(templateId: string, locale: string, file: string): string {
  return `email template "${templateId}" (locale "${locale}", ${file})`;
}

function compileFile(source: TemplateSource, relativePath: string, kind: 'html' | 'text', where: string): Compiled {
  let raw: string;
  try {
    raw = source.read(relativePath);
  } catch (err) {
    throw new TemplateError(`Cannot read ${where}: ${(err as Error).message}`, { cause: err });
  }
  try {
    // Text parts (subject, preheader, body.txt) are plain text: HTML escaping there would
    // turn "Müller & Co" into "Müller &amp; Co".
    const template = hb.compile(raw, { strict: true, noEscape: kind === 'text' });
    return (context) => template(context);
  } catch (err) {
    throw new TemplateError(`Cannot compile ${where}: ${(err as Error).message}`, { cause: err });
  }
}

function loadTemplate(source: TemplateSource, templateId: TemplateId, locale: Locale): CompiledTemplate {
  const key = `${source.id}\u0000${templateId}\u0000${locale}`;
  let compiled = templateCache.get(key);
  if (!compiled) {
    const file = (name: string, kind: 'html' | 'text') =>
      compileFile(source, `${templateId}/${locale}/${name}`, kind, templateLabel(templateId, locale, name));
    compiled = {
      subject: file('subject.txt', 'text'),
      preheader: file('preheader.txt', 'text'),
      html: file('body.html', 'html'),
      text: file('body.txt', 'text'),
    };
    templateCache.set(key, compiled);
  }
  return compiled;
}

function loadLayout(source: TemplateSource, templateId: TemplateId, locale: Locale): CompiledLayout {
  let compiled = layoutCache.get(source.id);
  if (!compiled) {
    compiled = {
      html: compileFile(source, '_layout/body.html', 'html', templateLabel(templateId, locale, '_layout/body.html')),
      text: compileFile(source, '_layout/body.txt', 'text', templateLabel(templateId, locale, '_layout/body.txt')),
    };
    layoutCache.set(source.id, compiled);
  }
  return compiled;
}

function run(template: Compiled, context: unknown, where: string): string {
  try {
    return template(context);
  } catch (err) {
    const message = (err as Error).message;
    // Handlebars strict mode: `"confirmUrl" not defined in [object Object] - 3:12`
    const missing = /^"([^"]+)" not defined in/.exec(message);
    if (missing) throw new TemplateError(`${where}: missing variable "${missing[1]}"`, { cause: err });
    throw new TemplateError(`${where}: ${message}`, { cause: err });
  }
}

function assertVariables(templateId: TemplateId, locale: Locale, vars: Record<string, unknown>): void {
  const where = templateLabel(templateId, locale, 'variables');
  for (const name of ['firstName', ...TEMPLATES[templateId].variables]) {
    if (!(name in vars) || vars[name] === undefined) {
      throw new TemplateError(`${where}: missing variable "${name}"`);
    }
  }
  if (typeof vars.firstName !== 'string') {
    throw new TemplateError(`${where}: variable "firstName" must be a string (may be empty)`);
  }
  if (TEMPLATES[templateId].kind === 'marketing') {
    // A marketing mail without imprint or unsubscribe link must never go out.
    for (const name of MARKETING_VARIABLES) {
      const value = vars[name];
      if (typeof value !== 'string' || value.trim() === '') {
        throw new TemplateError(`${where}: variable "${name}" must be a non-empty string`);
      }
    }
  }
}

function tidyText(text: string): string {
  return `${text
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
}

/**
 * Renders a template in a locale. Pure apart from reading (and caching) the template files.
 * Throws an Error naming template, locale and variable when a variable is missing.
 */
export function renderEmail<T extends TemplateId>(
  templateId: T,
  locale: Locale,
  vars: TemplateVariables[T] & CommonVariables,
  source: TemplateSource = defaultTemplateSource(),
): RenderedEmail {
  if (!isTemplateId(templateId)) throw new TemplateError(`Unknown email template "${String(templateId)}"`);
  if (locale !== 'de' && locale !== 'en') {
    throw new TemplateError(`Unsupported locale "${String(locale)}" for email template "${templateId}"`);
  }
  assertVariables(templateId, locale, vars as unknown as Record<string, unknown>);

  const template = loadTemplate(source, templateId, locale);
  const layout = loadLayout(source, templateId, locale);
  const where = (file: string) => templateLabel(templateId, locale, file);

  const context = { ...vars, locale, marketing: TEMPLATES[templateId].kind === 'marketing' };
  const subject = sanitizeHeaderValue(run(template.subject, context, where('subject.txt')));
  const preheader = sanitizeHeaderValue(run(template.preheader, context, where('preheader.txt')));
  const htmlContent = run(template.html, context, where('body.html'));
  const textContent = run(template.text, context, where('body.txt'));

  const html = run(layout.html, { ...context, subject, preheader, content: htmlContent }, where('_layout/body.html'));
  const text = tidyText(run(layout.text, { ...context, subject, preheader, content: textContent }, where('_layout/body.txt')));
  return { subject, preheader, html, text };
}
