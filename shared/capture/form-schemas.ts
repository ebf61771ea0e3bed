/**
 * Validation and normalisation of the three capture forms. Input is whatever parseFormBody produced
 * (JSON values or urlencoded strings); output is a typed, normalised ValidForm, or a
 * ValidationError naming every bad field. Unknown fields never reach the output.
 */
import * as z from 'zod/mini';
import { LOCALES, type Attribution, type FunnelStage, type Locale } from '../domain/lead';
import { ValidationError } from '../http/http-errors';
import { findAsset } from './content-catalogue';

export type FormName = 'newsletter' | 'download' | 'contact';
export const FORM_NAMES: readonly FormName[] = ['newsletter', 'download', 'contact'];

export const DEFAULT_LOCALE: Locale = 'de';

interface CommonForm {
  email: string;
  firstName?: string;
  lastName?: string;
  company?: string;
  jobTitle?: string;
  locale: Locale;
  marketingConsent: boolean;
  attribution: Attribution;
  /** the hidden `website` field was filled in: almost certainly a bot */
  honeypotFilled: boolean;
  /** raw, unchecked; pass it through resolveRedirect before use */
  redirect?: string;
}

export interface NewsletterForm extends CommonForm {
  form: 'newsletter';
  marketingConsent: true;
}

export interface DownloadForm extends CommonForm {
  form: 'download';
  firstName: string;
  assetId: string;
  funnelStage: FunnelStage;
}

export interface ContactForm extends CommonForm {
  form: 'contact';
  firstName: string;
  lastName: string;
  message: string;
  phone?: string;
}

export type ValidForm = NewsletterForm | DownloadForm | ContactForm;

// C0, DEL and C1 controls, plus the Unicode line/paragraph separators that some clients render as line breaks.
const SINGLE_LINE_FORBIDDEN = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/;
// Same, minus LF: messages are multi-line (CR is normalised to LF before this check).
const MULTI_LINE_FORBIDDEN = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/;
// ASCII only on purpose: SES cannot deliver to SMTPUTF8 (internationalised) addresses.
const EMAIL_LOCAL = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const EMAIL_DOMAIN = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;
const PHONE = /^[0-9 +()\-/.]+$/;

