import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

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

const metrics = new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'leadpipe', serviceName: METRICS_SERVICE_NAME });

export function countMetric(name: BusinessMetric, dimensions: Record<string, string> = {}, count = 1): void {
  if (count <= 0) return;
  const single = metrics.singleMetric();
  for (const [key, value] of Object.entries(dimensions)) single.addDimension(key, value);
  single.addMetric(name, MetricUnit.Count, count);
}
