import { describe, expect, it } from 'vitest';
import {
  classificationWindow,
  classifyForStorage,
  MAX_CLASSIFIED_INTERACTIONS,
  storedClassification,
  withinWindow,
} from '../../../shared/classification/classification-window';
import { classifyLead, defaultScoringConfig } from '../../../shared/domain/classification';
import type { Interaction } from '../../../shared/domain/lead';
import { MAX_STORED_EXPLANATION_LINES, MAX_STORED_INTERACTION_POINTS } from '../../../shared/storage/lead-item';

const NOW = '2026-05-04T10:00:00.000Z';
const lead = { email: 'jane@acme.example', company: 'Acme', lifecycle: 'warm' as const, pql: false, createdAt: '2026-01-01T00:00:00.000Z' };

function minutesAgo(minutes: number): string {
  return new Date(Date.parse(NOW) - minutes * 60_000).toISOString();
}

/** `count` clicks on different mails (5 points each), one a minute, the newest a minute ago. */
function clicks(count: number): Interaction[] {
  return Array.from({ length: count }, (_, n) => ({
    id: `click-${String(n).padStart(4, '0')}`,
    type: 'email_click' as const,
    at: minutesAgo(count - n),
    messageId: `m-${n}`,
  }));
}

describe('the classification window', () => {
  it('starts a day before the decay window and holds at most MAX_CLASSIFIED_INTERACTIONS', () => {
    const window = classificationWindow(NOW, defaultScoringConfig);
    expect(window.limit).toBe(MAX_CLASSIFIED_INTERACTIONS);
    expect(Date.parse(NOW) - Date.parse(window.since)).toBe((defaultScoringConfig.decay.decayDays + 1) * 86_400_000);
  });

  it('keeps the newest interactions in sort-key order, and none from before the window', () => {
    const old = {
      id: 'old',
      type: 'download' as const,
      at: '2025-01-01T00:00:00.000Z',
      assetId: 'pricing-guide',
      funnelStage: 'bofu' as const,
    };
    const all = [old, ...clicks(MAX_CLASSIFIED_INTERACTIONS + 50)];
    const kept = withinWindow([...all].reverse(), classificationWindow(NOW, defaultScoringConfig));
    expect(kept).toHaveLength(MAX_CLASSIFIED_INTERACTIONS);
    expect(kept).toEqual(all.slice(-MAX_CLASSIFIED_INTERACTIONS));
  });
});

describe('classifyForStorage', () => {
  it('never lowers the stored funnel stage when the interaction that reached it is outside the window', () => {
    const c = classifyForStorage({
      lead: { ...lead, funnelStage: 'bofu' },
      interactions: clicks(3),
      config: defaultScoringConfig,
      now: NOW,
    });
    expect(c.funnelStage).toBe('bofu');
    const newer = classifyForStorage({
      lead: { ...lead, funnelStage: 'tofu' },
      interactions: [{ id: 'c', type: 'contact', at: minutesAgo(1) }],
      config: defaultScoringConfig,
      now: NOW,
    });
    expect(newer.funnelStage).toBe('bofu');
  });

  it('stores no zero entries in interactionPoints: newsletter posts, however many, add nothing to the profile', () => {
    const posts: Interaction[] = Array.from({ length: 500 }, (_, n) => ({
      id: `nl-${n}`,
      type: 'newsletter_signup',
      at: minutesAgo(500 - n),
    }));
    const c = classifyForStorage({ lead, interactions: posts, config: defaultScoringConfig, now: NOW });
    expect(c.interactionPoints).toEqual({});
    expect(c.scoreExplanation.map((line) => line.reason)).toEqual(['business email domain', 'company given']);
  });
});

describe('storedClassification bounds both lists', () => {
  const interactions = clicks(150);
  const full = classifyLead({ lead: { ...lead, profileKnownAt: lead.createdAt }, interactions, config: defaultScoringConfig, now: NOW });
  const stored = storedClassification(full, interactions);

  it(`keeps at most ${MAX_STORED_EXPLANATION_LINES} explanation lines that still add up to the score`, () => {
    expect(full.scoreExplanation.length).toBeGreaterThan(MAX_STORED_EXPLANATION_LINES);
    expect(stored.scoreExplanation).toHaveLength(MAX_STORED_EXPLANATION_LINES);
    expect(stored.scoreExplanation.reduce((sum, line) => sum + line.points, 0)).toBe(full.score);
    expect(stored.scoreExplanation.slice(0, 2)).toEqual(full.scoreExplanation.slice(0, 2));
    expect(stored.scoreExplanation[2]).toEqual({
      reason: `${full.scoreExplanation.length - MAX_STORED_EXPLANATION_LINES + 1} earlier contributions`,
      points: expect.any(Number),
      at: full.scoreExplanation[2]!.at,
    });
    expect(stored.scoreExplanation.at(-1)).toEqual(full.scoreExplanation.at(-1));
  });

  it(`keeps the points of at most ${MAX_STORED_INTERACTION_POINTS} interactions, the oldest (they decay first)`, () => {
    expect(Object.keys(stored.interactionPoints)).toEqual(interactions.slice(0, MAX_STORED_INTERACTION_POINTS).map((i) => i.id));
    expect(Object.values(stored.interactionPoints).every((points) => points === 5)).toBe(true);
  });

  it('leaves a classification within the bounds as it is, apart from the zero entries', () => {
    const small = clicks(3);
    const c = classifyLead({
      lead: { ...lead, profileKnownAt: lead.createdAt },
      interactions: small,
      config: defaultScoringConfig,
      now: NOW,
    });
    expect(storedClassification(c, small)).toEqual(c);
  });
});
