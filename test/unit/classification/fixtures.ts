import type { Interaction } from '../../../shared/domain/lead';
import type { LeadForClassification, ScoringConfig } from '../../../shared/domain/classification';
import { defaultScoringConfig } from '../../../shared/domain/classification';

export const NOW = '2025-06-30T12:00:00.000Z';
const DAY_MS = 24 * 60 * 60 * 1000;

/** ISO timestamp `days` days (fractions allowed) before NOW, plus `extraMs` (negative = further back). */
export function daysAgo(days: number, extraMs = 0): string {
  return new Date(Date.parse(NOW) - days * DAY_MS + extraMs).toISOString();
}

/** A warm-ish lead without fit points: freemail address, no company. */
export function aLead(overrides: Partial<LeadForClassification> = {}): LeadForClassification {
  return { email: 'max.mustermann@gmail.com', lifecycle: 'cold', pql: false, ...overrides };
}

let sequence = 0;
export function anInteraction(type: Interaction['type'], overrides: Partial<Interaction> = {}): Interaction {
  sequence += 1;
  return { id: `i-${String(sequence).padStart(4, '0')}`, type, at: daysAgo(1), ...overrides };
}

/**
 * The rules these tests were written against, pinned: the defaults in config/scoring-rules.json may be
 * retuned (scoring-config.test.ts checks them) without changing what these tests prove.
 */
export const TEST_RULES: ScoringConfig = {
  ...defaultScoringConfig,
  engagement: { ...defaultScoringConfig.engagement, downloadPoints: { tofu: 15, mofu: 25, bofu: 40 } },
};

export function withConfig(overrides: {
  fit?: Partial<ScoringConfig['fit']>;
  engagement?: Partial<ScoringConfig['engagement']>;
  stages?: Partial<ScoringConfig['stages']>;
  decay?: Partial<ScoringConfig['decay']>;
}): ScoringConfig {
  const base = TEST_RULES;
  return {
    ...base,
    fit: { ...base.fit, ...overrides.fit },
    engagement: { ...base.engagement, ...overrides.engagement },
    stages: { ...base.stages, ...overrides.stages },
    decay: { ...base.decay, ...overrides.decay },
  };
}
