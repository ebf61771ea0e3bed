import { describe, expect, it } from 'vitest';
import { FUNNEL_PROJECTION_EVENTS } from '../../../shared/reporting/project-funnel';
import { EVENT_RULES, FUNCTIONS } from '../../../shared/wiring/app-wiring';

describe('the project-funnel wiring', () => {
  it('delivers only events the function handles (anything else would fail and be dead-lettered)', () => {
    // Prepare
    const rules = EVENT_RULES.filter((rule) => rule.target === 'project-funnel');
    const handled = new Set(FUNNEL_PROJECTION_EVENTS.map((declaration) => `${declaration.source}|${declaration.detailType}`));

    // Act
    const delivered = rules.flatMap((rule) => {
      const pattern = rule.pattern as { source: string[]; 'detail-type': string[] };
      return pattern.source.flatMap((source) => pattern['detail-type'].map((type) => ({ source, type })));
    });

    // Assess: a pattern with several sources matches every pairing; a pairing no event has is harmless, a handled type is needed
    expect(rules.map((rule) => rule.name)).toEqual(['funnel-on-lead-created', 'funnel-on-stage-change', 'funnel-on-mail']);
    for (const { type } of delivered)
      expect(
        [...handled].some((entry) => entry.endsWith(`|${type}`)),
        type,
      ).toBe(true);
    expect(new Set(delivered.map(({ type }) => type))).toEqual(new Set(FUNNEL_PROJECTION_EVENTS.map((d) => d.detailType)));
    expect(FUNCTIONS['project-funnel'].bindings).toEqual(['table:read', 'table:write']);
  });
});
