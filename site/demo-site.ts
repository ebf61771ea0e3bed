/**
 * The demo website the local stack serves at / : a landing page, a page per asset of the content
 * catalogue and a privacy notice, in German and English. Its three forms post to the real routes and
 * are enhanced by /forms.js exactly as a customer's site would be; without JavaScript they post and
 * land on /thanks. Pure: every value is escaped; the one inline style is allowed by its hash.
 */
import type { Locale } from '../shared/domain/lead';
import { contentCatalogue, findAsset, type ContentAsset } from '../shared/capture/content-catalogue';
import { escapeHtml } from '../shared/email/escape-html';
import { securityHeaders } from '../shared/http/security-headers';

export const COMPANY = 'Leadpipe Example GmbH';

export const SITE_STYLE =
  'body{margin:0;font-family:system-ui,Arial,sans-serif;color:#1f2933;background:#f4f5f7;line-height:1.5}' +
  'header,main,footer{max-width:46rem;margin:0 auto;padding:1rem}header{display:flex;justify-content:space-between;align-items:center}' +
  'header a{color:#1f2933;text-decoration:none;font-weight:bold}nav a{margin-left:1rem;color:#1d4ed8}' +
  'section{background:#fff;padding:1.5rem;margin:0 0 1.5rem;border-top:4px solid #1d4ed8}h1{font-size:1.8rem;margin:.5rem 0 1rem}' +
  'h2{margin:0 0 1rem;font-size:1.3rem}label{display:block;margin:.75rem 0 .25rem;font-weight:bold}' +
  'input,textarea{width:100%;padding:.5rem;font-size:1rem;box-sizing:border-box;border:1px solid #9aa5b1;border-radius:4px}' +
  'textarea{min-height:6rem}label.check{display:flex;gap:.5rem;font-weight:normal}label.check input{width:auto;margin-top:.3rem}' +
  'button,.button{margin-top:1rem;padding:.75rem 1.5rem;border:0;border-radius:4px;background:#1d4ed8;color:#fff;font-size:1rem;' +
  'font-weight:bold;cursor:pointer;text-decoration:none;display:inline-block}button:disabled{background:#9aa5b1;cursor:wait}' +
  '.hp{position:absolute;left:-10000px}[aria-invalid=true]{border-color:#b91c1c;outline:2px solid #b91c1c}' +
  '.leadpipe-error{color:#b91c1c;margin:.25rem 0 0;font-weight:bold}.leadpipe-status{min-height:1.5rem}' +
  '.leadpipe-success{background:#ecfdf5;border-left:4px solid #15803d;padding:1rem;margin:0 0 1rem}' +
  'ul.assets{padding-left:1.2rem}footer{font-size:.85rem;color:#52606d}.hint{font-size:.9rem;color:#52606d}';

/**
 * The demo site's own headers: the app's (no framing, no sniffing, no referrer, the one style by hash) plus
 * exactly what forms.js needs on this origin, its file (script-src) and its POST (connect-src), nothing else.
 */
export const SITE_HEADERS: Readonly<Record<string, string>> = (() => {
  const base = securityHeaders({ inlineStyles: [SITE_STYLE] });
  return { ...base, 'content-security-policy': `${base['content-security-policy']}; script-src 'self'; connect-src 'self'` };
})();

