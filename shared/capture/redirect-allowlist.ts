/**
 * Open-redirect guard for the post-submit redirect. The requested URL is returned unchanged, so it
 * must be unambiguous: browsers repair backslashes, tabs and newlines in URLs in ways other parsers
 * may not, so any of those (and any other whitespace or control character) rejects it outright.
 */
const ABSOLUTE_HTTP_URL = /^https?:\/\/[^/]/i;
const AMBIGUOUS_CHARS = /[\\\s\u0000-\u001F\u007F-\u009F]/;

export function resolveRedirect(requested: string | undefined, allowedOrigins: string[], defaultUrl: string): string {
  if (requested === undefined || !ABSOLUTE_HTTP_URL.test(requested) || AMBIGUOUS_CHARS.test(requested)) return defaultUrl;

  let url: URL;
  try {
    url = new URL(requested);
  } catch {
    return defaultUrl;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return defaultUrl;
  if (url.username !== '' || url.password !== '') return defaultUrl;

  return allowedOriginSet(allowedOrigins).has(url.origin) ? requested : defaultUrl;
}

/** Normalises configured origins the way URL#origin does (lower-case host, default port dropped, no trailing slash). */
function allowedOriginSet(allowedOrigins: string[]): Set<string> {
  const origins = new Set<string>();
  for (const origin of allowedOrigins) {
    try {
      const parsed = new URL(origin);
      if (parsed.protocol === 'https:' || parsed.protocol === 'http:') origins.add(parsed.origin);
    } catch {
      // an unparsable entry allows nothing
    }
  }
  return origins;
}
