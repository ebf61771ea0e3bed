import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import { absoluteUrl, nonEmpty, readEnv } from '../shared/config/read-env';
import { defaultScoringConfig } from '../shared/domain/classification';
import { defaultNurtureConfig } from '../shared/domain/nurture';
import { dispatchNurture } from '../shared/nurture/dispatch-nurture';
import { logger } from '../shared/observability/logger';
import { countMetric } from '../shared/observability/metrics';
import { loadAppSecrets } from '../shared/security/app-secrets';
import { z } from 'zod';

const config = readEnv({
  TABLE_NAME: nonEmpty(),
  PUBLIC_BASE_URL: absoluteUrl(),
  IMPRINT: nonEmpty(),
  BOOKING_URL: z.string().optional(),
});

/** The scheduled nurture run; "now" is the schedule event's own time. */
export const handler = middy<ScheduledEvent, unknown>().handler(async (event) => {
  const { signingKey } = await loadAppSecrets();
  const report = await dispatchNurture(new Date(event.time).toISOString(), {
    tableName: config.TABLE_NAME,
    signingKey,
    publicBaseUrl: config.PUBLIC_BASE_URL,
    imprint: config.IMPRINT,
    bookingUrl: config.BOOKING_URL ?? `${config.PUBLIC_BASE_URL}/?book=expert-call`,
    scoring: defaultScoringConfig,
    nurture: defaultNurtureConfig,
  });
  countMetric('NurtureEmailSent', {}, report.outcomes.sent);
  logger.info('nurture run', { ...report });
  return report;
});
