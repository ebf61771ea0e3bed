import { describe, expect, it } from 'vitest';
import { marketingConsentState } from '../../../shared/domain/consent-state';
import { expiredOptInAction, optInExpiresAt } from '../../../shared/domain/opt-in-retention';
import { nextDecayAt } from '../../../shared/domain/classification/next-decay';
import { defaultScoringConfig } from '../../../shared/domain/classification';

describe('marketingConsentState', () => {
  it.each([
    [{}, 'none'],
    [{ consentRequestedAt: '2026-01-01T00:00:00.000Z' }, 'pending'],
    [{ consentRequestedAt: '2026-01-01T00:00:00.000Z', consentConfirmedAt: '2026-01-02T00:00:00.000Z' }, 'confirmed'],
    [{ consentConfirmedAt: '2026-01-02T00:00:00.000Z', consentWithdrawnAt: '2026-01-03T00:00:00.000Z' }, 'withdrawn'],
    [
      {
        consentRequestedAt: '2026-01-04T00:00:00.000Z',
        consentConfirmedAt: '2026-01-02T00:00:00.000Z',
        consentWithdrawnAt: '2026-01-03T00:00:00.000Z',
      },
      'pending',
    ],
    [{ consentRequestedAt: '2026-01-05T00:00:00.000Z', consentConfirmedAt: '2026-01-02T00:00:00.000Z' }, 'confirmed'],
  ] as const)('derives %j as %s', (timestamps, expected) => {
    // Act
    const state = marketingConsentState(timestamps);

    // Assess
    expect(state).toBe(expected);
  });
});

describe('unconfirmed opt-in retention', () => {
  const pending = { consentRequestedAt: '2026-01-01T00:00:00.000Z' };

  it('expires a pending opt-in after the retention, and nothing else', () => {
    // Act / Assess
    expect(optInExpiresAt(pending, 30)).toBe('2026-01-31T00:00:00.000Z');
    expect(optInExpiresAt({ ...pending, consentConfirmedAt: '2026-01-02T00:00:00.000Z' }, 30)).toBeNull();
    expect(optInExpiresAt({}, 30)).toBeNull();
  });

  it('deletes a newsletter-only lead, drops only the request when there is more, keeps it before expiry', () => {
    // Prepare
    const after = '2026-02-01T00:00:00.000Z';

    // Act / Assess
    expect(expiredOptInAction(pending, [{ type: 'newsletter_signup' }], 30, after)).toBe('delete-lead');
    expect(expiredOptInAction(pending, [{ type: 'newsletter_signup' }, { type: 'download' }], 30, after)).toBe('drop-request');
    expect(expiredOptInAction(pending, [{ type: 'newsletter_signup' }], 30, '2026-01-30T23:59:59.000Z')).toBe('keep');
    expect(
      expiredOptInAction({ ...pending, consentConfirmedAt: '2026-01-02T00:00:00.000Z' }, [{ type: 'newsletter_signup' }], 30, after),
    ).toBe('keep');
  });
});

describe('nextDecayAt', () => {
  it('is the earliest future expiry of a scored interaction', () => {
    // Prepare
    const interactions = [
      { id: 'a', type: 'download' as const, at: '2026-01-01T00:00:00.000Z' },
      { id: 'b', type: 'email_click' as const, at: '2026-02-01T00:00:00.000Z' },
      { id: 'c', type: 'email_open' as const, at: '2025-12-01T00:00:00.000Z' },
    ];

    // Act
    const at = nextDecayAt(interactions, { a: 15, b: 5, c: 0 }, defaultScoringConfig, '2026-03-01T00:00:00.000Z');

    // Assess: 180 days after a's time; c earned nothing, so its expiry does not matter
    expect(at).toBe('2026-06-30T00:00:00.000Z');
    expect(nextDecayAt(interactions, { a: 15, b: 5 }, defaultScoringConfig, '2026-12-01T00:00:00.000Z')).toBeNull();
  });
});
