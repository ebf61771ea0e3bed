import { escapeHtml } from '../shared/email/escape-html';
import type { StoredEmail } from './ses-emulator';

/**
 * /_dev/mailbox: the emulator's mails for people. Each mail's HTML is shown escaped into a sandboxed
 * iframe's srcdoc (no scripts, its own opaque origin); inline styles are allowed so mails look as sent.
 */
export const MAILBOX_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src data: http: https:; frame-src 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

const STYLE =
  'body{font-family:system-ui,sans-serif;margin:0;padding:1rem;background:#f4f5f7;color:#1f2933}' +
  'table{border-collapse:collapse;width:100%;' +
  'background:#fff}td,th{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #e4e7eb;vertical-align:top}' +
  'iframe{width:100%;height:70vh;border:1px solid #9aa5b1;background:#fff}pre{white-space:pre-wrap;background:#fff;padding:1rem}';

function frame(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body>${body}</body></html>`;
}

// The emulator stamps `at` in unix seconds (its own .eml export multiplies by 1000 too).
const when = (at: number) =>
  new Date(at * 1000).toLocaleString('de-DE', { timeZone: 'Europe/Berlin', dateStyle: 'medium', timeStyle: 'short' });

export function mailboxList(emails: readonly StoredEmail[]): string {
  const rows = [...emails]
    .reverse()
    .map(
      (mail) =>
        `<tr><td>${escapeHtml(when(mail.at))}</td><td>${escapeHtml(mail.destination.to.join(', '))}</td>` +
        `<td><a href="/_dev/mailbox/${encodeURIComponent(mail.messageId)}">${escapeHtml(mail.subject)}</a></td></tr>`,
    )
    .join('\n');
  const table = emails.length
    ? `<table><thead><tr><th>Sent</th><th>To</th><th>Subject</th></tr></thead><tbody>\n${rows}\n</tbody></table>`
    : '<p>No mails yet. Submit a form on <a href="/">the demo site</a>.</p>';
  return frame(
    'Local mailbox',
    `<h1>Local mailbox (${emails.length})</h1><p><a href="/">Demo site</a> · <a href="/_dev/mail">JSON</a></p>${table}`,
  );
}

export function mailboxMessage(mail: StoredEmail): string {
  const headers: [string, string][] = [
    ['From', mail.from],
    ['To', mail.destination.to.join(', ')],
    ...(mail.replyTo?.length ? ([['Reply-To', mail.replyTo.join(', ')]] as [string, string][]) : []),
    ['Subject', mail.subject],
    ['Sent', when(mail.at)],
    ['Message-ID', mail.messageId],
    ...(mail.headers ?? []).map((h): [string, string] => [h.name, h.value]),
  ];
  const table = headers.map(([name, value]) => `<tr><th>${escapeHtml(name)}</th><td>${escapeHtml(value)}</td></tr>`).join('\n');
  const htmlPart = mail.body.html
    ? `<h2>HTML</h2><iframe title="Mail body" sandbox="allow-popups allow-popups-to-escape-sandbox" ` +
      `srcdoc="${escapeHtml(`<base target="_blank">${mail.body.html}`)}"></iframe>`
    : '';
  const textPart = mail.body.text ? `<h2>Text</h2><pre>${escapeHtml(mail.body.text)}</pre>` : '';
  return frame(
    mail.subject,
    `<p><a href="/_dev/mailbox">← Mailbox</a></p><h1>${escapeHtml(mail.subject)}</h1><table>${table}</table>${htmlPart}${textPart}`,
  );
}
