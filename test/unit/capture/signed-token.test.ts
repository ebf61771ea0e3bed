import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InvalidTokenError } from '../../../shared/http/http-errors';
import { signToken, verifyToken, verifyTokenAllowingExpiry, type TokenPurpose } from '../../../shared/security/signed-token';

const SECRET = 'test-signing-key-0123456789';
const NOW = '2025-03-01T10:00:00.000Z';
const LATER = '2025-03-08T10:00:00.000Z';

function reasonOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidTokenError);
    expect((error as InvalidTokenError).statusCode).toBe(400);
    expect((error as InvalidTokenError).code).toBe('invalid_token');
    return (error as InvalidTokenError).reason;
  }
  throw new Error('expected an InvalidTokenError');
}

describe('signed tokens', () => {
  it('round-trips lead, purpose, expiry and data', () => {
    // Prepare
    const token = signToken({ purpose: 'download', leadId: 'L123', expiresAt: LATER, data: { assetId: 'pricing-guide' } }, SECRET);

    // Act
    const payload = verifyToken(token, { purpose: 'download', now: NOW }, SECRET);

    // Assess
    expect(payload).toEqual({ purpose: 'download', leadId: 'L123', expiresAt: LATER, data: { assetId: 'pricing-guide' } });
  });

  it('is URL-safe', () => {
    // Prepare
    const payload = { purpose: 'confirm' as const, leadId: 'L?&/+=', data: { note: 'ü/+?'.repeat(20) } };

    // Act
    const token = signToken(payload, SECRET);

    // Assess
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(encodeURIComponent(token)).toBe(token);
  });

  it('issues unsubscribe tokens that never expire', () => {
    // Prepare
    const token = signToken({ purpose: 'unsubscribe', leadId: 'L123' }, SECRET);

    // Act
    const payload = verifyToken(token, { purpose: 'unsubscribe', now: '2099-12-31T23:59:59Z' }, SECRET);

    // Assess
    expect(payload).toEqual({ purpose: 'unsubscribe', leadId: 'L123' });
  });

  it('refuses to issue an expiring unsubscribe token', () => {
    // Prepare
    const payload = { purpose: 'unsubscribe' as const, leadId: 'L123', expiresAt: LATER };

    // Act
    const sign = () => signToken(payload, SECRET);

    // Assess
    expect(sign).toThrow(/never expire/);
  });

  it.each([
    ['an empty lead id', { purpose: 'confirm', leadId: '' }],
    ['a non-ISO expiry', { purpose: 'confirm', leadId: 'L1', expiresAt: 'next week' }],
    ['an unknown purpose', { purpose: 'admin', leadId: 'L1' }],
  ])('refuses to sign %s', (_label, payload) => {
    // Prepare: the payload is in the table

    // Act
    const sign = () => signToken(payload as never, SECRET);

    // Assess
    expect(sign).toThrow();
  });

  it('rejects a token from the moment it expires', () => {
    // Prepare
    const token = signToken({ purpose: 'confirm', leadId: 'L123', expiresAt: LATER }, SECRET);

    // Act
    const before = verifyToken(token, { purpose: 'confirm', now: '2025-03-08T09:59:59.999Z' }, SECRET);
    const at = reasonOf(() => verifyToken(token, { purpose: 'confirm', now: LATER }, SECRET));
    const after = reasonOf(() => verifyToken(token, { purpose: 'confirm', now: '2025-04-01T00:00:00Z' }, SECRET));

    // Assess
    expect(before.leadId).toBe('L123');
    expect(at).toBe('expired');
    expect(after).toBe('expired');
  });

  it.each([
    ['download', 'unsubscribe'],
    ['confirm', 'download'],
    ['sales-accept', 'sales-recycle'],
    ['unsubscribe', 'confirm'],
  ] as [TokenPurpose, TokenPurpose][])('rejects a %s token used for %s', (issued, used) => {
    // Prepare
    const token = signToken({ purpose: issued, leadId: 'L123', ...(issued === 'unsubscribe' ? {} : { expiresAt: LATER }) }, SECRET);

    // Act
    const reason = reasonOf(() => verifyToken(token, { purpose: used, now: NOW }, SECRET));

    // Assess
    expect(reason).toBe('wrong_purpose');
  });

  it('rejects a token signed with another secret', () => {
    // Prepare
    const token = signToken({ purpose: 'confirm', leadId: 'L123' }, 'another-secret-0123456789');

    // Act
    const reason = reasonOf(() => verifyToken(token, { purpose: 'confirm', now: NOW }, SECRET));

    // Assess
    expect(reason).toBe('tampered');
  });

  it('rejects a payload swapped for another lead', () => {
    // Prepare
    const token = signToken({ purpose: 'sales-accept', leadId: 'L123', expiresAt: LATER }, SECRET);
    const [, signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ purpose: 'sales-accept', leadId: 'L999', expiresAt: LATER })).toString('base64url');

    // Act
    const reason = reasonOf(() => verifyToken(`${forged}.${signature}`, { purpose: 'sales-accept', now: NOW }, SECRET));

    // Assess
    expect(reason).toBe('tampered');
  });

  it('rejects an extended expiry', () => {
    // Prepare
    const token = signToken({ purpose: 'download', leadId: 'L123', expiresAt: NOW }, SECRET);
    const [encoded, signature] = token.split('.') as [string, string];
    const payload = JSON.parse(Buffer.from(encoded, 'base64url').toString()) as Record<string, unknown>;
    const extended = Buffer.from(JSON.stringify({ ...payload, expiresAt: '2099-01-01T00:00:00Z' })).toString('base64url');

    // Act
    const reason = reasonOf(() => verifyToken(`${extended}.${signature}`, { purpose: 'download', now: LATER }, SECRET));

    // Assess
    expect(reason).toBe('tampered');
  });

  it('rejects any single changed character', () => {
    // Prepare
    const token = signToken({ purpose: 'confirm', leadId: 'L123', expiresAt: LATER }, SECRET);

    // Act
    const reasons = new Set<string>();
    for (let i = 0; i < token.length; i++) {
      if (token[i] === '.') continue;
      const changed = token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
      reasons.add(reasonOf(() => verifyToken(changed, { purpose: 'confirm', now: NOW }, SECRET)));
    }

    // Assess
    expect([...reasons]).toEqual(['tampered']);
  });

  it.each([
    ['an empty string', ''],
    ['no dot', 'abcdef'],
    ['two dots', 'a.b.c'],
    ['an empty payload', '.abc'],
    ['an empty signature', 'abc.'],
    ['non-base64url characters', 'ab+c.de/f'],
    ['padding', 'abc=.def'],
    ['whitespace', 'abc .def'],
  ])('rejects %s as malformed', (_label, token) => {
    // Prepare: the token is in the table

    // Act
    const reason = reasonOf(() => verifyToken(token, { purpose: 'confirm', now: NOW }, SECRET));

    // Assess
    expect(reason).toBe('malformed');
  });

  it('rejects a truncated signature as tampered', () => {
    // Prepare
    const token = signToken({ purpose: 'confirm', leadId: 'L123' }, SECRET);

    // Act
    const reason = reasonOf(() => verifyToken(token.slice(0, -2), { purpose: 'confirm', now: NOW }, SECRET));

    // Assess
    expect(reason).toBe('tampered');
  });

  it('binds the signature to this use of the key', () => {
    // Prepare: an HMAC of the bare payload, as another component using the same key might produce
    const encoded = Buffer.from(JSON.stringify({ purpose: 'confirm', leadId: 'L1' })).toString('base64url');
    const bare = createHmac('sha256', SECRET).update(encoded).digest('base64url');

    // Act
    const reason = reasonOf(() => verifyToken(`${encoded}.${bare}`, { purpose: 'confirm', now: NOW }, SECRET));

    // Assess
    expect(reason).toBe('tampered');
  });
  describe('signing-key rotation', () => {
    const PREVIOUS = 'previous-signing-key-0123456789';

    it('verifies a token signed with the previous key while it is listed after the current one', () => {
      // Prepare
      const token = signToken({ purpose: 'sales-accept', leadId: 'L1', expiresAt: LATER }, PREVIOUS);

      // Act
      const payload = verifyToken(token, { purpose: 'sales-accept', now: NOW }, [SECRET, PREVIOUS]);

      // Assess
      expect(payload).toMatchObject({ purpose: 'sales-accept', leadId: 'L1' });
    });

    it('rejects a token of the previous key once that key is no longer listed', () => {
      // Prepare
      const token = signToken({ purpose: 'unsubscribe', leadId: 'L1' }, PREVIOUS);

      // Act
      const reason = reasonOf(() => verifyToken(token, { purpose: 'unsubscribe', now: NOW }, [SECRET]));

      // Assess
      expect(reason).toBe('tampered');
    });

    it('still rejects an expired token of the previous key: the grace period ends with the token', () => {
      // Prepare
      const token = signToken({ purpose: 'confirm', leadId: 'L1', expiresAt: NOW }, PREVIOUS);

      // Act
      const reason = reasonOf(() => verifyToken(token, { purpose: 'confirm', now: LATER }, [SECRET, PREVIOUS]));

      // Assess
      expect(reason).toBe('expired');
    });

    it('rejects a token signed with a key that is neither current nor previous', () => {
      // Prepare
      const token = signToken({ purpose: 'confirm', leadId: 'L1', expiresAt: LATER }, 'a-third-key-0123456789');

      // Act
      const reason = reasonOf(() => verifyToken(token, { purpose: 'confirm', now: NOW }, [SECRET, PREVIOUS]));

      // Assess
      expect(reason).toBe('tampered');
    });
  });
});

