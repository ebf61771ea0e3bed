/**
 * Minimal bilingual HTML pages for token links (confirm, unsubscribe, accept/recycle) and plain
 * HTML form posts. Pure functions; every interpolated value goes through escapeHtml. No JavaScript.
 */
import type { Locale } from '../domain/lead';
import { escapeHtml } from '../email/escape-html';

export type PageStatus = 'success' | 'info' | 'error';

export interface SelectOption {
  value: string;
  label: string;
}

export interface ActionPageField {
  name: string;
  label: string;
  options: SelectOption[];
}

export interface ActionPageInput {
  locale: Locale;
  title: string;
  message: string;
  /** The button POSTs here: a GET on a token link must never change state. */
  actionUrl: string;
  buttonLabel: string;
  /** Optional select fields submitted with the form (e.g. a recycle reason). */
  extraFields?: ActionPageField[];
  /** Hidden values the button posts along (e.g. an expired link's token, for "send me a new link"). */
  hiddenFields?: Record<string, string>;
}

export interface MessagePageInput {
  locale: Locale;
  title: string;
  message: string;
  /** Accent of the page; an HTTP status code is accepted too (>= 400 → error, 2xx → success). */
  status?: PageStatus | number;
  /** Optional link back (to the site or the form); ignored unless it is an http(s) URL or a path. */
  backUrl?: string;
}

export interface FieldErrorsPageInput {
  locale: Locale;
  /** field name → error message */
  fields: Record<string, string>;
  /** Optional link back to the form; ignored unless it is an http(s) URL or a path. */
  backUrl?: string;
}

const ACCENT: Record<PageStatus, string> = {
  success: '#15803d',
  info: '#1d4ed8',
  error: '#b91c1c',
};

const FIELD_LABELS: Record<Locale, Record<string, string>> = {
  de: {
    email: 'E-Mail',
    firstName: 'Vorname',
    lastName: 'Nachname',
    company: 'Unternehmen',
    jobTitle: 'Position',
    phone: 'Telefon',
    message: 'Nachricht',
    consent: 'Einwilligung',
    marketingConsent: 'Einwilligung',
    privacy: 'Datenschutz',
    assetId: 'Inhalt',
    locale: 'Sprache',
    offer: 'Angebot',
    reason: 'Grund',
    slot: 'Termin',
  },
  en: {
    email: 'Email',
    firstName: 'First name',
    lastName: 'Last name',
    company: 'Company',
    jobTitle: 'Job title',
    phone: 'Phone',
    message: 'Message',
    consent: 'Consent',
    marketingConsent: 'Consent',
    privacy: 'Privacy',
    assetId: 'Content',
    locale: 'Language',
    offer: 'Offer',
    reason: 'Reason',
    slot: 'Time slot',
  },
};

const TEXTS = {
  de: {
    fieldErrorsTitle: 'Bitte prüfen Sie Ihre Eingaben',
    fieldErrorsIntro: 'Einige Angaben konnten wir nicht verarbeiten:',
    fieldErrorsBack: 'Zurück zum Formular',
    fieldErrorsHint: 'Bitte gehen Sie in Ihrem Browser zurück und korrigieren Sie die genannten Felder.',
    back: 'Zurück',
    toStart: 'Zur Startseite',
    entry: 'Angabe',
    required: 'Bitte ausfüllen.',
    email: 'Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@firma.de.',
    consent: 'Bitte stimmen Sie zu, damit wir Ihnen den Newsletter senden dürfen.',
    tooLong: (max: string) => `Bitte höchstens ${max} Zeichen.`,
    lineBreaks: 'Bitte ohne Zeilenumbrüche oder Steuerzeichen.',
    asset: 'Bitte wählen Sie ein Dokument aus der Liste.',
    phone: 'Bitte nur Ziffern, Leerzeichen und + ( ) - / . verwenden.',
    invalid: 'Bitte prüfen Sie diese Angabe.',
  },
  en: {
    fieldErrorsTitle: 'Please check your input',
    fieldErrorsIntro: 'We could not process some of your details:',
    fieldErrorsBack: 'Back to the form',
    fieldErrorsHint: 'Please go back in your browser and correct the fields listed.',
    back: 'Back',
    toStart: 'Go to the home page',
    entry: 'Entry',
    required: 'Please fill this in.',
    email: 'Please enter a valid email address, e.g. name@company.com.',
    consent: 'Please agree so that we may send you the newsletter.',
    tooLong: (max: string) => `Please use at most ${max} characters.`,
    lineBreaks: 'Please leave out line breaks and control characters.',
    asset: 'Please choose a document from the list.',
    phone: 'Please use only digits, spaces and + ( ) - / .',
    invalid: 'Please check this entry.',
  },
} as const;

