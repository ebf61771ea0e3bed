import { Duration, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import {
  ApiDestination,
  type Archive,
  Authorization,
  type CfnArchive,
  type CfnRule,
  Connection,
  EventBus,
  HttpMethod,
  Rule,
  Schedule as EventSchedule,
  type EventPattern,
  type IEventBus,
} from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { FilterCriteria, StartingPosition, type IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { LeadAccepted, LeadProductQualified, LeadQualified, LeadRecycled } from '../../shared/events/lead-events';
import type { BusForward, EventRule, FunctionName, Schedule, StreamRelay } from '../../shared/wiring/app-wiring';
import { acknowledge } from '../nag';
import { pascalCase } from '../naming';

/** EventBridge retries delivery to a target this often and this long before dead-lettering. */
export const TARGET_RETRY_ATTEMPTS = 8;
export const TARGET_MAX_EVENT_AGE = Duration.hours(6);
/** Lambda's own retries of a failed asynchronous invocation (EventBridge invokes Lambda asynchronously). */
export const ASYNC_RETRY_ATTEMPTS = 2;
export const STREAM_RETRY_ATTEMPTS = 10;
export const ARCHIVE_RETENTION = Duration.days(30);

/** The events the CRM webhook receives: a lead worth a salesperson's attention, and sales' decision on it. */
export const CRM_EVENTS = [LeadQualified, LeadProductQualified, LeadAccepted, LeadRecycled] as const;

/**
 * The app's custom bus plus an archive, so events can be replayed after a consumer bug is fixed.
 * Archive retention is 30 days: summary events carry contact data, and erasure requests must be
 * honoured within a month.
 */
export class AppEventBus extends Construct {
  readonly bus: EventBus;
  /** the account's default bus, where AWS services (SES) publish and schedules run */
  readonly defaultBus: IEventBus;
  readonly archive: Archive;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.bus = new EventBus(this, 'Bus', { description: 'leadpipe domain events' });
    this.defaultBus = EventBus.fromEventBusName(this, 'DefaultBus', 'default');
    this.archive = this.bus.archive('Archive', {
      description: 'every event on the leadpipe bus, for replay',
      eventPattern: { account: [Stack.of(this).account] },
      retention: ARCHIVE_RETENTION,
    });
    // CDK renders `KmsKeyIdentifier: ""` for an archive without a customer key (aws-cdk#37847), which
    // some regions reject at deploy. Without the property the archive uses the AWS owned key, as intended.
    (this.archive.node.defaultChild as CfnArchive).addPropertyDeletionOverride('KmsKeyIdentifier');
  }
}

export interface DeadLetterQueue {
  /** what fails into it, for alarm names and descriptions */
  label: string;
  queue: Queue;
}

export interface EventRoutingProps {
  appBus: IEventBus;
  defaultBus: IEventBus;
  table: ITable;
  functionFor: (name: FunctionName) => IFunction;
  rules: readonly EventRule[];
  forwards: readonly BusForward[];
  relays: readonly StreamRelay[];
  schedules: readonly Schedule[];
  /** the CRM's webhook; when set, qualified/accepted/recycled leads are POSTed to it */
  webhookUrl?: string;
}

/**
 * Wires the EVENT_RULES, BUS_FORWARDS, STREAM_RELAYS and SCHEDULES tables. Every delivery path
 * ends in its own dead-letter queue (one per rule, relay or schedule, so an alarm says exactly
 * which path failed), and every Lambda invoked asynchronously gets an on-failure queue too:
 * EventBridge's retry policy only covers delivering the event, not the function failing on it.
 */
export class EventRouting extends Construct {
  readonly deadLetterQueues: DeadLetterQueue[] = [];
  readonly rules: Rule[] = [];
  private readonly asyncTargets = new Set<IFunction>();

  constructor(
    scope: Construct,
    id: string,
    private readonly props: EventRoutingProps,
  ) {
    super(scope, id);
    for (const rule of props.rules) this.addEventRule(rule);
    for (const forward of props.forwards) this.addBusForward(forward);
    for (const relay of props.relays) this.addStreamRelay(relay);
    for (const schedule of props.schedules) this.addSchedule(schedule);
    if (props.webhookUrl) this.addCrmWebhook(props.webhookUrl);
    for (const fn of this.asyncTargets) this.configureAsyncFailures(fn);
  }

  private addEventRule(declared: EventRule): void {
    const id = pascalCase(declared.name);
    const rule = new Rule(this, id, {
      description: declared.description,
      eventBus: declared.bus === 'app' ? this.props.appBus : this.props.defaultBus,
      eventPattern: toEventPattern(declared.pattern),
    });
    this.addFunctionTarget(rule, declared.target, `rule ${declared.name}`, id);
  }

  private addBusForward(forward: BusForward): void {
    const id = pascalCase(forward.name);
    const rule = new Rule(this, id, {
      description: forward.description,
      eventBus: this.props.defaultBus,
      eventPattern: toEventPattern(forward.pattern),
    });
    rule.addTarget(
      new targets.EventBus(this.props.appBus, { deadLetterQueue: this.deadLetterQueue(`${id}Dlq`, `forward ${forward.name}`) }),
    );
    // CloudFormation supports a retry policy for event-bus targets, the CDK target does not expose it (aws-cdk#28735)
    const cfnRule = rule.node.defaultChild as CfnRule;
    cfnRule.addPropertyOverride('Targets.0.RetryPolicy', {
      MaximumRetryAttempts: TARGET_RETRY_ATTEMPTS,
      MaximumEventAgeInSeconds: TARGET_MAX_EVENT_AGE.toSeconds(),
    });
    this.rules.push(rule);
  }

  private addStreamRelay(relay: StreamRelay): void {
    const fn = this.props.functionFor(relay.function);
    const id = `${pascalCase(relay.function)}Stream`;
    fn.addEventSource(
      new DynamoEventSource(this.props.table, {
        // TRIM_HORIZON: records written before the mapping existed are outbox entries too
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: relay.batchSize,
        filters: [FilterCriteria.filter(relay.filter)],
        reportBatchItemFailures: true,
        bisectBatchOnError: true,
        retryAttempts: STREAM_RETRY_ATTEMPTS,
        onFailure: new SqsDlq(this.deadLetterQueue(`${id}Dlq`, `stream relay ${relay.function}`)),
      }),
    );
    if (fn.role)
      acknowledge(
        fn.role,
        'AwsSolutions-IAM5[Resource::*]',
        'dynamodb:ListStreams (stream event source) does not support resource-level permissions.',
      );
  }

  private addSchedule(schedule: Schedule): void {
    if (!Number.isInteger(schedule.everyMinutes) || schedule.everyMinutes < 1) {
      throw new Error(`SCHEDULES: ${schedule.name} everyMinutes must be a whole number >= 1`);
    }
    const id = pascalCase(schedule.name);
    const rule = new Rule(this, id, {
      description: schedule.description,
      schedule: EventSchedule.rate(Duration.minutes(schedule.everyMinutes)),
    });
    this.addFunctionTarget(rule, schedule.target, `schedule ${schedule.name}`, id);
  }

  private addCrmWebhook(webhookUrl: string): void {
    // A placeholder so no credential is ever in the template. EventBridge copies it into the
    // connection's own secret at creation: set the CRM's real key with `aws events update-connection`.
    const apiKey = new Secret(this, 'CrmApiKeyPlaceholder', {
      description: 'leadpipe: placeholder x-api-key for the CRM webhook connection (set the real key on the connection)',
      generateSecretString: { passwordLength: 40, excludePunctuation: true },
    });
    acknowledge(
      apiKey,
      'AwsSolutions-SMG4',
      'A placeholder: the real API key is issued and rotated by the CRM and set on the EventBridge connection.',
    );
    const connection = new Connection(this, 'CrmConnection', {
      description: 'leadpipe -> CRM webhook',
      authorization: Authorization.apiKey('x-api-key', apiKey.secretValue),
    });
    const destination = new ApiDestination(this, 'CrmDestination', {
      description: 'CRM webhook receiving qualified, accepted and recycled leads',
      connection,
      endpoint: webhookUrl,
      httpMethod: HttpMethod.POST,
      rateLimitPerSecond: 10,
    });
    const rule = new Rule(this, 'ForwardLeadsToCrm', {
      description: `POST ${CRM_EVENTS.map((event) => event.detailType).join(', ')} to the CRM webhook`,
      eventBus: this.props.appBus,
      eventPattern: crmEventPattern(),
    });
    rule.addTarget(
      new targets.ApiDestination(destination, {
        retryAttempts: TARGET_RETRY_ATTEMPTS,
        maxEventAge: TARGET_MAX_EVENT_AGE,
        deadLetterQueue: this.deadLetterQueue('ForwardLeadsToCrmDlq', 'CRM webhook'),
      }),
    );
    this.rules.push(rule);
  }

  private addFunctionTarget(rule: Rule, target: FunctionName, label: string, id: string): void {
    const fn = this.props.functionFor(target);
    rule.addTarget(
      new targets.LambdaFunction(fn, {
        retryAttempts: TARGET_RETRY_ATTEMPTS,
        maxEventAge: TARGET_MAX_EVENT_AGE,
        deadLetterQueue: this.deadLetterQueue(`${id}Dlq`, label),
      }),
    );
    this.asyncTargets.add(fn);
    this.rules.push(rule);
  }

  /** Function errors after EventBridge delivered the event: Lambda retries, then parks the event here. */
  private configureAsyncFailures(fn: IFunction): void {
    const queue = this.deadLetterQueue(`${fn.node.id}AsyncFailures`, `async invocation of ${fn.node.id}`);
    fn.configureAsyncInvoke({
      retryAttempts: ASYNC_RETRY_ATTEMPTS,
      maxEventAge: TARGET_MAX_EVENT_AGE,
      onFailure: new SqsDestination(queue),
    });
  }

  private deadLetterQueue(id: string, label: string): Queue {
    const queue = new Queue(this, id, {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // the maximum: time to notice the alarm, fix the consumer and redrive
      retentionPeriod: Duration.days(14),
    });
    acknowledge(
      queue,
      'AwsSolutions-SQS3',
      `This queue is itself a dead-letter queue (${label}); a DLQ of a DLQ would only move the problem.`,
    );
    this.deadLetterQueues.push({ label, queue });
    return queue;
  }
}

/** The CRM rule's pattern, built from the event declarations so a renamed event cannot drift. */
export function crmEventPattern(): EventPattern {
  return {
    source: [...new Set(CRM_EVENTS.map((event) => event.source))],
    detailType: CRM_EVENTS.map((event) => event.detailType),
  };
}

/** Raw EventBridge pattern JSON (as in app-wiring.ts) to CDK's EventPattern, key by key. */
const PATTERN_KEYS: Readonly<Record<string, keyof EventPattern>> = {
  version: 'version',
  id: 'id',
  'detail-type': 'detailType',
  source: 'source',
  account: 'account',
  time: 'time',
  region: 'region',
  resources: 'resources',
  detail: 'detail',
};

export function toEventPattern(raw: Readonly<Record<string, unknown>>): EventPattern {
  const pattern: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const cdkKey = PATTERN_KEYS[key];
    if (!cdkKey)
      throw new Error(`event pattern: unsupported top-level key "${key}" (expected one of ${Object.keys(PATTERN_KEYS).join(', ')})`);
    pattern[cdkKey] = value;
  }
  return pattern as EventPattern;
}
