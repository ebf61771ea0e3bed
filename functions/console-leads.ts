import { readEnv } from '../shared/config/read-env';
import { FUNCTION_ENV } from '../shared/wiring/function-config';
import { reclassifyLead } from '../shared/classification/reclassify-lead';
import { requireConsoleAccess } from '../shared/console/console-access';
import { decideFromConsole, parseDecisionBody } from '../shared/console/console-decision';
import { bodyFields, leadInPath } from '../shared/console/console-request';
import { leadDetail, leadExport, type LeadRecords } from '../shared/console/lead-detail';
import { listLeads, parseLeadListQuery } from '../shared/console/lead-list';
import { defaultScoringConfig } from '../shared/domain/classification';
import { defaultNurtureConfig } from '../shared/domain/nurture';
import { NotFoundError } from '../shared/http/http-errors';
import { httpHandler, json } from '../shared/http/http-handler';
import { requestTime } from '../shared/http/request-info';
import { logger } from '../shared/observability/logger';
import { countMetric } from '../shared/observability/metrics';
import { loadAppSecrets, tokenVerificationKeys } from '../shared/security/app-secrets';
import { dynamoClassificationStore } from '../shared/storage/dynamo-classification-store';
import { dynamoConsoleStore } from '../shared/storage/dynamo-console-store';
import { dynamoSalesStore } from '../shared/storage/dynamo-sales-store';
import { eraseLead, getSuppression, readStoredLeadData } from '../shared/storage/erase-lead';
import { loadLeadPartition } from '../shared/storage/lead-partition';
import { getLead } from '../shared/storage/lead-store';

const config = readEnv(FUNCTION_ENV['console-leads']);
const table = config.TABLE_NAME;
const consoleStore = dynamoConsoleStore(table);
const records: LeadRecords = {
  loadPartition: (leadId) => loadLeadPartition(table, leadId),
  readStoredLeadData: (leadId) => readStoredLeadData(table, leadId),
  getSuppression: (leadId) => getSuppression(table, leadId),
};
const classifyDeps = { store: dynamoClassificationStore(table), retentionDays: config.RETENTION_DAYS };
// The same decision dependencies as the signed sales links (functions/sales-decision.ts).
const decisionDeps = {
  store: dynamoSalesStore(table),
  scoring: defaultScoringConfig,
  nurture: defaultNurtureConfig,
  reclassify: (leadId: string, at: string) => reclassifyLead(classifyDeps, leadId, at, defaultScoringConfig),
};

/**
 * The console's lead routes: the list, a lead's page, sales' decision, the GDPR export and erasure. Each request
 * is checked against the console permission table first (shared/console/console-access.ts).
 */
export const handler = httpHandler(async (event) => {
  const identity = requireConsoleAccess(event);
  const at = requestTime(event);
  const secrets = await loadAppSecrets(process.env);
  switch (event.routeKey) {
    case 'GET /console/api/leads': {
      const request = parseLeadListQuery(event.queryStringParameters);
      const deps = { store: consoleStore, leadIdKey: secrets.leadIdKey, cursorKeys: tokenVerificationKeys(secrets), at };
      return json(200, await listLeads(request, deps));
    }
    case 'GET /console/api/leads/{email}':
      return json(200, await leadDetail({ ...leadInPath(event, secrets.leadIdKey), at }, records));
    case 'GET /console/api/leads/{email}/export':
      return json(200, await leadExport({ ...leadInPath(event, secrets.leadIdKey), at }, records));
    case 'POST /console/api/leads/{email}/decision': {
      const lead = leadInPath(event, secrets.leadIdKey);
      const request = parseDecisionBody(bodyFields(event));
      const result = await decideFromConsole({ ...request, leadId: lead.leadId, by: identity.email, at }, decisionDeps);
      countMetric(request.decision === 'accepted' ? 'LeadAccepted' : 'LeadRecycled');
      logger.info('sales decision', { leadId: lead.leadId, decision: request.decision, via: 'console' });
      return json(200, { email: lead.email, ...result });
    }
    case 'DELETE /console/api/leads/{email}': {
      const lead = leadInPath(event, secrets.leadIdKey);
      // The console erases leads it shows; an address with nothing stored is the CLI's case (`lead erase` suppresses it anyway).
      if (!(await getLead(table, lead.leadId))) throw new NotFoundError('No lead with this email');
      const result = await eraseLead(table, lead.leadId, at);
      logger.info('lead erased', { leadId: lead.leadId, via: 'console' });
      return json(200, { email: lead.email, erasedAt: result.erasedAt, deleted: result.deleted });
    }
    default:
      throw new NotFoundError();
  }
});