/**
 * The one inline style of every page, the same text for each page so the Content-Security-Policy
 * can allow it by hash (see security-headers.ts); the accent is a class, not interpolated CSS.
 */
export const PAGE_STYLE = `
body{margin:0;padding:32px 16px;background:#f4f5f7;font-family:Arial,Helvetica,sans-serif;color:#1f2933;line-height:1.5}
main{max-width:560px;margin:0 auto;padding:32px;background:#fff;border-top:4px solid ${ACCENT.info}}
main.success{border-top-color:${ACCENT.success}}
main.error{border-top-color:${ACCENT.error}}
h1{margin:0 0 16px;font-size:24px}
p{margin:0 0 16px}
label{display:block;margin:0 0 4px;font-weight:bold}
select{display:block;width:100%;margin:0 0 16px;padding:8px;font-size:16px}
button,.button{display:inline-block;padding:12px 24px;border:0;border-radius:4px;background:#1d4ed8;color:#fff}
button,.button{font-size:16px;font-weight:bold;text-decoration:none;cursor:pointer}
ul{margin:0 0 16px;padding-left:20px}
input[type=text],input[type=email],input[type=tel]{width:100%;box-sizing:border-box;padding:8px;font-size:16px}
input[type=text],input[type=email],input[type=tel]{border:1px solid #9aa5b1;border-radius:4px}
fieldset.day{min-width:0;margin:0 0 16px;padding:0;border:0}
fieldset.day legend{margin:0 0 8px;padding:0;font-weight:bold}
.times{position:relative;display:grid;grid-template-columns:repeat(auto-fill,minmax(60px,1fr));gap:6px}
.times input{position:absolute;top:0;left:0;width:1px;height:1px;margin:0;opacity:0}
.times label{margin:0;padding:5px 0;border:1px solid #9aa5b1;border-radius:999px;background:#fff}
.times label{font-weight:normal;text-align:center;cursor:pointer}
.times label:hover{border-color:#1d4ed8;background:#eff6ff}
.times input:checked+label{border-color:#1d4ed8;background:#1d4ed8;color:#fff;font-weight:bold}
.times input:focus-visible+label{outline:3px solid #1d4ed8;outline-offset:2px}
@media (forced-colors:active){.times input:checked+label{border-width:3px;text-decoration:underline}}
@media (max-width:480px){body{padding:16px 8px}main{padding:24px 16px}}
@media (max-width:480px){.times{grid-template-columns:repeat(auto-fill,minmax(68px,1fr));gap:8px}}
`;

// Only http(s) and same-origin paths: a `javascript:` URL in href/action would run script.
function isSafeUrl(url: string): boolean {
  return /^(https?:\/\/|\/(?![/\\]))/i.test(url.trim());
}

function page(locale: Locale, title: string, body: string, status: PageStatus = 'info'): string {
  return `<!DOCTYPE html>
<html lang="${escapeHtml(locale)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<main class="${status}">
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>
`;
}

