import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, uniqueEmail, type DevMail, type TestStack } from '../../support/test-stack';

/** Undoes escapeHtml (shared/email/escape-html.ts): named entities and hex character references. */
function unescapeHtml(text: string): string {
  return text
    .replace(/&#x([0-9a-f]+);/gi, (_entity, hex: string) => String.fromCodePoint(Number.parseInt(hex, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

describe('the local HTML mailbox at /_dev/mailbox', () => {
  let stack: TestStack;
  let email: string;
  let mail: DevMail;
  beforeAll(async () => {
    stack = await startTestStack();
    email = uniqueEmail('mailbox');
    expect((await stack.postJson('/forms/newsletter', { email, firstName: 'Mia', marketingConsent: true })).status).toBe(200);
    await stack.drain();
    const mails = await stack.mailTo(email);
    expect(mails).toHaveLength(1);
    mail = mails[0]!;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('lists the mail with its recipient and a link to it, under a policy that allows no script', async () => {
    // Act
    const response = await fetch(`${stack.url}/_dev/mailbox`);
    const page = await response.text();

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(response.headers.get('content-security-policy')).not.toMatch(/script-src/);
    expect(page).toMatch(/<h1>Local mailbox \(\d+\)<\/h1>/);
    const row = page.split('\n').find((line) => line.includes(encodeURIComponent(mail.messageId)));
    expect(row).toBeDefined();
    expect(row).toContain(email);
    expect(row).toContain(`<a href="/_dev/mailbox/${encodeURIComponent(mail.messageId)}">`);
    expect(unescapeHtml(row!)).toContain(`>${mail.subject}</a>`);
    expect(page).not.toMatch(/<script/i);
  });

  it('shows one mail with its headers, its text, and its HTML in a sandboxed iframe that may not run script', async () => {
    // Act
    const response = await fetch(`${stack.url}/_dev/mailbox/${encodeURIComponent(mail.messageId)}`);
    const page = await response.text();

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    const headerRows = new Map(
      [...page.matchAll(/<tr><th>([^<]*)<\/th><td>([^<]*)<\/td><\/tr>/g)].map(([, name, value]) => [
        unescapeHtml(name!),
        unescapeHtml(value!),
      ]),
    );
    expect(headerRows.get('From')).toBe(mail.from);
    expect(headerRows.get('To')).toBe(email);
    expect(headerRows.get('Subject')).toBe(mail.subject);
    expect(headerRows.get('Message-ID')).toBe(mail.messageId);
    expect(headerRows.get('Sent')).toMatch(/^\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}$/);
    // any extra header the mail carries (List-Unsubscribe on nurture mails) is listed too
    for (const header of mail.headers) expect(headerRows.get(header.name)).toBe(header.value);

    const iframes = [...page.matchAll(/<iframe\b[^>]*>/g)].map(([tag]) => tag);
    expect(iframes).toHaveLength(1);
    const sandbox = /\ssandbox="([^"]*)"/.exec(iframes[0]!)?.[1];
    expect(sandbox).toBeDefined();
    expect(sandbox!.split(/\s+/)).not.toContain('allow-scripts');
    expect(sandbox!.split(/\s+/)).not.toContain('allow-same-origin');
    const srcdoc = unescapeHtml(/\ssrcdoc="([^"]*)"/.exec(iframes[0]!)![1]!);
    expect(srcdoc).toContain(mail.html);
    // the mail's markup is only ever inside the attribute, never part of the page itself
    expect(page).not.toContain(mail.html);
    expect(unescapeHtml(page)).toContain(mail.text);
    expect(page).toContain('<a href="/_dev/mailbox">');
  });

  it('answers an unknown message id with 404', async () => {
    // Act
    const response = await fetch(`${stack.url}/_dev/mailbox/no-such-message`);

    // Assess
    expect(response.status).toBe(404);
    expect(await response.text()).toBe('No mail with this id');
  });
});
