import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logger } from './logger';

/**
 * Business metrics for the dashboard, written as CloudWatch EMF log lines (no API call on the
 * request path). The metric names are the ones the observability construct charts.
 */
export const BUSINESS_METRICS = [
  'FormSubmitted',
  'StageChanged',
  'LeadQualified',
  'LeadProductQualified',
  'NurtureEmailSent',
  'LeadAccepted',
  'LeadRecycled',
  'LeadSuppressed',
  // SES refused a send for a reason of the account or its configuration (sandbox, paused, missing set): alarmed
  'EmailSetupError',
] as const;
export type BusinessMetric = (typeof BUSINESS_METRICS)[number];

/** Powertools adds it as the `service` dimension of every metric; alarms name it (infra/constructs/observability.ts). */
export const METRICS_SERVICE_NAME = 'leadpipe';

const NO_METRICS_WARNING = 'No application metrics to publish';

/**
 * One instance per container. The wrappers' logMetrics adds the ColdStart metric and flushes what an
 * invocation stored; business metrics are written at once (countMetric), so it stores none, and
 * Powertools would log a warning for each invocation: that one warning is dropped.
 */
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'leadpipe',
  serviceName: METRICS_SERVICE_NAME,
  logger: {
    debug: (...args: unknown[]) => logger.debug(String(args[0]), { details: args.slice(1) }),
    info: (...args: unknown[]) => logger.info(String(args[0]), { details: args.slice(1) }),
    error: (...args: unknown[]) => logger.error(String(args[0]), { details: args.slice(1) }),
    warn: (...args: unknown[]) => {
      if (!String(args[0]).startsWith(NO_METRICS_WARNING)) logger.warn(String(args[0]), { details: args.slice(1) });
    },
  },
});

/**
 * Counts a business metric, written at once as its own EMF line: a metric counted by a use case run
 * outside a wrapped handler (the CLI, a test) is not lost waiting for a flush, and the dimensions of
 * one metric (form, reason) never spread to another.
 */
export function countMetric(name: BusinessMetric, dimensions: Record<string, string> = {}, count = 1): void {
  if (count <= 0) return;
  const single = metrics.singleMetric();
  for (const [key, value] of Object.entries(dimensions)) single.addDimension(key, value);
  single.addMetric(name, MetricUnit.Count, count);
}
