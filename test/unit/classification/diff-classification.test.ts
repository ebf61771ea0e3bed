import { describe, expect, it } from 'vitest';
import type { Classification } from '../../../shared/domain/lead';
import { classifyLead, defaultScoringConfig, diffClassification } from '../../../shared/domain/classification';
import { NOW, aLead, anInteraction } from './fixtures';

type Stages = Pick<Classification, 'lifecycle' | 'qualification' | 'funnelStage' | 'pql'>;

function classification(stages: Stages): Classification {
  return { ...stages, fitScore: 0, engagementScore: 0, score: 0, scoreExplanation: [], interactionPoints: {} };
}

describe('diffClassification', () => {
  it('reports nothing when the stages are unchanged', () => {
    // Prepare
    const before: Stages = { lifecycle: 'warm', qualification: 'unqualified', funnelStage: 'tofu', pql: false };

    // Act
    const diff = diffClassification(before, classification(before));

    // Assess
    expect(diff).toEqual({ changes: [], becameMql: false, becamePql: false });
  });

  it('lists each changed field with from and to, including null funnel stages', () => {
    // Prepare
    const before: Stages = { lifecycle: 'cold', qualification: 'unqualified', funnelStage: null, pql: false };
    const after = classification({ lifecycle: 'warm', qualification: 'qualified', funnelStage: 'mofu', pql: false });

    // Act
    const diff = diffClassification(before, after);

    // Assess
    expect(diff.changes).toEqual([
      { field: 'lifecycle', from: 'cold', to: 'warm' },
      { field: 'qualification', from: 'unqualified', to: 'qualified' },
      { field: 'funnelStage', from: null, to: 'mofu' },
    ]);
    expect(diff.becameMql).toBe(false);
  });

  it('flags a lead that became an MQL', () => {
    // Prepare
    const before: Stages = { lifecycle: 'warm', qualification: 'unqualified', funnelStage: 'tofu', pql: false };
    const after = classifyLead({
      lead: aLead({ lifecycle: 'warm' }),
      interactions: [anInteraction('contact')],
      config: defaultScoringConfig,
      now: NOW,
    });

    // Act
    const diff = diffClassification(before, after);

    // Assess
    expect(diff.becameMql).toBe(true);
    expect(diff.changes).toContainEqual({ field: 'lifecycle', from: 'warm', to: 'mql' });
  });

  it.each(['mql', 'sql'] as const)('does not flag a lead that already was %s', (lifecycle) => {
    // Prepare
    const before: Stages = { lifecycle, qualification: 'qualified', funnelStage: 'bofu', pql: false };
    const after = classification({ lifecycle: 'mql', qualification: 'qualified', funnelStage: 'bofu', pql: false });

    // Act
    const diff = diffClassification(before, after);

    // Assess
    expect(diff.becameMql).toBe(false);
  });

  it('flags a lead that became a PQL, and only then', () => {
    // Prepare
    const stages: Stages = { lifecycle: 'warm', qualification: 'unqualified', funnelStage: 'bofu', pql: false };
    const pqlAfter = classification({ ...stages, pql: true });

    // Act
    const became = diffClassification(stages, pqlAfter);
    const already = diffClassification({ ...stages, pql: true }, pqlAfter);

    // Assess
    expect(became.becamePql).toBe(true);
    expect(became.changes).toEqual([]);
    expect(already.becamePql).toBe(false);
  });
});
