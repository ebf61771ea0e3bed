// Same character set and entities as Handlebars' own `{{ }}` escaping, so a value looks
// identical whether it went through a template or through a hand-built page.
const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#x27;',
  '`': '&#x60;',
  '=': '&#x3D;',
};

/** Escapes a value for HTML text and (double- or single-quoted) attribute values. null/undefined become ''. */
export function escapeHtml(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  return String(value).replace(/[&<>"'`=]/g, (ch) => HTML_ESCAPES[ch] ?? ch);
}
