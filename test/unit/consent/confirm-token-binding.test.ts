import { describe, expect, it } from 'vitest';
import { CONFIRM_TOKEN_TTL_DAYS, confirmTokenFit, confirmTokenRequestedAt } from '../../../shared/consent/confirm-token-binding';

const CREATED = '2026-01-01T09:00:00.000Z';
const REQUESTED = '2026-01-01T10:00:00.000Z';
const LATER_REQUEST = '2026-01-03T10:00:00.000Z';

describe('binding a confirm link to its consent request', () => {
  describe('confirmTokenFit', () => {
    it('lets a link confirm the request it was mailed for', () => {
      // Act
      const fit = confirmTokenFit({ createdAt: CREATED, consentRequestedAt: REQUESTED }, REQUESTED);

      // Assess
      expect(fit).toBe('fits');
    });

    it('lets a link confirm after the same address was submitted again without a withdrawal (no new mail was due)', () => {
      // Act
      const fit = confirmTokenFit({ createdAt: CREATED, consentRequestedAt: LATER_REQUEST }, REQUESTED);

      // Assess
      expect(fit).toBe('fits');
    });

    it('refuses a link from before a withdrawal: it must not confirm a later request', () => {
      // Prepare
      const lead = {
        createdAt: CREATED,
        consentRequestedAt: LATER_REQUEST,
        consentConfirmedAt: '2026-01-01T11:00:00.000Z',
        consentWithdrawnAt: '2026-01-02T10:00:00.000Z',
      };

      // Act
      const fit = confirmTokenFit(lead, REQUESTED);

      // Assess
      expect(fit).toBe('outdated');
      expect(confirmTokenFit(lead, LATER_REQUEST)).toBe('fits');
    });

    it('refuses a link from before the lead was erased and created again', () => {
      // Act
      const fit = confirmTokenFit({ createdAt: '2026-01-02T00:00:00.000Z', consentRequestedAt: LATER_REQUEST }, REQUESTED);

      // Assess
      expect(fit).toBe('outdated');
    });

    it('refuses a link for a request later than the lead has, and a link without a request time', () => {
      // Act / Assess
      expect(confirmTokenFit({ createdAt: CREATED, consentRequestedAt: REQUESTED }, LATER_REQUEST)).toBe('outdated');
      expect(confirmTokenFit({ createdAt: CREATED, consentRequestedAt: REQUESTED }, undefined)).toBe('outdated');
    });

    it('says not-pending when there is nothing to confirm', () => {
      // Act / Assess
      expect(confirmTokenFit({ createdAt: CREATED }, REQUESTED)).toBe('not-pending');
      const confirmed = { createdAt: CREATED, consentRequestedAt: REQUESTED, consentConfirmedAt: LATER_REQUEST };
      expect(confirmTokenFit(confirmed, REQUESTED)).toBe('not-pending');
    });
  });

  describe('confirmTokenRequestedAt', () => {
    it('reads the request time the link carries', () => {
      // Act
      const token = { expiresAt: '2026-01-08T12:00:00.000Z', data: { locale: 'de', requestedAt: REQUESTED } };
      const requestedAt = confirmTokenRequestedAt(token);

      // Assess
      expect(requestedAt).toBe(REQUESTED);
    });

    it('derives it from the expiry for a link minted before links carried it (valid 7 days from the request)', () => {
      // Prepare
      const expiresAt = new Date(Date.parse(REQUESTED) + CONFIRM_TOKEN_TTL_DAYS * 86_400_000).toISOString();

      // Act
      const requestedAt = confirmTokenRequestedAt({ expiresAt, data: { locale: 'de' } });

      // Assess
      expect(requestedAt).toBe(REQUESTED);
    });
  });
});
