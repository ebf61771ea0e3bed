import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PAGE_STYLE, renderActionPage, renderFieldErrorsPage, renderMessagePage } from '../../../shared/http/html-pages';
import { asciiLocation, seeOther } from '../../../shared/http/http-handler';
import { securityHeaders, styleHashSource } from '../../../shared/http/security-headers';

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name!, values]),
  );
}

function inlineStyles(page: string): string[] {
  return [...page.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]!);
}

describe('securityHeaders', () => {
  it('forbids framing, script and every load, and allows each given inline style by its SHA-256 only', () => {
    // Prepare
    const css = 'body{color:red}';

    // Act
    const headers = securityHeaders({ inlineStyles: [css, css] });

    // Assess
    const policy = directives(headers['content-security-policy']!);
    const expectedHash = `'sha256-${createHash('sha256').update(css).digest('base64')}'`;
    expect(policy.get('default-src')).toEqual(["'none'"]);
    expect(policy.get('style-src')).toEqual([expectedHash]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect(policy.get('base-uri')).toEqual(["'none'"]);
    expect(headers).toMatchObject({ 'x-frame-options': 'DENY', 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' });
  });

  it('allows no style at all when none is given', () => {
    // Act
    const policy = directives(securityHeaders()['content-security-policy']!);

    // Assess
    expect(policy.get('style-src')).toEqual(["'none'"]);
  });

  const pages: Array<[string, string]> = [
    [
      'an action page',
      renderActionPage({
        locale: 'de',
        title: 'Bestätigen',
        message: 'Bitte bestätigen',
        actionUrl: '/confirm?token=x',
        buttonLabel: 'Ja',
      }),
    ],
    [
      'an action page with a select',
      renderActionPage({
        locale: 'en',
        title: 'Recycle',
        message: 'Why?',
        actionUrl: 'https://api.example.com/sales/recycle?token=x',
        buttonLabel: 'Recycle',
        extraFields: [{ name: 'reason', label: 'Reason', options: [{ value: 'no_budget', label: 'No budget' }] }],
      }),
    ],
    ['a success page', renderMessagePage({ locale: 'de', title: 'Danke', message: 'Bestätigt', status: 'success' })],
    ['an error page', renderMessagePage({ locale: 'en', title: 'Expired', message: 'Link expired', status: 410 })],
    ['an info page', renderMessagePage({ locale: 'en', title: 'Done', message: 'Already done' })],
    ['a field-error page', renderFieldErrorsPage({ locale: 'de', fields: { email: 'email is required' }, backUrl: '/form' })],
  ];

  it.each(pages)('lets %s keep its style under the policy the HTTP handlers send, with no inline script', (_label, page) => {
    // Prepare
    const policy = directives(securityHeaders({ inlineStyles: [PAGE_STYLE] })['content-security-policy']!);

    // Act
    const styles = inlineStyles(page);

    // Assess
    expect(styles).toEqual([PAGE_STYLE]);
    expect(policy.get('style-src')).toEqual([styleHashSource(styles[0]!)]);
    expect(page).not.toMatch(/<script|\sstyle=|\son[a-z]+=/i);
  });
});

describe('seeOther / asciiLocation', () => {
  it.each([['https://www.example.com/danke?form=newsletter#top'], ['https://WWW.EXAMPLE.COM:443/Danke'], ['/danke?x=%E2%82%AC']])(
    'passes the ASCII location %s unchanged',
    (location) => {
      // Act
      const result = seeOther(location);

      // Assess
      expect(result).toEqual({ statusCode: 303, headers: { location }, body: '' });
    },
  );

  it.each([
    ['https://www.example.com/danke-€?land=日本#größe', 'https://www.example.com/danke-%E2%82%AC?land=%E6%97%A5%E6%9C%AC#gr%C3%B6%C3%9Fe'],
    ['https://日本.example/danke', 'https://xn--wgv71a.example/danke'],
    ['https://www.example.com/a b', 'https://www.example.com/a%20b'],
    ['/danke-€ 😀', '/danke-%E2%82%AC%20%F0%9F%98%80'],
    ['/lone-\uD800', '/lone-%EF%BF%BD'],
  ])('encodes %s as %s', (location, expected) => {
    // Act
    const encoded = asciiLocation(location);

    // Assess
    expect(encoded).toBe(expected);
    expect(encoded).toMatch(/^[\x21-\x7E]+$/);
  });
});
