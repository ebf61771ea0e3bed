import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../support/test-stack';

/** The CSP hash source of the start page's one inline style, computed from the page itself. */
function inlineStyleHash(page: string): string {
  const style = /<style>([\s\S]*?)<\/style>/.exec(page)?.[1];
  if (style === undefined) throw new Error('the start page has no inline style');
  return `'sha256-${createHash('sha256').update(style, 'utf8').digest('base64')}'`;
}

describe('local HTTP server: what the stack itself answers', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack.stop();
  });

  it.each([
    ['an API route parameter', '/downloads/%E0%A4%A'],
    ['a dev route parameter', '/_dev/leads/%ZZjane'],
  ])('answers a malformed percent escape in %s with 400 naming the path, not 500', async (_label, path) => {
    // Act
    const response = await fetch(`${stack.url}${path}`);
    const body = (await response.json()) as { error: { code: string; fields: Record<string, string> } };

    // Assess
    expect(response.status).toBe(400);
    expect(body.error.code).toBe('malformed_path');
    expect(Object.keys(body.error.fields)).toEqual(['path']);
  });

  it('still decodes a well-formed escape in a route parameter', async () => {
    // Act
    const response = await fetch(`${stack.url}/_dev/leads/${encodeURIComponent('nobody-here@acme-gmbh.example')}`);

    // Assess
    expect(response.status).toBe(404);
  });

  it('serves the start page with the same security headers as the app pages', async () => {
    // Act
    const response = await fetch(`${stack.url}/`);
    const page = await response.text();
    const csp = response.headers.get('content-security-policy') ?? '';

    // Assess
    expect(response.status).toBe(200);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'none'");
    // The page's own inline style is allowed by its hash, so the page still looks as it should.
    expect(csp).toContain(inlineStyleHash(page));
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  });
});
