import { readEnv } from '../shared/config/read-env';
import { eventHandler } from '../shared/events/event-handler';
import { SES_FEEDBACK_EVENTS } from '../shared/events/ses-events';
import { handleSesFeedback, type SesFeedback } from '../shared/feedback/handle-ses-feedback';
import { logger } from '../shared/observability/logger';
import { countMetric } from '../shared/observability/metrics';
import { dynamoCampaignStore } from '../shared/storage/dynamo-campaign-store';
import { dynamoFeedbackStore } from '../shared/storage/dynamo-feedback-store';
import { FUNCTION_ENV } from '../shared/wiring/function-config';

const config = readEnv(FUNCTION_ENV['ses-feedback']);

const store = dynamoFeedbackStore(config.TABLE_NAME);
const campaigns = dynamoCampaignStore(config.TABLE_NAME);

/** SES bounces, complaints, clicks and opens, forwarded from the default bus. */
export const handler = eventHandler(
  SES_FEEDBACK_EVENTS,
  async (event) => {
    const feedback: SesFeedback =
      event.detailType === 'Email Bounced'
        ? { kind: 'bounce', detail: event.detail }
        : event.detailType === 'Email Complaint Received'
          ? { kind: 'complaint', detail: event.detail }
          : event.detailType === 'Email Clicked'
            ? { kind: 'click', detail: event.detail }
            : event.detailType === 'Email Opened'
              ? { kind: 'open', detail: event.detail }
              : { kind: 'delivery', detail: event.detail };
    const outcome = await handleSesFeedback(feedback, event.time, { store, campaigns });
    if (outcome === 'suppressed') countMetric('LeadSuppressed', { reason: feedback.kind });
    logger.info('ses feedback', { kind: feedback.kind, outcome, leadId: event.detail.mail.tags?.leadId?.[0] });
    return { outcome };
  },
  {
    // The forward rule sends every SES event of the lead-mail configuration set; deliveries and the like score nothing.
    onUnknown: (event) => {
      logger.warn('ignored SES event', { detailType: event['detail-type'] });
      return { outcome: 'ignored' as const };
    },
  },
);