const T = {
  de: {
    tagline: 'Leads erkennen, pflegen, übergeben: B2B-Marketing ohne Streuverlust.',
    intro:
      'Wir helfen B2B-Unternehmen, aus Website-Besuchern qualifizierte Gespräche zu machen. ' +
      'Holen Sie sich unsere Leitfäden, abonnieren Sie den Newsletter oder sprechen Sie direkt mit uns.',
    guides: 'Leitfäden und Fallstudien',
    call: '15 Minuten mit einer Expertin oder einem Experten',
    callText: 'Sie möchten lieber direkt sprechen? Buchen Sie ein kurzes, unverbindliches Gespräch.',
    callLink: 'Gespräch buchen',
    newsletter: 'Newsletter',
    newsletterText: 'Einmal im Monat: Praxiswissen zu Lead-Management im B2B.',
    subscribe: 'Newsletter abonnieren',
    consentNewsletter: `Ja, die ${COMPANY} darf mir ihren Newsletter zu B2B-Lead-Management per E-Mail senden.`,
    consentNews: `Ja, die ${COMPANY} darf mir außerdem Neuigkeiten zu B2B-Lead-Management per E-Mail senden (freiwillig).`,
    consentAfter: 'Ich kann die Einwilligung jederzeit widerrufen, z. B. über den Link in jeder E-Mail. Mehr dazu in der',
    privacyLink: 'Datenschutzerklärung',
    contact: 'Kontakt',
    contactText: 'Schreiben Sie uns: Wir melden uns in der Regel innerhalb eines Werktags.',
    send: 'Nachricht senden',
    download: 'Kostenlos herunterladen',
    downloadText: 'Tragen Sie sich ein: Sie erhalten den Link sofort hier und zusätzlich per E-Mail.',
    email: 'E-Mail',
    firstName: 'Vorname',
    lastName: 'Nachname',
    company: 'Unternehmen',
    jobTitle: 'Position',
    phone: 'Telefon (optional)',
    message: 'Ihre Nachricht',
    optional: '(optional)',
    required: 'Pflichtfelder sind mit * markiert.',
    home: 'Startseite',
    privacy: 'Datenschutz',
    switchLabel: 'English',
    stage: { tofu: 'Einstieg', mofu: 'Vertiefung', bofu: 'Entscheidung' },
    privacyTitle: 'Datenschutzerklärung (Demo)',
    privacyText: [
      `Verantwortlich: ${COMPANY}, Musterstraße 1, 10115 Berlin.`,
      'Wir verarbeiten Ihre E-Mail-Adresse und Ihre freiwilligen Angaben, um Ihre Anfrage zu beantworten, ' +
        'Ihnen angeforderte Dokumente zu senden und, nur mit Ihrer bestätigten Einwilligung (Double-Opt-in), Neuigkeiten zu senden.',
      'Sie können Ihre Einwilligung jederzeit über den Abmeldelink in jeder E-Mail widerrufen. ' +
        'Nicht bestätigte Anmeldungen löschen wir nach 30 Tagen.',
      'Diese Seite setzt keine Cookies und lädt nichts von Dritten.',
    ],
    notFound: 'Diese Seite gibt es nicht.',
  },
  en: {
    tagline: 'Spot, nurture and hand over leads: B2B marketing without the waste.',
    intro:
      'We help B2B companies turn website visitors into qualified conversations. ' +
      'Get our guides, subscribe to the newsletter or talk to us directly.',
    guides: 'Guides and case studies',
    call: '15 minutes with an expert',
    callText: 'Would you rather talk? Book a short call, no strings attached.',
    callLink: 'Book a call',
    newsletter: 'Newsletter',
    newsletterText: 'Once a month: practical know-how on B2B lead management.',
    subscribe: 'Subscribe',
    consentNewsletter: `Yes, ${COMPANY} may send me its newsletter on B2B lead management by email.`,
    consentNews: `Yes, ${COMPANY} may also send me news on B2B lead management by email (optional).`,
    consentAfter: 'I can withdraw my consent at any time, e.g. with the link in every email. More in the',
    privacyLink: 'privacy notice',
    contact: 'Contact',
    contactText: 'Write to us: we usually reply within one working day.',
    send: 'Send message',
    download: 'Download for free',
    downloadText: 'Leave your details: you get the link right here and by email.',
    email: 'Email',
    firstName: 'First name',
    lastName: 'Last name',
    company: 'Company',
    jobTitle: 'Job title',
    phone: 'Phone (optional)',
    message: 'Your message',
    optional: '(optional)',
    required: 'Required fields are marked *.',
    home: 'Home',
    privacy: 'Privacy',
    switchLabel: 'Deutsch',
    stage: { tofu: 'Getting started', mofu: 'In depth', bofu: 'Decision' },
    privacyTitle: 'Privacy notice (demo)',
    privacyText: [
      `Controller: ${COMPANY}, Musterstraße 1, 10115 Berlin, Germany.`,
      'We process your email address and the details you choose to give in order to answer your request, ' +
        'send you the documents you ask for and, only with your confirmed consent (double opt-in), send you news.',
      'You can withdraw your consent at any time with the unsubscribe link in every email. Unconfirmed sign-ups are deleted after 30 days.',
      'This site sets no cookies and loads nothing from third parties.',
    ],
    notFound: 'This page does not exist.',
  },
} as const;