describe('verifyTokenAllowingExpiry: the lead behind an expired link', () => {
  const EXPIRES = '2025-03-02T10:00:00.000Z';
  const AFTER = '2025-03-05T10:00:00.000Z';

  it('answers the payload of an expired, correctly signed token, and says it expired', () => {
    // Prepare
    const token = signToken({ purpose: 'confirm', leadId: 'L1', expiresAt: EXPIRES, data: { locale: 'en' } }, SECRET);

    // Act
    const checked = verifyTokenAllowingExpiry(token, { purpose: 'confirm', now: AFTER }, SECRET);

    // Assess
    expect(reasonOf(() => verifyToken(token, { purpose: 'confirm', now: AFTER }, SECRET))).toBe('expired');
    expect(checked).toEqual({ payload: { purpose: 'confirm', leadId: 'L1', expiresAt: EXPIRES, data: { locale: 'en' } }, expired: true });
  });

  it('answers a token that has not expired yet with expired: false', () => {
    // Prepare
    const token = signToken({ purpose: 'download', leadId: 'L2', expiresAt: EXPIRES, data: { assetId: 'pricing-guide' } }, SECRET);

    // Act
    const checked = verifyTokenAllowingExpiry(token, { purpose: 'download', now: NOW }, SECRET);

    // Assess
    expect(checked).toEqual({ payload: expect.objectContaining({ leadId: 'L2' }), expired: false });
  });

  it('still rejects an expired token whose payload was changed, signed with another key, or meant for another purpose', () => {
    // Prepare
    const token = signToken({ purpose: 'confirm', leadId: 'L3', expiresAt: EXPIRES }, SECRET);
    const [, signature] = token.split('.');
    const otherPayload = Buffer.from(JSON.stringify({ purpose: 'confirm', leadId: 'L4', expiresAt: EXPIRES })).toString('base64url');
    const otherLead = `${otherPayload}.${signature}`;
    const otherKey = signToken({ purpose: 'confirm', leadId: 'L3', expiresAt: EXPIRES }, 'another-signing-key-0123456789');

    // Act
    const reasons = [
      reasonOf(() => verifyTokenAllowingExpiry(otherLead, { purpose: 'confirm', now: AFTER }, SECRET)),
      reasonOf(() => verifyTokenAllowingExpiry(otherKey, { purpose: 'confirm', now: AFTER }, SECRET)),
      reasonOf(() => verifyTokenAllowingExpiry(token, { purpose: 'download', now: AFTER }, SECRET)),
      reasonOf(() => verifyTokenAllowingExpiry('garbage', { purpose: 'confirm', now: AFTER }, SECRET)),
    ];

    // Assess
    expect(reasons).toEqual(['tampered', 'tampered', 'wrong_purpose', 'malformed']);
  });
});
