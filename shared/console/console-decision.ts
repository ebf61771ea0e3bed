import { RECYCLE_REASONS, type RecycleReason, type SalesDecision } from '../domain/sales-decision';
import { HttpError, NotFoundError, ValidationError } from '../http/http-errors';
import { recordSalesDecision, type DecisionDeps } from '../sales/record-sales-decision';

/**
 * A sales decision from the console (POST /console/api/leads/{email}/decision): the same use case as the signed links
 * of the sales mail (record-sales-decision.ts), answering the lead's current MQL qualification, decided by the
 * signed-in user.
 */

export interface ConsoleDecisionRequest {
  decision: 'accepted' | 'recycled';
  reason?: RecycleReason;
}

/** The lead is not an MQL awaiting a decision (decided already, or never qualified). */
export class DecisionConflictError extends HttpError {
  constructor(message: string) {
    super(409, 'conflict', message);
  }
}

/** The body `{"decision": "accept"|"recycle", "reason"?}`: a recycle needs a reason, as on the sales link's page; an accept takes none. */
export function parseDecisionBody(fields: Record<string, unknown>): ConsoleDecisionRequest {
  const { decision, reason } = fields;
  if (decision !== 'accept' && decision !== 'recycle') throw new ValidationError({ decision: 'must be "accept" or "recycle"' });
  if (decision === 'accept') {
    if (reason !== undefined && reason !== null && reason !== '') throw new ValidationError({ reason: 'only a recycle takes a reason' });
    return { decision: 'accepted' };
  }
  if (typeof reason !== 'string' || !(RECYCLE_REASONS as readonly string[]).includes(reason)) {
    throw new ValidationError({ reason: `must be one of ${RECYCLE_REASONS.join(', ')}` });
  }
  return { decision: 'recycled', reason: reason as RecycleReason };
}

export async function decideFromConsole(
  input: ConsoleDecisionRequest & { leadId: string; by: string; at: string },
  deps: DecisionDeps,
): Promise<{ lifecycle: 'sql' | 'warm'; decision: SalesDecision }> {
  const lead = await deps.store.getLead(input.leadId);
  if (!lead) throw new NotFoundError('No lead with this email');
  if (lead.lifecycle !== 'mql') throw new DecisionConflictError(`Not an undecided MQL: the lead is ${lead.lifecycle}`);
  // The console answers the lead's latest MQL qualification, as that qualification's sales mail links do.
  const link = { kind: 'MQL', seq: lead.qualificationSeq ?? 0 } as const;
  const outcome = await recordSalesDecision(
    { leadId: input.leadId, link, decision: input.decision, ...(input.reason ? { reason: input.reason } : {}), by: input.by, at: input.at },
    deps,
  );
  if (outcome.applied) return { lifecycle: outcome.decision.decision === 'accepted' ? 'sql' : 'warm', decision: outcome.decision };
  if (outcome.state === 'no-lead') throw new NotFoundError('No lead with this email');
  throw new DecisionConflictError(
    outcome.decision
      ? `Already decided: ${outcome.decision.decision} by ${outcome.decision.by} at ${outcome.decision.at}`
      : 'Not an undecided MQL any more',
  );
}
