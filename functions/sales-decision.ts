import { z } from 'zod';
import { parseFormBody } from '../shared/capture/parse-form-body';
import { absoluteUrl, nonEmpty, readEnv } from '../shared/config/read-env';
import { defaultScoringConfig } from '../shared/domain/classification';
import { defaultNurtureConfig } from '../shared/domain/nurture';
import { RECYCLE_REASONS, type RecycleReason, type SalesDecision } from '../shared/domain/sales-decision';
import { html, httpHandler } from '../shared/http/http-handler';
import { renderActionPage, renderMessagePage } from '../shared/http/html-pages';
import { InvalidTokenError, ValidationError } from '../shared/http/http-errors';
import { header, requestTime } from '../shared/http/request-info';
import { selfUrl, tokenFrom } from '../shared/http/token-page';
import { logger } from '../shared/observability/logger';
import { countMetric } from '../shared/observability/metrics';
import { loadAppSecrets } from '../shared/security/app-secrets';
import { verifyToken } from '../shared/security/signed-token';
import { decisionStatus, recordSalesDecision } from '../shared/sales/record-sales-decision';

const config = readEnv({ TABLE_NAME: nonEmpty(), PUBLIC_BASE_URL: absoluteUrl(), SALES_LOCALE: z.enum(['de', 'en']).default('de') });

const REASON_LABELS: Record<'de' | 'en', Record<RecycleReason, string>> = {
  de: { not_a_fit: 'Passt nicht', bad_timing: 'Falscher Zeitpunkt', no_budget: 'Kein Budget', other: 'Sonstiges' },
  en: { not_a_fit: 'Not a fit', bad_timing: 'Bad timing', no_budget: 'No budget', other: 'Other' },
};

const COPY = {
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

/**
 * Sales' one-click decision links from the notification. GET shows the decision button (and, for
 * recycle, the reason); POST decides. A link used twice, or after another decision, shows what was decided.
 */
export const handler = httpHandler(async (event) => {
  const at = requestTime(event);
  const decision = event.rawPath === '/sales/accept' ? 'accepted' : 'recycled';
  const { signingKey } = await loadAppSecrets();
  const token = verifyToken(tokenFrom(event), { purpose: decision === 'accepted' ? 'sales-accept' : 'sales-recycle', now: at }, signingKey);
  const link = decisionLink(token.data);
  const locale = config.SALES_LOCALE;
  const copy = COPY[locale];
  const by = token.data?.by ?? 'sales';

  if (event.requestContext.http.method === 'GET') {
    const status = await decisionStatus(config.TABLE_NAME, token.leadId, link);
    if (status.state !== 'open') return html(200, renderMessagePage({ locale, title: decision === 'accepted' ? copy.acceptTitle : copy.recycleTitle, message: describe(status.decision, status.state, locale), status: 'info' }));
    const name = [status.lead.firstName, status.lead.lastName].filter(Boolean).join(' ') || status.lead.email;
    return html(
      200,
      decision === 'accepted'
        ? renderActionPage({ locale, title: copy.acceptTitle, message: copy.acceptAsk(name), actionUrl: selfUrl(config.PUBLIC_BASE_URL, event), buttonLabel: copy.acceptButton })
        : renderActionPage({
            locale,
            title: copy.recycleTitle,
            message: copy.recycleAsk(name),
            actionUrl: selfUrl(config.PUBLIC_BASE_URL, event),
            buttonLabel: copy.recycleButton,
            extraFields: [{ name: 'reason', label: copy.reason, options: RECYCLE_REASONS.map((value) => ({ value, label: REASON_LABELS[locale][value] })) }],
          }),
    );
  }

  const reason = decision === 'recycled' ? recycleReason(event.body, event.isBase64Encoded, header(event, 'content-type')) : undefined;
  const outcome = await recordSalesDecision(config.TABLE_NAME, { leadId: token.leadId, link, decision, reason, by, at }, { scoring: defaultScoringConfig, nurture: defaultNurtureConfig });
  if (outcome.applied) countMetric(decision === 'accepted' ? 'LeadAccepted' : 'LeadRecycled');
  logger.info('sales decision', { leadId: token.leadId, decision, applied: outcome.applied });
  const title = decision === 'accepted' ? copy.acceptTitle : copy.recycleTitle;
  return html(200, renderMessagePage({ locale, title, message: describe(outcome.decision, outcome.applied ? 'decided' : outcome.state, locale), status: outcome.applied ? 'success' : 'info' }));
});

function decisionLink(data: Record<string, string> | undefined): { kind: 'MQL' | 'PQL'; seq: number } {
  const seq = Number(data?.seq);
  const kind = data?.kind;
  if (!Number.isInteger(seq) || (kind !== 'MQL' && kind !== 'PQL')) throw new InvalidTokenError('malformed');
  return { kind, seq };
}

function recycleReason(body: string | undefined, isBase64Encoded: boolean, contentType: string | undefined): RecycleReason {
  const fields = body ? parseFormBody({ contentType: contentType ?? 'application/x-www-form-urlencoded', body, isBase64Encoded }).fields : {};
  const reason = fields.reason;
  if (typeof reason !== 'string' || !(RECYCLE_REASONS as readonly string[]).includes(reason)) {
    throw new ValidationError({ reason: `must be one of ${RECYCLE_REASONS.join(', ')}` });
  }
  return reason as RecycleReason;
}

function describe(decision: SalesDecision | null, state: string, locale: 'de' | 'en'): string {
  const copy = COPY[locale];
  if (!decision) return copy.notQualified;
  return decision.decision === 'accepted' ? copy.accepted(decision.by, decision.at) : copy.recycled(decision.by, decision.at, REASON_LABELS[locale][decision.reason ?? 'other']);
}
