import { describe, expect, it } from 'vitest';
import { renderActionPage } from '../../../shared/http/html-pages';
import { InvalidTokenError, salesLinkProblemPage } from '../../../shared/http/http-errors';
import { renewableToken } from '../../../shared/links/renew-link';
import { signToken } from '../../../shared/security/signed-token';

const KEY = 'unit-test-signing-key';
const NOW = '2026-12-03T10:00:00.000Z';
const PAST = '2026-12-01T10:00:00.000Z';

function reasonOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidTokenError) return error.reason;
    throw error;
  }
  return undefined;
}

describe('renewableToken', () => {
  it('reads an expired confirm or download token, the purpose being the token’s own', () => {
    const confirm = signToken({ purpose: 'confirm', leadId: 'lead-1', expiresAt: PAST, data: { locale: 'en' } }, KEY);
    const download = signToken({ purpose: 'download', leadId: 'lead-2', expiresAt: PAST, data: { assetId: 'pricing-guide' } }, KEY);

    expect(renewableToken(confirm, NOW, [KEY])).toMatchObject({ purpose: 'confirm', leadId: 'lead-1' });
    expect(renewableToken(download, NOW, [KEY])).toMatchObject({
      purpose: 'download',
      leadId: 'lead-2',
      data: { assetId: 'pricing-guide' },
    });
  });

  it('accepts a token signed with the previous key during a rotation', () => {
    const token = signToken({ purpose: 'confirm', leadId: 'lead-1', expiresAt: PAST }, 'previous-key');

    expect(renewableToken(token, NOW, [KEY, 'previous-key']).leadId).toBe('lead-1');
  });

  it('rejects a tampered, a malformed and another purpose’s token', () => {
    const token = signToken({ purpose: 'confirm', leadId: 'lead-1', expiresAt: PAST }, KEY);
    const unsubscribe = signToken({ purpose: 'unsubscribe', leadId: 'lead-1' }, KEY);

    expect(reasonOf(() => renewableToken(token, NOW, ['another-key']))).toBe('tampered');
    expect(reasonOf(() => renewableToken('not-a-token', NOW, [KEY]))).toBe('malformed');
    expect(reasonOf(() => renewableToken(unsubscribe, NOW, [KEY]))).toBe('wrong_purpose');
  });
});

describe('the expired page’s button', () => {
  it('posts the token as an escaped hidden field', () => {
    const page = renderActionPage({
      locale: 'de',
      title: 'Dieser Link ist abgelaufen',
      message: 'Gern senden wir Ihnen einen neuen Link.',
      actionUrl: 'https://example.com/links/renew',
      buttonLabel: 'Neuen Link senden',
      hiddenFields: { token: 'a"><script>' },
    });

    expect(page).toContain('<input type="hidden" name="token" value="a&quot;&gt;&lt;script&gt;">');
    expect(page).not.toContain('<script>');
  });
});

describe('salesLinkProblemPage', () => {
  it('says, in German and in English, to ask marketing, and whether the link expired or is broken', () => {
    const expired = salesLinkProblemPage('expired');
    const broken = salesLinkProblemPage('tampered');

    expect(expired.de.title).toBe('Dieser Link ist abgelaufen');
    expect(broken.en.title).toBe('This link does not work');
    expect(expired.de.message).toContain('Marketing');
    expect(broken.en.message).toContain('ask marketing');
  });
});