/** null and blank strings count as absent; strings are trimmed; other types pass through so the schema can reject them. */
function blankToUndefined(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function stringOf(field: string, required: boolean) {
  return z.string({
    error: (issue) => (required && issue.input === undefined ? `${field} is required` : `${field} must be a string`),
  });
}

/** zod/mini has no z.preprocess; zod classic's is this same pipe, a transform of the raw value into the schema. */
function preprocess<S extends z.core.$ZodType>(fn: (value: unknown) => unknown, schema: S) {
  return z.pipe(z.transform(fn), schema);
}

function singleLine(field: string, max: number, required: boolean) {
  return stringOf(field, required).check(
    z.refine((s) => !SINGLE_LINE_FORBIDDEN.test(s), `${field} must not contain line breaks or control characters`),
    z.maxLength(max, `${field} must be at most ${max} characters`),
  );
}

function requiredLine(field: string, max: number) {
  return preprocess(blankToUndefined, singleLine(field, max, true));
}

function optionalLine(field: string, max: number) {
  return preprocess(blankToUndefined, z.optional(singleLine(field, max, false)));
}

const emailSchema = preprocess(
  (value) => {
    const blank = blankToUndefined(value);
    return typeof blank === 'string' ? blank.toLowerCase() : blank;
  },
  singleLine('email', 254, true).check(z.refine((email) => isEmailAddress(email), 'email must be a valid email address')),
);

function isEmailAddress(email: string): boolean {
  const at = email.lastIndexOf('@');
  if (at <= 0) return false;
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  return local.length <= 64 && EMAIL_LOCAL.test(local) && EMAIL_DOMAIN.test(domain);
}

const localeSchema = preprocess(
  (value) => {
    const blank = blankToUndefined(value);
    return typeof blank === 'string' ? blank.toLowerCase() : blank;
  },
  z.optional(z.enum(LOCALES, { error: `locale must be one of: ${LOCALES.join(', ')}` })),
);

const CONSENT_MESSAGE = 'marketingConsent must be a boolean or a checkbox value ("on", "true")';
const consentSchema = preprocess(
  (value) => (typeof value === 'string' ? value.trim().toLowerCase() : value),
  z.union(
    [
      z.pipe(
        z.literal([true, 'on', 'true']),
        z.transform(() => true),
      ),
      z.pipe(
        z.literal([false, 'false', '', null, undefined]),
        z.transform(() => false),
      ),
    ],
    { error: CONSENT_MESSAGE },
  ),
);

/**
 * The hidden `website` field is filled when it carries content: a non-blank string, `true`, a
 * non-zero number, a non-empty array or object. A script posting JSON may send the empty field as
 * false, 0, null, [] or {}; taking that for a bot would drop a real person's submission silently.
 */
function hasContent(value: unknown): boolean {
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object' && value !== null) return Object.keys(value).length > 0;
  return Boolean(value);
}

const honeypotSchema = preprocess(hasContent, z.boolean());

const redirectSchema = preprocess(
  (value) => (value === null || value === '' ? undefined : value),
  z.optional(z.string({ error: 'redirect must be a string' }).check(z.maxLength(2048, 'redirect must be at most 2048 characters'))),
);

const messageSchema = preprocess(
  (value) => blankToUndefined(typeof value === 'string' ? value.replace(/\r\n?/g, '\n') : value),
  stringOf('message', true).check(
    z.refine((s) => !MULTI_LINE_FORBIDDEN.test(s), 'message must not contain control characters'),
    z.maxLength(5000, 'message must be at most 5000 characters'),
  ),
);

const phoneSchema = preprocess(
  blankToUndefined,
  z.optional(
    stringOf('phone', false).check(
      z.maxLength(40, 'phone must be at most 40 characters'),
      z.regex(PHONE, 'phone may only contain digits, spaces and + ( ) - / .'),
      z.regex(/[0-9]/, 'phone must contain digits'),
    ),
  ),
);

const commonShape = {
  email: emailSchema,
  firstName: optionalLine('firstName', 100),
  lastName: optionalLine('lastName', 100),
  company: optionalLine('company', 100),
  jobTitle: optionalLine('jobTitle', 100),
  locale: localeSchema,
  marketingConsent: consentSchema,
  utm_source: optionalLine('utm_source', 500),
  utm_medium: optionalLine('utm_medium', 500),
  utm_campaign: optionalLine('utm_campaign', 500),
  page: optionalLine('page', 2048),
  referrer: optionalLine('referrer', 2048),
  website: honeypotSchema,
  redirect: redirectSchema,
};

export const newsletterSchema = z.object({
  ...commonShape,
  marketingConsent: consentSchema.check(z.refine((consent) => consent, 'marketingConsent is required to subscribe to the newsletter')),
});

export const downloadSchema = z.object({
  ...commonShape,
  firstName: requiredLine('firstName', 100),
  assetId: requiredLine('assetId', 100).check(z.refine((id) => findAsset(id) !== undefined, 'assetId is not a known asset')),
});

export const contactSchema = z.object({
  ...commonShape,
  firstName: requiredLine('firstName', 100),
  lastName: requiredLine('lastName', 100),
  message: messageSchema,
  phone: phoneSchema,
});

/**
 * The first supported language of an Accept-Language header by q-value (ties keep header order),
 * or the default locale. Region subtags are ignored: de-AT counts as de.
 */
export function negotiateLocale(acceptLanguage: string | undefined): Locale {
  let best: { locale: Locale; q: number } | undefined;
  // Bounded so a hostile header cannot make us loop for long.
  for (const entry of (acceptLanguage ?? '').split(',', 64)) {
    const [tag = '', ...params] = entry.split(';').map((part) => part.trim());
    const primary = tag.toLowerCase().split('-', 1)[0]!;
    if (!isLocale(primary)) continue;
    const q = qValue(params);
    if (q > 0 && (best === undefined || q > best.q)) best = { locale: primary, q };
  }
  return best?.locale ?? DEFAULT_LOCALE;
}

function qValue(params: string[]): number {
  for (const param of params) {
    const match = /^q\s*=\s*(.*)$/i.exec(param);
    if (!match) continue;
    const q = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/.test(match[1]!) ? Number(match[1]) : 0;
    return q;
  }
  return 1;
}

function isLocale(value: string): value is Locale {
  return (LOCALES as readonly string[]).includes(value);
}

export interface ValidateFormContext {
  acceptLanguage?: string | undefined;
}

/** Validates and normalises one form submission; throws ValidationError naming every bad field. */
export function validateForm(form: FormName, fields: Record<string, unknown>, ctx: ValidateFormContext = {}): ValidForm {
  switch (form) {
    case 'newsletter': {
      const data = parseOrThrow(newsletterSchema, fields);
      return { form, ...common(data, ctx), marketingConsent: true };
    }
    case 'download': {
      const data = parseOrThrow(downloadSchema, fields);
      // The schema already checked the id against the catalogue.
      const asset = findAsset(data.assetId)!;
      return { form, ...common(data, ctx), firstName: data.firstName, assetId: asset.id, funnelStage: asset.funnelStage };
    }
    case 'contact': {
      const data = parseOrThrow(contactSchema, fields);
      return {
        form,
        ...common(data, ctx),
        firstName: data.firstName,
        lastName: data.lastName,
        message: data.message,
        ...defined({ phone: data.phone }),
      };
    }
    default: {
      const unknownForm: never = form;
      throw new Error(`unknown form: ${String(unknownForm)}`);
    }
  }
}

function parseOrThrow<S extends z.ZodMiniType>(schema: S, fields: Record<string, unknown>): z.output<S> {
  const result = schema.safeParse(fields);
  if (result.success) return result.data;
  const messages: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const field = issue.path.length > 0 ? String(issue.path[0]) : 'body';
    messages[field] ??= issue.path.length > 0 ? issue.message : 'body must be an object';
  }
  throw new ValidationError(messages);
}

type CommonData = z.output<typeof newsletterSchema> | z.output<typeof downloadSchema> | z.output<typeof contactSchema>;

function common(data: CommonData, ctx: ValidateFormContext): CommonForm {
  return {
    email: data.email,
    ...defined({
      firstName: data.firstName,
      lastName: data.lastName,
      company: data.company,
      jobTitle: data.jobTitle,
    }),
    locale: data.locale ?? negotiateLocale(ctx.acceptLanguage),
    marketingConsent: data.marketingConsent,
    attribution: defined({
      utm_source: data.utm_source,
      utm_medium: data.utm_medium,
      utm_campaign: data.utm_campaign,
      page: data.page,
      referrer: data.referrer,
    }),
    honeypotFilled: data.website,
    ...defined({ redirect: data.redirect }),
  };
}

/** Drops undefined values so optional fields are absent rather than present-but-undefined (DynamoDB marshalling rejects the latter). */
function defined<T extends Record<string, unknown>>(record: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
