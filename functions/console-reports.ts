import { readEnv } from '../shared/config/read-env';
import { FUNCTION_ENV } from '../shared/wiring/function-config';
import { requireConsoleAccess } from '../shared/console/console-access';
import { listCampaignRows } from '../shared/console/campaign-overview';
import { bodyFields } from '../shared/console/console-request';
import { listTemplates } from '../shared/console/email-previews';
import { funnelRange, lastDays } from '../shared/console/report-range';
import { nurtureSequences, parseRulesBody, previewRules, scoringRules } from '../shared/console/rules-and-sequences';
import { defaultScoringConfig } from '../shared/domain/classification';
import { defaultNurtureConfig } from '../shared/domain/nurture';
import { senderOf } from '../shared/email/email-templates';
import { NotFoundError } from '../shared/http/http-errors';
import { httpHandler, json } from '../shared/http/http-handler';
import { requestTime } from '../shared/http/request-info';
import { readEmailPerformance, readFunnel } from '../shared/reporting/funnel-read-model';
import { dynamoCampaignStore } from '../shared/storage/dynamo-campaign-store';
import { dynamoClassificationStore } from '../shared/storage/dynamo-classification-store';
import { dynamoConsoleStore } from '../shared/storage/dynamo-console-store';
import { dynamoFunnelProjectionStore } from '../shared/storage/dynamo-funnel-projection-store';

const config = readEnv(FUNCTION_ENV['console-reports']);
const projection = dynamoFunnelProjectionStore(config.TABLE_NAME);
const consoleStore = dynamoConsoleStore(config.TABLE_NAME);
const classificationStore = dynamoClassificationStore(config.TABLE_NAME);
const campaignStore = dynamoCampaignStore(config.TABLE_NAME);
const samples = { sender: senderOf(config), publicBaseUrl: config.PUBLIC_BASE_URL, nurture: defaultNurtureConfig };

/**
 * The console's read-only routes: who am I, the dashboard, the email gallery, the nurture tracks, the scoring rules
 * (with a dry run of changed rules) and the campaigns with their figures. Reads only; writes nothing.
 */
export const handler = httpHandler(async (event) => {
  const identity = requireConsoleAccess(event);
  const at = requestTime(event);
  switch (event.routeKey) {
    case 'GET /console/api/me':
      return json(200, { email: identity.email, groups: identity.groups });
    case 'GET /console/api/funnel': {
      const range = funnelRange(event.queryStringParameters, at);
      return json(200, { range, ...(await readFunnel(projection, range)) });
    }
    case 'GET /console/api/templates': {
      const range = lastDays(at);
      return json(200, { range, templates: await listTemplates(samples, await readEmailPerformance(projection, range)) });
    }
    case 'GET /console/api/sequences': {
      const range = lastDays(at);
      return json(200, { range, ...nurtureSequences(defaultNurtureConfig, await readEmailPerformance(projection, range)) });
    }
    case 'GET /console/api/campaigns':
      return json(200, await listCampaignRows(campaignStore));
    case 'GET /console/api/rules':
      return json(200, scoringRules(defaultScoringConfig));
    case 'POST /console/api/rules/preview': {
      const rules = parseRulesBody(bodyFields(event));
      const deps = {
        store: consoleStore,
        loadClassificationInput: classificationStore.loadClassificationInput,
        retentionDays: config.RETENTION_DAYS,
      };
      return json(200, await previewRules({ rules, at }, deps));
    }
    default:
      throw new NotFoundError();
  }
});
