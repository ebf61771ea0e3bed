/**
 * The security headers of every HTTP response we serve, declared once: the Lambda handlers get them
 * through httpHandler, the local stack's own pages through the same function.
 */
import { createHash } from 'node:crypto';

export interface SecurityHeaderOptions {
  /**
   * The exact text of each inline `<style>` element the page may carry. Each one is allowed by its
   * SHA-256 hash, so a style (or anything else) injected into the page does not apply. No inline
   * script is ever allowed, and nothing is loaded from anywhere.
   */
  inlineStyles?: readonly string[];
}

/**
 * `frame-ancestors 'none'` (and X-Frame-Options for older browsers) keeps the action pages out of
 * frames, so a "Confirm"/"Unsubscribe"/"Accept" button cannot be clickjacked. `form-action` is left
 * open on purpose: action pages post to PUBLIC_BASE_URL, which may be another origin (a custom domain)
 * than the one serving the page, and every value on a page is escaped, so no foreign form can appear.
 */
export function securityHeaders(options: SecurityHeaderOptions = {}): Record<string, string> {
  const styles = [...new Set(options.inlineStyles ?? [])].map(styleHashSource);
  const contentSecurityPolicy = [
    "default-src 'none'",
    `style-src ${styles.length > 0 ? styles.join(' ') : "'none'"}`,
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return {
    'content-security-policy': contentSecurityPolicy,
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  };
}

/** The CSP source expression that allows exactly this inline style text (CSP Level 2 hash source). */
export function styleHashSource(css: string): string {
  return `'sha256-${createHash('sha256').update(css, 'utf8').digest('base64')}'`;
}
