import middy from '@middy/core';
import type { EventBridgeEvent } from 'aws-lambda';
import { readEnv } from '../shared/config/read-env';
import { FUNCTION_ENV } from '../shared/wiring/function-config';
import { declarationOf, parseDetail } from '../shared/events/define-event';
import { SES_FEEDBACK_EVENTS, SesEmailBounced, SesEmailClicked, SesEmailComplaint } from '../shared/events/ses-events';
import { handleSesFeedback, type SesFeedback } from '../shared/feedback/handle-ses-feedback';
import { logger } from '../shared/observability/logger';
import { countMetric } from '../shared/observability/metrics';
import { dynamoFeedbackStore } from '../shared/storage/dynamo-feedback-store';

const config = readEnv(FUNCTION_ENV['ses-feedback']);

const store = dynamoFeedbackStore(config.TABLE_NAME);

/** SES bounces, complaints, clicks and opens, forwarded from the default bus. */
export const handler = middy<EventBridgeEvent<string, unknown>, unknown>().handler(async (event) => {
  const declaration = declarationOf(SES_FEEDBACK_EVENTS, event);
  if (!declaration) {
    logger.warn('ignored SES event', { detailType: event['detail-type'] });
    return { outcome: 'ignored' };
  }
  const detail = parseDetail(declaration, event);
  const kind =
    declaration === SesEmailBounced
      ? 'bounce'
      : declaration === SesEmailComplaint
        ? 'complaint'
        : declaration === SesEmailClicked
          ? 'click'
          : 'open';
  const outcome = await handleSesFeedback({ kind, detail } as SesFeedback, new Date(event.time).toISOString(), { store });
  if (outcome === 'suppressed') countMetric('LeadSuppressed', { reason: kind });
  logger.info('ses feedback', { kind, outcome, leadId: (detail as { mail: { tags?: Record<string, string[]> } }).mail.tags?.leadId?.[0] });
  return { outcome };
});
