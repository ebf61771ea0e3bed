import { parseFormBody } from '../capture/parse-form-body';
import { RECYCLE_REASONS, type RecycleReason, type SalesDecision } from '../domain/sales-decision';
import { InvalidTokenError, ValidationError } from '../http/http-errors';

/** The words and small parsers of sales' decision pages; the handler only wires them to HTTP. */

export const REASON_LABELS: Record<'de' | 'en', Record<RecycleReason, string>> = {
  de: { not_a_fit: 'Passt nicht', bad_timing: 'Falscher Zeitpunkt', no_budget: 'Kein Budget', other: 'Sonstiges' },
  en: { not_a_fit: 'Not a fit', bad_timing: 'Bad timing', no_budget: 'No budget', other: 'Other' },
};

export const DECISION_COPY = {
  de: {
    acceptTitle: 'Lead annehmen (SQL)',
    acceptAsk: (name: string) => `${name} als Sales Qualified Lead annehmen?`,
    acceptButton: 'Annehmen (SQL)',
    recycleTitle: 'Jetzt nicht (zurück ins Nurturing)',
    recycleAsk: (name: string) => `${name} zurück ins Nurturing geben? Bitte wählen Sie einen Grund.`,
    recycleButton: 'Zurück ins Nurturing',
    reason: 'Grund',
    accepted: (by: string, at: string) => `Angenommen (SQL) von ${by} am ${at}.`,
    recycled: (by: string, at: string, reason: string) => `Zurück ins Nurturing gegeben von ${by} am ${at} (${reason}).`,
    notQualified: 'Dieser Lead ist nicht mehr qualifiziert; es gibt nichts zu entscheiden.',
  },
  en: {
    acceptTitle: 'Accept lead (SQL)',
    acceptAsk: (name: string) => `Accept ${name} as a sales qualified lead?`,
    acceptButton: 'Accept (SQL)',
    recycleTitle: 'Not now (recycle to nurture)',
    recycleAsk: (name: string) => `Send ${name} back to nurture? Please choose a reason.`,
    recycleButton: 'Recycle to nurture',
    reason: 'Reason',
    accepted: (by: string, at: string) => `Accepted (SQL) by ${by} on ${at}.`,
    recycled: (by: string, at: string, reason: string) => `Recycled to nurture by ${by} on ${at} (${reason}).`,
    notQualified: 'This lead is no longer qualified; there is nothing to decide.',
  },
} as const;

export function decisionLink(data: Record<string, string> | undefined): { kind: 'MQL' | 'PQL'; seq: number } {
  const seq = Number(data?.seq);
  const kind = data?.kind;
  if (!Number.isInteger(seq) || (kind !== 'MQL' && kind !== 'PQL')) throw new InvalidTokenError('malformed');
  return { kind, seq };
}

export function recycleReason(body: string | undefined, isBase64Encoded: boolean, contentType: string | undefined): RecycleReason {
  const fields = body
    ? parseFormBody({ contentType: contentType ?? 'application/x-www-form-urlencoded', body, isBase64Encoded }).fields
    : {};
  const reason = fields.reason;
  if (typeof reason !== 'string' || !(RECYCLE_REASONS as readonly string[]).includes(reason)) {
    throw new ValidationError({ reason: `must be one of ${RECYCLE_REASONS.join(', ')}` });
  }
  return reason as RecycleReason;
}

export function describeDecision(decision: SalesDecision | null, locale: 'de' | 'en'): string {
  const copy = DECISION_COPY[locale];
  if (!decision) return copy.notQualified;
  return decision.decision === 'accepted'
    ? copy.accepted(decision.by, decision.at)
    : copy.recycled(decision.by, decision.at, REASON_LABELS[locale][decision.reason ?? 'other']);
}
