/**
 * Renders a campaign mail: the campaign's own copy inside the same layout, imprint and unsubscribe footer as
 * every nurture mail (content/emails/_layout), compiled the same way as render-email.ts (Handlebars strict mode,
 * text parts unescaped, the same `eq` and `nl2br` helpers), always as a marketing mail. Loads Handlebars, so
 * only code that renders imports it.
 */
import { createHash } from 'node:crypto';
import type { Locale } from '../domain/lead';
import { defaultTemplateSource, type RenderedEmail, sanitizeHeaderValue, type TemplateSource } from '../email/email-templates';
import { emailHandlebars } from '../email/render-email';
import type { CampaignLocaleContent } from './campaign';

/** What a campaign's copy may use: `{{firstName}}` (may be empty) and the footer's variables. */
export interface CampaignVariables {
  firstName: string;
  unsubscribeUrl: string;
  /** multi-line plain text from config (line breaks become <br> in HTML) */
  imprint: string;
  /** the sign-off (SENDER_NAME) */
  senderName: string;
  /** COMPANY_NAME */
  companyName: string;
}

/** The variable names a campaign's copy may use, for the folder check and the README. */
export const CAMPAIGN_VARIABLE_NAMES = ['firstName', 'unsubscribeUrl', 'imprint', 'senderName', 'companyName', 'locale'] as const;

export type CampaignPart = 'subject.txt' | 'preheader.txt' | 'body.html' | 'body.txt';

/** A part of the copy does not compile or uses an unknown variable: names the locale and the file. */
export class CampaignRenderError extends Error {
  override name = 'CampaignRenderError';
  constructor(
    readonly locale: Locale,
    readonly file: CampaignPart | '_layout/body.html' | '_layout/body.txt',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${locale}/${file}: ${message}`, options);
  }
}

type Compiled = (context: unknown) => string;

// The mail's own Handlebars environment (render-email.ts): the same helpers, so the shared layout renders the same.
const hb = emailHandlebars;

/** Compiled copy by content hash and locale: the sender renders one campaign for thousands of recipients per container. */
const copyCache = new Map<string, Record<CampaignPart, Compiled>>();
const layoutCache = new Map<string, { html: Compiled; text: Compiled }>();
const MAX_CACHED_COPIES = 16;

function compile(raw: string, kind: 'html' | 'text', locale: Locale, file: CampaignRenderError['file']): Compiled {
  try {
    // Handlebars compiles lazily, at the first render: parse now, so a syntax error is reported as one.
    hb.parse(raw);
    // Text parts are plain text: HTML escaping there would turn "Müller & Co" into "Müller &amp; Co".
    const template = hb.compile(raw, { strict: true, noEscape: kind === 'text' });
    return (context) => {
      try {
        return template(context);
      } catch (err) {
        const message = (err as Error).message;
        // Handlebars strict mode: `"offerUrl" not defined in [object Object] - 3:12`
        const missing = /^"([^"]+)" not defined in/.exec(message);
        throw new CampaignRenderError(locale, file, missing ? `unknown variable "${missing[1]}"` : message, { cause: err });
      }
    };
  } catch (err) {
    if (err instanceof CampaignRenderError) throw err;
    throw new CampaignRenderError(locale, file, `does not compile: ${(err as Error).message}`, { cause: err });
  }
}

function compiledCopy(content: CampaignLocaleContent, locale: Locale): Record<CampaignPart, Compiled> {
  const key = createHash('sha256')
    .update(JSON.stringify([locale, content.subject, content.preheader, content.html, content.text]))
    .digest('hex');
  let compiled = copyCache.get(key);
  if (!compiled) {
    compiled = {
      'subject.txt': compile(content.subject, 'text', locale, 'subject.txt'),
      'preheader.txt': compile(content.preheader, 'text', locale, 'preheader.txt'),
      'body.html': compile(content.html, 'html', locale, 'body.html'),
      'body.txt': compile(content.text, 'text', locale, 'body.txt'),
    };
    if (copyCache.size >= MAX_CACHED_COPIES) copyCache.delete(copyCache.keys().next().value as string);
    copyCache.set(key, compiled);
  }
  return compiled;
}

function compiledLayout(source: TemplateSource, locale: Locale): { html: Compiled; text: Compiled } {
  let compiled = layoutCache.get(source.id);
  if (!compiled) {
    compiled = {
      html: compile(source.read('_layout/body.html'), 'html', locale, '_layout/body.html'),
      text: compile(source.read('_layout/body.txt'), 'text', locale, '_layout/body.txt'),
    };
    layoutCache.set(source.id, compiled);
  }
  return compiled;
}

function tidyText(text: string): string {
  return `${text
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
}

/**
 * One recipient's campaign mail. A marketing mail without imprint or unsubscribe link must never go out,
 * so both are required non-empty; any variable the copy uses beyond CampaignVariables fails, naming the file.
 */
export function renderCampaignEmail(
  content: CampaignLocaleContent,
  locale: Locale,
  vars: CampaignVariables,
  source: TemplateSource = defaultTemplateSource(),
): RenderedEmail {
  for (const name of ['unsubscribeUrl', 'imprint', 'senderName'] as const) {
    if (vars[name].trim() === '') throw new CampaignRenderError(locale, 'body.html', `variable "${name}" must be a non-empty string`);
  }
  const copy = compiledCopy(content, locale);
  const layout = compiledLayout(source, locale);
  const context = { ...vars, locale, marketing: true };
  const subject = sanitizeHeaderValue(copy['subject.txt'](context));
  const preheader = sanitizeHeaderValue(copy['preheader.txt'](context));
  const html = layout.html({ ...context, subject, preheader, content: copy['body.html'](context) });
  const text = tidyText(layout.text({ ...context, subject, preheader, content: copy['body.txt'](context) }));
  return { subject, preheader, html, text };
}
