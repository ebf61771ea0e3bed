import { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * X-Ray tracing. CDK turns active tracing on for every function; the tracer then records a subsegment
 * per AWS SDK call of every client passed through `traced` and one per handler invocation (the
 * wrappers' captureLambdaHandler). Outside Lambda (AWS_EXECUTION_ENV unset: the local stack, tests,
 * the CLI) it disables itself, so the same code runs everywhere without a daemon.
 */
export const tracer = new Tracer({ serviceName: 'leadpipe' });

/** Instruments an AWS SDK v3 client once, where it is created. */
export function traced<C>(client: C): C {
  return tracer.captureAWSv3Client(client);
}
