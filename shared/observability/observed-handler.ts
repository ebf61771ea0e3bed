import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { logger } from './logger';
import { metrics } from './metrics';
import { tracer } from './tracer';

/**
 * The middy chain every handler starts from (httpHandler, eventHandler, and the stream and schedule
 * handlers): a trace segment per invocation, the request id and cold-start flag on every log line
 * (keys reset between invocations, so nothing leaks from one request to the next), and the
 * invocation's metrics flushed at its end together with a ColdStart metric.
 */
export function observedHandler<TEvent, TResult>() {
  return middy<TEvent, TResult>()
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }));
}
