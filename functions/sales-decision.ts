import { readEnv } from '../shared/config/read-env';
import { FUNCTION_ENV } from '../shared/wiring/function-config';
import { defaultScoringConfig } from '../shared/domain/classification';
import { defaultNurtureConfig } from '../shared/domain/nurture';
import { defaultBookingConfig } from '../shared/domain/booking/booking-config';
import { html, httpHandler, type HttpEvent } from '../shared/http/http-handler';
import { InvalidTokenError, salesLinkProblemPage } from '../shared/http/http-errors';
import { renderActionPage, renderMessagePage } from '../shared/http/html-pages';
import { header, prefersHtml } from '../shared/http/request-info';
import { selfUrl, verifiedLink } from '../shared/http/token-page';
import { loadAppSecrets } from '../shared/security/app-secrets';
import { logger } from '../shared/observability/logger';
import { countMetric } from '../shared/observability/metrics';
import { decisionStatus, recordSalesDecision } from '../shared/sales/record-sales-decision';
import { decisionLink, DECISION_COPY, describeDecision, reasonOptions, recycleReason } from '../shared/sales/decision-pages';
import { dynamoClassificationStore } from '../shared/storage/dynamo-classification-store';
import { dynamoSalesStore } from '../shared/storage/dynamo-sales-store';
import { reclassifyLead } from '../shared/classification/reclassify-lead';

const config = readEnv(FUNCTION_ENV['sales-decision']);
// Decision times on the same clock as the sales mail and the expert call (Europe/Berlin).
const timeZone = defaultBookingConfig.timeZone;

const store = dynamoSalesStore(config.TABLE_NAME);
const classificationStore = dynamoClassificationStore(config.TABLE_NAME);
const classifyDeps = { store: classificationStore, retentionDays: config.RETENTION_DAYS };
const decisionDeps = {
  store,
  scoring: defaultScoringConfig,
  nurture: defaultNurtureConfig,
  // A recycle resets engagement: classification recomputes score and qualification right after it.
  reclassify: (leadId: string, at: string) => reclassifyLead(classifyDeps, leadId, at, defaultScoringConfig),
};

/**
 * Sales' one-click decision links from the notification. GET shows the decision button (and, for
 * recycle, the reason); POST decides. A link used twice, or after another decision, shows what was decided.
 */
export const handler = httpHandler(async (event) => {
  try {
    return await decide(event);
  } catch (error) {
    // A broken or expired decision link: sales cannot renew it, so the page (in sales' language) says to ask marketing.
    if (!(error instanceof InvalidTokenError && prefersHtml(event))) throw error;
    const text = salesLinkProblemPage(error.reason)[config.SALES_LOCALE];
    return html(400, renderMessagePage({ locale: config.SALES_LOCALE, title: text.title, message: text.message, status: 400 }));
  }
});

async function decide(event: HttpEvent) {
  const decision = event.rawPath === '/sales/accept' ? 'accepted' : 'recycled';
  const purpose = decision === 'accepted' ? 'sales-accept' : 'sales-recycle';
  const { token, at, isGet } = await verifiedLink(event, purpose, () => loadAppSecrets(process.env));
  const link = decisionLink(token.data);
  const locale = config.SALES_LOCALE;
  const copy = DECISION_COPY[locale];
  const by = token.data?.by ?? 'sales';

  if (isGet) {
    const status = await decisionStatus(token.leadId, link, { store });
    if (status.state !== 'open')
      return html(
        200,
        renderMessagePage({
          locale,
          title: decision === 'accepted' ? copy.acceptTitle : copy.recycleTitle,
          message: describeDecision(status.decision, locale, timeZone),
          status: 'info',
        }),
      );
    const name = [status.lead.firstName, status.lead.lastName].filter(Boolean).join(' ') || status.lead.email;
    return html(
      200,
      decision === 'accepted'
        ? renderActionPage({
            locale,
            title: copy.acceptTitle,
            message: copy.acceptAsk(name),
            actionUrl: selfUrl(config.PUBLIC_BASE_URL, event),
            buttonLabel: copy.acceptButton,
          })
        : renderActionPage({
            locale,
            title: copy.recycleTitle,
            message: copy.recycleAsk(name),
            actionUrl: selfUrl(config.PUBLIC_BASE_URL, event),
            buttonLabel: copy.recycleButton,
            extraFields: [
              {
                name: 'reason',
                label: copy.reason,
                options: reasonOptions(locale),
              },
            ],
          }),
    );
  }

  const reason = decision === 'recycled' ? recycleReason(event.body, event.isBase64Encoded, header(event, 'content-type')) : undefined;
  const outcome = await recordSalesDecision({ leadId: token.leadId, link, decision, reason, by, at }, decisionDeps);
  if (outcome.applied) countMetric(decision === 'accepted' ? 'LeadAccepted' : 'LeadRecycled');
  logger.info('sales decision', { leadId: token.leadId, decision, applied: outcome.applied });
  const title = decision === 'accepted' ? copy.acceptTitle : copy.recycleTitle;
  return html(
    200,
    renderMessagePage({
      locale,
      title,
      message: describeDecision(outcome.decision, locale, timeZone),
      status: outcome.applied ? 'success' : 'info',
    }),
  );
}
