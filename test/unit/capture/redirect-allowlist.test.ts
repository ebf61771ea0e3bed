import { describe, expect, it } from 'vitest';
import { resolveRedirect } from '../../../shared/capture/redirect-allowlist';

const ALLOWED = ['https://www.example.com', 'https://landing.example.com', 'http://localhost:3000'];
const DEFAULT = 'https://www.example.com/thank-you';

describe('resolveRedirect', () => {
  it.each([
    'https://www.example.com/danke',
    'https://www.example.com/',
    'https://www.example.com',
    'https://landing.example.com/path?utm_source=x#top',
    'https://WWW.EXAMPLE.COM/Danke',
    'https://www.example.com:443/danke',
    'http://localhost:3000/thanks',
  ])('returns the allowed URL %s unchanged', (requested) => {
    // Prepare: the allowlist is shared

    // Act
    const target = resolveRedirect(requested, ALLOWED, DEFAULT);

    // Assess
    expect(target).toBe(requested);
  });

  it.each([
    ['no redirect', undefined],
    ['an empty string', ''],
    ['a relative path', '/danke'],
    ['a relative name', 'danke.html'],
    ['another origin', 'https://evil.com/'],
    ['a look-alike subdomain', 'https://www.example.com.evil.com/'],
    ['a look-alike suffix', 'https://evilwww.example.com/'],
    ['http instead of https', 'http://www.example.com/danke'],
    ['another port', 'https://www.example.com:8443/danke'],
    ['a protocol-relative URL', '//evil.com/'],
    ['a protocol-relative allowed host', '//www.example.com/danke'],
    ['javascript:', 'javascript:alert(document.cookie)'],
    ['JavaScript: with an allowed host in a comment', 'JavaScript://www.example.com/%0aalert(1)'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['a leading space', ' https://www.example.com/danke'],
    ['a backslash host', 'https:\\\\evil.com'],
    ['a backslash after the scheme', 'https:/\\evil.com'],
    ['a backslash protocol-relative URL', '/\\evil.com'],
    ['a backslash before an @', 'https://www.example.com\\@evil.com'],
    ['userinfo naming the allowed host', 'https://www.example.com@evil.com/'],
    ['userinfo with a password', 'https://www.example.com:pw@evil.com/'],
    ['userinfo on the allowed host', 'https://user:pw@www.example.com/'],
    ['a tab in the host', 'https://www.exa\tmple.com/'],
    ['a newline', 'https://www.example.com/\r\nSet-Cookie: a=b'],
    ['a missing host', 'https:///evil.com'],
    ['a single slash', 'https:/evil.com'],
    ['ftp', 'ftp://www.example.com/'],
    ['an unparsable URL', 'https://[::1'],
  ])('falls back for %s', (_label, requested) => {
    // Prepare: the allowlist is shared

    // Act
    const target = resolveRedirect(requested, ALLOWED, DEFAULT);

    // Assess
    expect(target).toBe(DEFAULT);
  });

  it('normalises configured origins with a trailing slash or upper case', () => {
    // Prepare
    const allowed = ['https://Shop.Example.com/'];

    // Act
    const target = resolveRedirect('https://shop.example.com/ok', allowed, DEFAULT);

    // Assess
    expect(target).toBe('https://shop.example.com/ok');
  });

  it('allows nothing with an empty or broken allowlist', () => {
    // Prepare
    const requested = 'https://www.example.com/danke';

    // Act
    const targets = [resolveRedirect(requested, [], DEFAULT), resolveRedirect(requested, ['not a url', '*'], DEFAULT)];

    // Assess
    expect(targets).toEqual([DEFAULT, DEFAULT]);
  });
});
