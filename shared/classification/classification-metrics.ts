import { countMetric } from '../observability/metrics';
import type { ReclassifyOutcome } from './reclassify-lead';

export function recordClassificationMetrics(outcome: ReclassifyOutcome): void {
  if (outcome.kind !== 'updated') return;
  countMetric('StageChanged', {}, outcome.changes);
  if (outcome.becameMql) countMetric('LeadQualified');
  if (outcome.becamePql) countMetric('LeadProductQualified');
}
