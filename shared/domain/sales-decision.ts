import type { Lifecycle } from './lead';

export const RECYCLE_REASONS = ['not_a_fit', 'bad_timing', 'no_budget', 'other'] as const;
export type RecycleReason = (typeof RECYCLE_REASONS)[number];

export interface SalesDecision {
  decision: 'accepted' | 'recycled';
  reason?: RecycleReason;
  at: string;
  by: string;
  /** which qualification the decision answered: MQL or PQL, and its sequence number */
  kind: 'MQL' | 'PQL';
  seq: number;
}

export interface DecisionLink {
  kind: 'MQL' | 'PQL';
  seq: number;
}

/**
 * Whether a sales decision link may still act. A link answers one qualification: once any decision
 * has answered that qualification or a later one, or the lead has moved past it, the link only shows
 * what was decided.
 */
export function decisionLinkState(
  lead: { lifecycle: Lifecycle; pql?: boolean; qualificationSeq?: number; salesDecision?: SalesDecision | null },
  link: DecisionLink,
): 'open' | 'decided' | 'not-qualified' {
  const previous = lead.salesDecision;
  if (previous && (previous.seq > link.seq || (previous.seq === link.seq && (previous.kind === link.kind || lead.lifecycle === 'sql'))))
    return 'decided';
  if (lead.lifecycle === 'sql') return 'decided';
  if (link.kind === 'MQL') return lead.lifecycle === 'mql' && (lead.qualificationSeq ?? 0) === link.seq ? 'open' : 'not-qualified';
  return lead.pql ? 'open' : 'not-qualified';
}
