/**
 * The mailbox an address is delivered to, for rate limits only (never for lead identity: jane+a@ and
 * jane+b@ stay two leads). Sub-addressing (`local+tag@domain`) reaches the same inbox at almost every
 * provider, and Gmail ignores dots in the local part, so `j.a.n.e+1@googlemail.com` and
 * `jane@gmail.com` are one mailbox. Input is a normalised (trimmed, lower-cased) address.
 */
const DOTS_IGNORED = new Set(['gmail.com', 'googlemail.com']);

export function canonicalMailbox(normalizedEmail: string): string {
  const at = normalizedEmail.lastIndexOf('@');
  if (at < 1) return normalizedEmail;
  let local = normalizedEmail.slice(0, at);
  let domain = normalizedEmail.slice(at + 1);
  const plus = local.indexOf('+');
  // "+tag" only; an address that starts with "+" has no tag to strip.
  if (plus > 0) local = local.slice(0, plus);
  if (DOTS_IGNORED.has(domain)) {
    local = local.replaceAll('.', '');
    domain = 'gmail.com';
  }
  return `${local}@${domain}`;
}
