import { parseFormBody } from '../capture/parse-form-body';
import { RECYCLE_REASONS, type RecycleReason, type SalesDecision } from '../domain/sales-decision';
import { InvalidTokenError, ValidationError } from '../http/http-errors';
import { salesDateTime } from './sales-time';

/** The words and small parsers of sales' decision pages; the handler only wires them to HTTP. */

export const REASON_LABELS: Record<'de' | 'en', Record<RecycleReason, string>> = {
  de: { not_a_fit: 'Passt nicht', bad_timing: 'Falscher Zeitpunkt', no_budget: 'Kein Budget', other: 'Sonstiges' },
  en: { not_a_fit: 'Not a fit', bad_timing: 'Bad timing', no_budget: 'No budget', other: 'Other' },
};

/** The same words as the buttons of the sales mail (content/emails/sales-notification): "Lead annehmen (SQL)", "Lead zurückstellen". */
export const DECISION_COPY = {
  de: {
    acceptTitle: 'Lead annehmen (SQL)',
    acceptAsk: (name: string) => `${name} als Sales Qualified Lead (SQL) annehmen?`,
    acceptButton: 'Lead annehmen (SQL)',
    recycleTitle: 'Lead zurückstellen',
    recycleAsk: (name: string) =>
      `${name} zurückstellen? Dann kümmert sich wieder das Marketing um den Lead. Bitte wählen Sie einen Grund.`,
    recycleButton: 'Lead zurückstellen',
    reason: 'Grund',
    chooseReason: 'Bitte wählen …',
    accepted: (by: string, at: string) => `Angenommen (SQL) von ${by} am ${at}.`,
    recycled: (by: string, at: string, reason: string) => `Zurückgestellt von ${by} am ${at} (${reason}).`,
    notQualified: 'Dieser Lead ist nicht mehr qualifiziert; es gibt nichts zu entscheiden.',
  },
  en: {
    acceptTitle: 'Accept lead (SQL)',
    acceptAsk: (name: string) => `Accept ${name} as a sales qualified lead (SQL)?`,
    acceptButton: 'Accept lead (SQL)',
    recycleTitle: 'Recycle lead',
    recycleAsk: (name: string) => `Recycle ${name}? Marketing then takes care of the lead again. Please choose a reason.`,
    recycleButton: 'Recycle lead',
    reason: 'Reason',
    chooseReason: 'Please choose …',
    accepted: (by: string, at: string) => `Accepted (SQL) by ${by} on ${at}.`,
    recycled: (by: string, at: string, reason: string) => `Recycled by ${by} on ${at} (${reason}).`,
    notQualified: 'This lead is no longer qualified; there is nothing to decide.',
  },
} as const;

/**
 * The recycle reasons as select options, led by an empty one: with the select `required`, the browser refuses to
 * post until a reason is chosen (none is preselected), and a post without one gets a 400 naming `reason`.
 */
export function reasonOptions(locale: 'de' | 'en'): { value: string; label: string }[] {
  return [
    { value: '', label: DECISION_COPY[locale].chooseReason },
    ...RECYCLE_REASONS.map((value) => ({ value, label: REASON_LABELS[locale][value] })),
  ];
}

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

/** What was decided, by whom and when: the time in sales' zone, as in the sales mail ("Di, 02.12.2026, 17:35"). */
export function describeDecision(decision: SalesDecision | null, locale: 'de' | 'en', timeZone: string): string {
  const copy = DECISION_COPY[locale];
  if (!decision) return copy.notQualified;
  const at = salesDateTime(decision.at, locale, timeZone);
  return decision.decision === 'accepted'
    ? copy.accepted(decision.by, at)
    : copy.recycled(decision.by, at, REASON_LABELS[locale][decision.reason ?? 'other']);
}
