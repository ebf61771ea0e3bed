/**
 * The Handlebars renderer of the email templates, apart from the catalogue (email-templates.ts): only
 * code that sends mail loads it, and send-email.ts loads it on its first send, so Handlebars (100 KB
 * with its compiler) is not evaluated at the cold start of every function that imports the catalogue.
 */
import Handlebars from 'handlebars';
import type { Locale } from '../domain/lead';
import {
  defaultTemplateSource,
  type RenderedEmail,
  sanitizeHeaderValue,
  TEMPLATES,
  type TemplateId,
  type TemplateSource,
  type TemplateVariables,
  type CommonVariables,
  isTemplateId,
  MARKETING_VARIABLES,
} from './email-templates';
import { escapeHtml } from './escape-html';

// ---------------------------------------------------------------------------------------------
// Rendering

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

/** The one Handlebars environment of every mail (nurture and system templates, campaigns): the same helpers everywhere. */
export const emailHandlebars = Handlebars.create();
const hb = emailHandlebars;
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
