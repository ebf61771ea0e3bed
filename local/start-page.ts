import { contentCatalogue } from '../shared/capture/content-catalogue';
import { escapeHtml } from '../shared/email/escape-html';
import { securityHeaders } from '../shared/http/security-headers';

/** The page's one inline style; the Content-Security-Policy allows exactly this text, by its hash. */
const START_PAGE_STYLE =
  'body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}label{display:block;margin:.5rem 0}' +
  'input,textarea,select{width:100%;padding:.4rem;box-sizing:border-box}input[type=checkbox]{width:auto}' +
  '.hp{position:absolute;left:-10000px}form{border-top:1px solid #ccc;margin-top:1.5rem}';

/** The same security headers as the app's own pages (no framing, no sniffing, no referrer), computed once. */
export const START_PAGE_HEADERS: Readonly<Record<string, string>> = securityHeaders({ inlineStyles: [START_PAGE_STYLE] });

/**
 * The local start page: the three capture forms as plain HTML, no JavaScript, posting to the same
 * routes as on AWS. A successful post lands back here with ?thanks=1 (the local THANK_YOU_URL).
 */
export function startPage(): string {
  const assets = contentCatalogue
    .map((asset) => `<option value="${escapeHtml(asset.id)}">${escapeHtml(asset.title.en)} (${asset.funnelStage})</option>`)
    .join('');
  const honeypot = '<label class="hp" aria-hidden="true">Website <input name="website" tabindex="-1" autocomplete="off"></label>';
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>leadpipe local</title>
<style>${START_PAGE_STYLE}</style>
</head>
<body>
<h1>leadpipe: local stack</h1>
<p>Submit a form, then look at <a href="/_dev/mail">/_dev/mail</a> for the emails \
and at <code>/_dev/leads/&lt;email&gt;</code> for the lead.</p>
<form method="post" action="/forms/newsletter" id="newsletter">
  <h2>Newsletter</h2>
  <label>Email <input type="email" name="email" required></label>
  <label>First name <input name="firstName"></label>
  ${honeypot}
  <label><input type="checkbox" name="marketingConsent" required> Yes, send me the newsletter. I can unsubscribe at any time.</label>
  <button type="submit">Subscribe</button>
</form>
<form method="post" action="/forms/download" id="download">
  <h2>Download</h2>
  <label>Email <input type="email" name="email" required></label>
  <label>First name <input name="firstName" required></label>
  <label>Company <input name="company"></label>
  <label>Document <select name="assetId">${assets}</select></label>
  ${honeypot}
  <label><input type="checkbox" name="marketingConsent"> Also send me related news.</label>
  <button type="submit">Get the document</button>
</form>
<form method="post" action="/forms/contact" id="contact">
  <h2>Contact</h2>
  <label>Email <input type="email" name="email" required></label>
  <label>First name <input name="firstName" required></label>
  <label>Last name <input name="lastName" required></label>
  <label>Company <input name="company"></label>
  <label>Message <textarea name="message" required></textarea></label>
  ${honeypot}
  <button type="submit">Send</button>
</form>
</body>
</html>`;
}
