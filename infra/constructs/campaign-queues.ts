import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { FunctionName, QueueDeclaration, QueueName } from '../../shared/wiring/app-wiring';
import { acknowledge } from '../nag';
import { pascalCase } from '../naming';
import type { DeadLetterQueue } from './event-routing';

/** How old the oldest message of a work queue may get before the alarm: sends run for hours at a new account's rate. */
export const OLDEST_MESSAGE_AGE_THRESHOLDS: Readonly<Record<QueueName, Duration>> = {
  // a plan page takes a second; its queue only ever holds the next page of each shard
  'campaign-plan': Duration.minutes(30),
  // 100,000 recipients at 14 mails/s × 0.8 take 2.5 h; twice that means the sender is stuck or throttled for good
  'campaign-sends': Duration.hours(6),
};

export interface WorkQueue {
  name: QueueName;
  declaration: QueueDeclaration;
  queue: Queue;
  deadLetterQueue: Queue;
}

/**
 * The work queues of QUEUES (the campaign engine): each an encrypted, TLS-only SQS queue with its own dead-letter
 * queue (redrive after maxReceiveCount), drained by its consumer through an event source mapping with
 * ReportBatchItemFailures and MaximumConcurrency. Created before the functions (the 'queue:send:*' bindings need
 * them); `connect` adds the mappings once the functions exist.
 */
export class CampaignQueues extends Construct {
  readonly queues: Readonly<Record<QueueName, Queue>>;
  readonly workQueues: readonly WorkQueue[];

  constructor(scope: Construct, id: string, props: { declarations: readonly QueueDeclaration[] }) {
    super(scope, id);
    this.workQueues = props.declarations.map((declaration) => {
      const name = pascalCase(declaration.name);
      const deadLetterQueue = new Queue(this, `${name}Dlq`, {
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        // the maximum: time to notice the alarm, fix the cause and redrive
        retentionPeriod: Duration.days(14),
      });
      acknowledge(
        deadLetterQueue,
        'AwsSolutions-SQS3',
        `This queue is itself the dead-letter queue of ${declaration.name}; a DLQ of a DLQ would only move the problem.`,
      );
      const queue = new Queue(this, name, {
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        visibilityTimeout: Duration.seconds(declaration.visibilityTimeoutSeconds),
        // the maximum: a campaign held up by SES (a paused account, the sandbox) waits for the fix instead of expiring
        retentionPeriod: Duration.days(14),
        deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: declaration.maxReceiveCount },
      });
      return { name: declaration.name, declaration, queue, deadLetterQueue };
    });
    this.queues = Object.fromEntries(this.workQueues.map((work) => [work.name, work.queue])) as Record<QueueName, Queue>;
  }

  /** The event source mappings; the consumer also learns its mapping's concurrency (the sender's pacing divides by it). */
  connect(functionFor: (name: FunctionName) => IFunction & { addEnvironment(key: string, value: string): unknown }): void {
    for (const { declaration, queue } of this.workQueues) {
      const fn = functionFor(declaration.consumer);
      const timeout = (fn as { timeout?: Duration }).timeout;
      if (timeout && declaration.visibilityTimeoutSeconds < 6 * timeout.toSeconds()) {
        throw new Error(`QUEUES: ${declaration.name} visibilityTimeoutSeconds must be at least 6 x the timeout of ${declaration.consumer}`);
      }
      fn.addEventSource(
        new SqsEventSource(queue, {
          batchSize: declaration.batchSize,
          maxConcurrency: declaration.maxConcurrency,
          reportBatchItemFailures: true,
        }),
      );
      fn.addEnvironment(`${declaration.name.toUpperCase().replace(/-/g, '_')}_MAX_CONCURRENCY`, String(declaration.maxConcurrency));
    }
  }

  /** The dead-letter queues, for the observability construct's depth alarms. */
  get deadLetterQueues(): DeadLetterQueue[] {
    return this.workQueues.map(({ name, deadLetterQueue }) => ({ label: `work queue ${name}`, queue: deadLetterQueue }));
  }
}