type Texts = (typeof T)[Locale];

export interface SiteResponse {
  status: number;
  html?: string;
  location?: string;
}

/** Language: an explicit ?lang= (the switch), else the browser's Accept-Language (first supported, by q). */
export function siteLocale(query: URLSearchParams, acceptLanguage: string | undefined): Locale {
  const lang = query.get('lang');
  if (lang === 'de' || lang === 'en') return lang;
  for (const entry of (acceptLanguage ?? '').split(',', 32)) {
    const tag = entry.split(';')[0]!.trim().toLowerCase();
    if (tag.startsWith('en')) return 'en';
    if (tag.startsWith('de')) return 'de';
  }
  return 'de';
}

/** The demo site's page for a GET, or undefined when the path is not one of its pages. */
export function sitePage(
  pathname: string,
  query: URLSearchParams,
  acceptLanguage: string | undefined,
  /** this site's origin, for the forms' `page` field: the error page links back to it */
  origin = '',
): SiteResponse | undefined {
  const locale = siteLocale(query, acceptLanguage);
  const t = T[locale];
  if (pathname === '/') return { status: 200, html: frame(locale, t, '/', t.tagline, landing(locale, t, `${origin}/?lang=${locale}`)) };
  if (pathname === '/privacy') {
    const body = `<section><h1>${escapeHtml(t.privacyTitle)}</h1>${t.privacyText.map((p) => `<p>${escapeHtml(p)}</p>`).join('')}</section>`;
    return { status: 200, html: frame(locale, t, '/privacy', t.privacyTitle, body) };
  }
  const assetMatch = /^\/assets\/([a-z0-9-]+)$/.exec(pathname);
  if (assetMatch) {
    const asset = findAsset(assetMatch[1]!);
    if (!asset)
      return { status: 404, html: frame(locale, t, pathname, t.notFound, `<section><h1>${escapeHtml(t.notFound)}</h1></section>`) };
    return {
      status: 200,
      html: frame(locale, t, pathname, asset.title[locale], assetPage(locale, t, asset, `${origin}${pathname}?lang=${locale}`)),
    };
  }
  return undefined;
}

const href = (path: string, locale: Locale) => escapeHtml(`${path}?lang=${locale}`);

function frame(locale: Locale, t: Texts, path: string, title: string, body: string): string {
  const other: Locale = locale === 'de' ? 'en' : 'de';
  return (
    `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · ${escapeHtml(COMPANY)}</title>
<style>${SITE_STYLE}</style>
<script src="/forms.js" defer></script>
</head>
<body>
<header><a href="${href('/', locale)}">${escapeHtml(COMPANY)}</a>
<nav><a href="${href('/', locale)}">${escapeHtml(t.home)}</a><a href="${href('/privacy', locale)}">${escapeHtml(t.privacy)}</a>` +
    `<a href="${href(path, other)}" hreflang="${other}" lang="${other}">${escapeHtml(t.switchLabel)}</a></nav></header>
<main>
${body}
</main>
<footer><p>${escapeHtml(COMPANY)} · Musterstraße 1 · 10115 Berlin ·
<a href="${href('/privacy', locale)}">${escapeHtml(t.privacy)}</a></p>
<p>Local demo: <a href="/_dev/mailbox">/_dev/mailbox</a></p></footer>
</body>
</html>`
  );
}

function input(form: string, name: string, label: string, options: { type?: string; required?: boolean; autocomplete?: string } = {}) {
  const id = `${form}-${name}`;
  const star = options.required ? ' *' : '';
  return (
    `<label for="${id}">${escapeHtml(label)}${star}</label>
<input id="${id}" name="${name}" type="${options.type ?? 'text'}"${options.required ? ' required' : ''}` +
    `${options.autocomplete ? ` autocomplete="${options.autocomplete}"` : ''}>`
  );
}

