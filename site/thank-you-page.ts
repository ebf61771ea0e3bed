/**
 * GET /thanks: the thank-you page a plain HTML form post lands on (see shared/capture/redirect-params.ts
 * for its query parameters). Pure: every value is escaped, and only a download link to our own
 * /downloads/ path is shown, so the page cannot be made to offer someone else's link.
 */
import type { Locale } from '../shared/domain/lead';
import { findAsset } from '../shared/capture/content-catalogue';
import { escapeHtml } from '../shared/email/escape-html';
import { renderCustomPage } from '../shared/http/html-pages';

const COPY = {
  de: {
    newsletterTitle: 'Bitte bestätigen Sie Ihre Anmeldung',
    newsletter: [
      'Wir haben Ihnen gerade eine E-Mail geschickt.',
      'Bitte öffnen Sie sie und bestätigen Sie Ihre Anmeldung mit dem Link darin. Erst dann senden wir Ihnen unseren Newsletter.',
      'Keine E-Mail erhalten? Bitte sehen Sie auch im Spam-Ordner nach.',
    ],
    downloadTitle: 'Ihr Dokument ist bereit',
    downloadLink: 'Dokument herunterladen',
    downloadMailed: 'Wir haben Ihnen den Link auch per E-Mail geschickt. Er gilt 24 Stunden.',
    downloadOnlyMailed: 'Wir haben Ihnen den Link zum Dokument per E-Mail geschickt. Er gilt 24 Stunden.',
    contactTitle: 'Danke für Ihre Nachricht',
    contact: [
      'Ihre Anfrage ist bei uns angekommen.',
      'Sie erhalten gleich eine Eingangsbestätigung per E-Mail. ' +
        'Eine Ansprechpartnerin oder ein Ansprechpartner meldet sich in der Regel innerhalb eines Werktags bei Ihnen.',
    ],
    optIn: 'Sie haben außerdem zugestimmt, von uns Neuigkeiten zu erhalten: Bitte bestätigen Sie das mit dem Link in unserer E-Mail.',
    genericTitle: 'Vielen Dank',
    generic: 'Ihre Angaben sind bei uns angekommen.',
  },
  en: {
    newsletterTitle: 'Please confirm your subscription',
    newsletter: [
      'We have just sent you an email.',
      'Please open it and confirm your subscription with the link in it. Only then will we send you our newsletter.',
      'No email? Please also look in your spam folder.',
    ],
    downloadTitle: 'Your document is ready',
    downloadLink: 'Download the document',
    downloadMailed: 'We have also emailed you the link. It works for 24 hours.',
    downloadOnlyMailed: 'We have emailed you the link to the document. It works for 24 hours.',
    contactTitle: 'Thank you for your message',
    contact: [
      'Your request has reached us.',
      'You will get an acknowledgement by email shortly. Someone from our team usually gets back to you within one working day.',
    ],
    optIn: 'You also agreed to hear from us: please confirm that with the link in our email.',
    genericTitle: 'Thank you',
    generic: 'Your details have reached us.',
  },
} as const;

export interface ThankYouQuery {
  form?: string | undefined;
  lang?: string | undefined;
  optIn?: string | undefined;
  downloadUrl?: string | undefined;
}

export function thankYouLocale(query: ThankYouQuery, fallback: Locale): Locale {
  return query.lang === 'en' || query.lang === 'de' ? query.lang : fallback;
}

/** Only a link to this deployment's own /downloads/{known asset} is shown; anything else is dropped. */
export function ownDownloadLink(downloadUrl: string | undefined, publicBaseUrl: string): { href: string; assetId: string } | undefined {
  if (downloadUrl === undefined || !URL.canParse(downloadUrl)) return undefined;
  const url = new URL(downloadUrl);
  const base = new URL(publicBaseUrl);
  const prefix = `${base.pathname.replace(/\/$/, '')}/downloads/`;
  if (url.origin !== base.origin || !url.pathname.startsWith(prefix) || url.username !== '' || url.password !== '') return undefined;
  const assetId = decodeURIComponent(url.pathname.slice(prefix.length));
  return findAsset(assetId) && url.searchParams.has('token') ? { href: url.href, assetId } : undefined;
}

const p = (text: string) => `<p>${escapeHtml(text)}</p>`;

export function renderThankYouPage(query: ThankYouQuery, locale: Locale, publicBaseUrl: string): string {
  const copy = COPY[locale];
  const optIn = query.optIn === '1' ? p(copy.optIn) : '';
  switch (query.form) {
    case 'newsletter':
      return renderCustomPage({ locale, title: copy.newsletterTitle, bodyHtml: copy.newsletter.map(p).join('\n'), status: 'success' });
    case 'download': {
      const link = ownDownloadLink(query.downloadUrl, publicBaseUrl);
      const title = link ? (findAsset(link.assetId)?.title[locale] ?? '') : '';
      const bodyHtml = link
        ? `${p(title)}\n<p><a class="button" href="${escapeHtml(link.href)}">${escapeHtml(copy.downloadLink)}</a></p>\n` +
          `${p(copy.downloadMailed)}\n${optIn}`
        : `${p(copy.downloadOnlyMailed)}\n${optIn}`;
      return renderCustomPage({ locale, title: copy.downloadTitle, bodyHtml, status: 'success' });
    }
    case 'contact':
      return renderCustomPage({ locale, title: copy.contactTitle, bodyHtml: copy.contact.map(p).join('\n') + optIn, status: 'success' });
    default:
      return renderCustomPage({ locale, title: copy.genericTitle, bodyHtml: p(copy.generic) + optIn, status: 'success' });
  }
}