function paragraphs(message: string): string {
  return message
    .split(/\r?\n\s*\r?\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map((p) => `<p>${escapeHtml(p).replace(/\r?\n/g, '<br>')}</p>`)
    .join('\n');
}

function selectField(field: ActionPageField): string {
  const id = `field-${field.name}`;
  const options = field.options.map((o) => `<option value="${escapeHtml(o.value)}">${escapeHtml(o.label)}</option>`).join('\n');
  return `<label for="${escapeHtml(id)}">${escapeHtml(field.label)}</label>
<select id="${escapeHtml(id)}" name="${escapeHtml(field.name)}" required>
${options}
</select>`;
}

/** A page whose only button POSTs to actionUrl (optionally with select fields). */
export function renderActionPage(input: ActionPageInput): string {
  if (!isSafeUrl(input.actionUrl)) throw new Error('renderActionPage: actionUrl must be an http(s) URL or a path');
  const hidden = Object.entries(input.hiddenFields ?? {}).map(
    ([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`,
  );
  const fields = [...hidden, ...(input.extraFields ?? []).map(selectField)].join('\n');
  const body = `${paragraphs(input.message)}
<form method="post" action="${escapeHtml(input.actionUrl)}">
${fields}
<button type="submit">${escapeHtml(input.buttonLabel)}</button>
</form>`;
  return page(input.locale, input.title, body);
}

function pageStatus(status: PageStatus | number | undefined): PageStatus {
  if (typeof status !== 'number') return status ?? 'info';
  if (status >= 400) return 'error';
  return status >= 200 && status < 300 ? 'success' : 'info';
}

/** A page that only shows a message, e.g. "confirmed", "link expired". */
export function renderMessagePage(input: MessagePageInput): string {
  const back = backLink(input.locale, input.backUrl, TEXTS[input.locale].back);
  return page(input.locale, input.title, paragraphs(input.message) + (back ? `\n${back}` : ''), pageStatus(input.status));
}

/** Where a link back leads when the page a request came from is unknown or not ours (see back-link.ts). */
export const SITE_START = '/';

/** The one link back of every page: a button to the page the visitor came from, or, failing that, to the site start. */
function backLink(locale: Locale, backUrl: string | undefined, label: string): string {
  if (backUrl === undefined || !isSafeUrl(backUrl)) return '';
  const text = backUrl === SITE_START ? TEXTS[locale].toStart : label;
  return `<p><a class="button" href="${escapeHtml(backUrl)}">${escapeHtml(text)}</a></p>`;
}

/** The field's label as a person reads it: never the internal name (`marketingConsent`). */
export function fieldLabel(locale: Locale, field: string): string {
  return FIELD_LABELS[locale][field] ?? TEXTS[locale].entry;
}

/**
 * A validation message (shared/capture/form-schemas.ts words them in English, for API clients, with the
 * field's internal name) in words a visitor reads, in the page's language. Unknown wording gets "check this entry".
 */
export function fieldMessage(locale: Locale, field: string, message: string): string {
  const texts = TEXTS[locale];
  if (field === 'marketingConsent') return texts.consent;
  if (/ is required$/.test(message)) return texts.required;
  if (/valid email address/.test(message)) return texts.email;
  const max = / at most (\d+) characters/.exec(message)?.[1];
  if (max !== undefined) return texts.tooLong(max);
  if (/line breaks|control characters/.test(message)) return texts.lineBreaks;
  if (field === 'assetId') return texts.asset;
  if (field === 'phone') return texts.phone;
  return texts.invalid;
}

/** Lists the validation errors of a plain HTML form post. */
export function renderFieldErrorsPage(input: FieldErrorsPageInput): string {
  const texts = TEXTS[input.locale];
  const labels = FIELD_LABELS[input.locale];
  const items = Object.entries(input.fields)
    .map(
      ([name, error]) =>
        `<li><strong>${escapeHtml(labels[name] ?? texts.entry)}</strong>: ${escapeHtml(fieldMessage(input.locale, name, error))}</li>`,
    )
    .join('\n');
  const back = backLink(input.locale, input.backUrl, texts.fieldErrorsBack) || `<p>${escapeHtml(texts.fieldErrorsHint)}</p>`;
  const body = `<p>${escapeHtml(texts.fieldErrorsIntro)}</p>
<ul>
${items}
</ul>
${back}`;
  return page(input.locale, texts.fieldErrorsTitle, body, 'error');
}

export interface CustomPageInput {
  locale: Locale;
  title: string;
  /** Already-escaped HTML for inside <main>, after the title; the caller escapes every value it interpolates. */
  bodyHtml: string;
  status?: PageStatus | number;
}

/** The same frame (head, CSP-allowed style, title) around a body the caller builds, for pages with their own forms. */
export function renderCustomPage(input: CustomPageInput): string {
  return page(input.locale, input.title, input.bodyHtml, pageStatus(input.status));
}

/** Whether a URL may go into href/action: http(s) or a same-origin path, never `javascript:`. */
export function isSafePageUrl(url: string): boolean {
  return isSafeUrl(url);
}
