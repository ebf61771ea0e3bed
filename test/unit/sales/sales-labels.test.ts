import { describe, expect, it } from 'vitest';
import { contentCatalogue } from '../../../shared/capture/content-catalogue';
import { classifyLead, defaultScoringConfig } from '../../../shared/domain/classification';
import { INTERACTION_TYPES, type Interaction } from '../../../shared/domain/lead';
import { webinarCatalogue } from '../../../shared/offers/webinar-catalogue';
import { scoreReasonLabel } from '../../../shared/sales/sales-labels';

const NOW = '2026-12-02T16:35:00.000Z';

/** One interaction of every type, each with the references the real producers set, one minute apart. */
function everyInteraction(): Interaction[] {
  return INTERACTION_TYPES.flatMap((type, index) => {
    const at = new Date(Date.parse(NOW) - (index + 1) * 60_000).toISOString();
    const base = { id: `i-${index}`, type, at };
    switch (type) {
      case 'download':
        return contentCatalogue.map((asset, n) => ({ ...base, id: `${base.id}-${n}`, assetId: asset.id, funnelStage: asset.funnelStage }));
      case 'webinar_attended':
      case 'webinar_registered':
        return [{ ...base, externalId: webinarCatalogue[0]!.id }];
      case 'email_click':
      case 'email_open':
        return [{ ...base, messageId: '0100018c-ses-message-id' }];
      case 'trial_started':
        return [{ ...base, externalId: 'trial-42' }];
      default:
        return [base];
    }
  });
}

/** Every rule worth a point, so that every reason shows up (the shipped rules give opens and signups 0 points, and no line). */
function everyRuleCounts(value: unknown): unknown {
  if (typeof value === 'number') return 1;
  if (Array.isArray(value) || typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, everyRuleCounts(inner)]));
}

describe('score reasons in the sales locale', () => {
  const config = {
    ...defaultScoringConfig,
    engagement: everyRuleCounts(defaultScoringConfig.engagement) as typeof defaultScoringConfig.engagement,
  };
  const { scoreExplanation } = classifyLead({
    lead: { email: 'jane@acme-gmbh.example', company: 'Acme GmbH', lifecycle: 'warm', pql: false, profileKnownAt: NOW },
    interactions: everyInteraction(),
    config,
    now: NOW,
  });
  const reasons = [...new Set(scoreExplanation.map((line) => line.reason))];

  it('classification gives a reason for every interaction type and both fit rules (the table below covers them all)', () => {
    // Assess
    expect(reasons).toContain('business email domain');
    expect(reasons).toContain('company given');
    expect(reasons.length).toBeGreaterThanOrEqual(INTERACTION_TYPES.length + 2);
  });

  it.each(['de', 'en'] as const)('translates every reason classification produces, with no internal ids (%s)', (locale) => {
    // Act
    const labels = reasons.map((reason) => scoreReasonLabel(reason, locale));

    // Assess
    if (locale === 'de') for (const [n, label] of labels.entries()) expect(label, reasons[n]).not.toBe(reasons[n]);
    for (const label of labels) {
      expect(label).not.toMatch(/ses-message-id|tofu|mofu|bofu|_/);
      expect(label).toMatch(/^[A-ZÄÖÜa-zäöü]/);
    }
  });

  it.each([
    ['business email domain', 'geschäftliche E-Mail-Adresse'],
    ['download: pricing-guide (bofu)', 'Download: Preisleitfaden: Pakete und Konditionen (BoFu)'],
    ['email click: 0100018c-abc', 'E-Mail-Klick'],
    ['expert call requested', 'Experten-Gespräch angefragt'],
    ['contact request', 'Kontaktanfrage'],
    ['trial started: t-1', 'Testversion gestartet: t-1'],
    ['a rule nobody translated yet', 'a rule nobody translated yet'],
  ])('"%s" reads "%s" in German', (reason, expected) => {
    // Act
    const label = scoreReasonLabel(reason, 'de');

    // Assess
    expect(label).toBe(expected);
  });
});