function consent(form: string, locale: Locale, t: Texts, text: string, required: boolean): string {
  return (
    `<label class="check" for="${form}-marketingConsent"><input id="${form}-marketingConsent" type="checkbox" ` +
    `name="marketingConsent" value="on"${required ? ' required' : ''}> <span>${escapeHtml(text)}${required ? ' *' : ''} ` +
    `${escapeHtml(t.consentAfter)} <a href="${href('/privacy', locale)}">${escapeHtml(t.privacyLink)}</a>.</span></label>`
  );
}

function formOpen(kind: string, locale: Locale, page: string): string {
  return `<form id="${kind}" method="post" action="/forms/${kind}" data-leadpipe="${kind}" lang="${locale}">
<input type="hidden" name="locale" value="${locale}">
<input type="hidden" name="page" value="${escapeHtml(page)}">
<label class="hp" aria-hidden="true">Website <input name="website" tabindex="-1" autocomplete="off"></label>`;
}

function landing(locale: Locale, t: Texts, page: string): string {
  const assets = contentCatalogue
    .map(
      (a) =>
        `<li><a href="${href(`/assets/${a.id}`, locale)}">${escapeHtml(a.title[locale])}</a> (${escapeHtml(t.stage[a.funnelStage])})</li>`,
    )
    .join('\n');
  return `<section><h1>${escapeHtml(t.tagline)}</h1><p>${escapeHtml(t.intro)}</p></section>
<section><h2>${escapeHtml(t.guides)}</h2><ul class="assets">
${assets}
</ul></section>
<section><h2>${escapeHtml(t.call)}</h2><p>${escapeHtml(t.callText)}</p>
<a class="button" href="/call">${escapeHtml(t.callLink)}</a></section>
<section><h2>${escapeHtml(t.newsletter)}</h2><p>${escapeHtml(t.newsletterText)}</p>
${formOpen('newsletter', locale, page)}
${input('newsletter', 'email', t.email, { type: 'email', required: true, autocomplete: 'email' })}
${input('newsletter', 'firstName', `${t.firstName} ${t.optional}`, { autocomplete: 'given-name' })}
${consent('newsletter', locale, t, t.consentNewsletter, true)}
<p class="hint">${escapeHtml(t.required)}</p>
<button type="submit">${escapeHtml(t.subscribe)}</button>
</form></section>
<section><h2>${escapeHtml(t.contact)}</h2><p>${escapeHtml(t.contactText)}</p>
${formOpen('contact', locale, page)}
${input('contact', 'email', t.email, { type: 'email', required: true, autocomplete: 'email' })}
${input('contact', 'firstName', t.firstName, { required: true, autocomplete: 'given-name' })}
${input('contact', 'lastName', t.lastName, { required: true, autocomplete: 'family-name' })}
${input('contact', 'company', `${t.company} ${t.optional}`, { autocomplete: 'organization' })}
${input('contact', 'phone', t.phone, { type: 'tel', autocomplete: 'tel' })}
<label for="contact-message">${escapeHtml(t.message)} *</label>
<textarea id="contact-message" name="message" required></textarea>
${consent('contact', locale, t, t.consentNews, false)}
<p class="hint">${escapeHtml(t.required)}</p>
<button type="submit">${escapeHtml(t.send)}</button>
</form></section>`;
}

function assetPage(locale: Locale, t: Texts, asset: ContentAsset, page: string): string {
  return `<section><h1>${escapeHtml(asset.title[locale])}</h1><p>${escapeHtml(t.downloadText)}</p>
${formOpen('download', locale, page)}
<input type="hidden" name="assetId" value="${escapeHtml(asset.id)}">
${input('download', 'email', t.email, { type: 'email', required: true, autocomplete: 'email' })}
${input('download', 'firstName', t.firstName, { required: true, autocomplete: 'given-name' })}
${input('download', 'company', `${t.company} ${t.optional}`, { autocomplete: 'organization' })}
${input('download', 'jobTitle', `${t.jobTitle} ${t.optional}`, { autocomplete: 'organization-title' })}
${consent('download', locale, t, t.consentNews, false)}
<p class="hint">${escapeHtml(t.required)}</p>
<button type="submit">${escapeHtml(t.download)}</button>
</form></section>`;
}
