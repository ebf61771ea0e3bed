import { ArnFormat, CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  TextWidget,
  TreatMissingData,
  type IAlarmAction,
  type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic, type ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRICS_SERVICE_NAME, type BusinessMetric } from '../../shared/observability/metrics';
import { pascalCase } from '../naming';
import type { DeadLetterQueue } from './event-routing';

/**
 * The business metrics the functions emit as CloudWatch EMF (shared/observability/metrics.ts,
 * Powertools) in this namespace. Names are typed against BusinessMetric, so a rename there breaks
 * the build here. Powertools adds a `service` dimension, so the dashboard uses SEARCH expressions
 * that match a metric name whatever its dimensions are.
 */
export const METRICS_NAMESPACE = 'leadpipe';
export const BUSINESS_METRICS = {
  formSubmitted: { name: 'FormSubmitted', dimension: 'form' },
  stageChanged: { name: 'StageChanged' },
  nurtureEmailSent: { name: 'NurtureEmailSent' },
  leadQualified: { name: 'LeadQualified' },
  leadProductQualified: { name: 'LeadProductQualified' },
  leadAccepted: { name: 'LeadAccepted' },
  leadRecycled: { name: 'LeadRecycled' },
  leadSuppressed: { name: 'LeadSuppressed' },
  emailSetupError: { name: 'EmailSetupError' },
} as const satisfies Record<string, { name: BusinessMetric; dimension?: string }>;

/** The outbox relay normally keeps up within seconds; minutes behind means records are stuck or failing. */
export const RELAY_ITERATOR_AGE_THRESHOLD = Duration.minutes(5);

/** Above these SES reviews (5 %) or pauses the account; alarm well before (AWS's own guidance is < 2 % and < 0.1 %). */
export const BOUNCE_RATE_THRESHOLD = 0.02;
export const COMPLAINT_RATE_THRESHOLD = 0.001;

export interface ObservabilityProps {
  /** an existing topic (e.g. the ops team's); without it a topic is created */
  alarmTopicArn?: string;
  functions: Readonly<Record<string, IFunction>>;
  deadLetterQueues: readonly DeadLetterQueue[];
  /** work queues (QUEUES): the age of their oldest message is alarmed above maxAge (their DLQs are among deadLetterQueues) */
  workQueues?: ReadonlyArray<{ name: string; queue: IQueue; maxAge: Duration }>;
  /** functions reading the table stream (STREAM_RELAYS), by name: their iterator age is alarmed */
  streamRelays: ReadonlyArray<{ name: string; fn: IFunction }>;
  httpApi: HttpApi;
}

/** Alarms (to one SNS topic) for everything that loses or delays leads, and the funnel dashboard. */
export class Observability extends Construct {
  readonly alarmTopic: ITopic;
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;
  private readonly action: IAlarmAction;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    this.alarmTopic = props.alarmTopicArn ? Topic.fromTopicArn(this, 'AlarmTopic', props.alarmTopicArn) : this.createAlarmTopic();
    this.action = new SnsAction(this.alarmTopic);
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.alarmTopic.topicArn,
      description: 'the alarm topic: subscribe the on-call address or chat integration to it',
    });

    for (const { label, queue } of props.deadLetterQueues) {
      this.alarm(`${queue.node.id}Messages`, {
        description: `Events failed permanently (${label}); inspect and redrive the dead-letter queue.`,
        metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
        threshold: 1,
      });
    }
    for (const [name, fn] of Object.entries(props.functions)) {
      const id = pascalCase(name);
      this.alarm(`${id}Errors`, {
        description: `${name} is failing.`,
        metric: fn.metricErrors({ period: Duration.minutes(5) }),
        threshold: 1,
      });
      this.alarm(`${id}Throttles`, {
        description: `${name} is throttled.`,
        metric: fn.metricThrottles({ period: Duration.minutes(5) }),
        threshold: 1,
      });
    }
    for (const { name, queue, maxAge } of props.workQueues ?? []) {
      this.alarm(`${pascalCase(name)}OldestMessageAge`, {
        description:
          `The oldest message of ${name} is more than ${maxAge.toHumanString()} old: ` +
          'its consumer is stuck, failing or throttled for good (campaign mail is waiting).',
        metric: queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(5), statistic: 'Maximum' }),
        threshold: maxAge.toSeconds(),
      });
    }
    for (const { name, fn } of props.streamRelays) {
      this.alarm(`${pascalCase(name)}IteratorAge`, {
        description:
          `${name} is more than ${RELAY_ITERATOR_AGE_THRESHOLD.toMinutes()} minutes behind the table stream: ` +
          'captured interactions wait for their emails and classification.',
        metric: fn.metric('IteratorAge', { statistic: 'Maximum', period: Duration.minutes(5) }),
        threshold: RELAY_ITERATOR_AGE_THRESHOLD.toMilliseconds(),
      });
    }
    this.alarm('EmailSetupErrors', {
      description:
        'SES refused a send for a reason of the account or its configuration ' +
        '(sandbox, unverified identity, paused account, missing configuration set). ' +
        'The mail stays due and is retried; fix the SES setup.',
      metric: new Metric({
        namespace: METRICS_NAMESPACE,
        metricName: BUSINESS_METRICS.emailSetupError.name,
        dimensionsMap: { service: METRICS_SERVICE_NAME },
        statistic: 'Sum',
        period: Duration.minutes(5),
      }),
      threshold: 1,
    });
    this.alarm('HttpApi5xx', {
      description: 'The capture API returns server errors: form submissions are being lost.',
      metric: props.httpApi.metricServerError({ period: Duration.minutes(5) }),
      threshold: 1,
    });
    this.alarm('SesBounceRate', {
      description: `SES bounce rate above ${BOUNCE_RATE_THRESHOLD * 100} % (AWS reviews the account at 5 %).`,
      metric: sesMetric('Reputation.BounceRate'),
      threshold: BOUNCE_RATE_THRESHOLD,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    });
    this.alarm('SesComplaintRate', {
      description: `SES complaint rate above ${COMPLAINT_RATE_THRESHOLD * 100} % (AWS reviews the account at 0.1 %).`,
      metric: sesMetric('Reputation.ComplaintRate'),
      threshold: COMPLAINT_RATE_THRESHOLD,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    });

    this.dashboard = this.createDashboard();
  }

  /**
   * Encrypted with a customer managed key: CloudWatch cannot publish to a topic under the AWS managed
   * SNS key. The topic policy lets CloudWatch publish, but only for alarms of this account and region
   * (aws:SourceAccount / aws:SourceArn, against the confused deputy); without that statement no alarm
   * is ever delivered.
   */
  private createAlarmTopic(): Topic {
    const cloudWatch = new ServicePrincipal('cloudwatch.amazonaws.com');
    const key = new Key(this, 'AlarmTopicKey', { description: 'leadpipe alarm topic', enableKeyRotation: true });
    key.grant(cloudWatch, 'kms:Decrypt', 'kms:GenerateDataKey*');
    const topic = new Topic(this, 'AlarmTopic', { displayName: 'leadpipe alarms', masterKey: key, enforceSSL: true });
    const stack = Stack.of(this);
    topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarmsOfThisAccount',
        principals: [cloudWatch],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    return topic;
  }

  private alarm(
    id: string,
    options: { description: string; metric: IMetric; threshold: number; comparisonOperator?: ComparisonOperator },
  ): Alarm {
    const alarm = new Alarm(this, id, {
      alarmDescription: options.description,
      metric: options.metric,
      threshold: options.threshold,
      evaluationPeriods: 1,
      comparisonOperator: options.comparisonOperator ?? ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // no data means nothing failed (or nothing was sent)
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    this.alarms.push(alarm);
    return alarm;
  }

  private createDashboard(): Dashboard {
    const dashboard = new Dashboard(this, 'Dashboard', { defaultInterval: Duration.days(7) });
    const m = BUSINESS_METRICS;
    dashboard.addWidgets(
      new TextWidget({
        markdown: '# leadpipe funnel\nBusiness metrics are emitted by the functions (EMF, namespace `leadpipe`).',
        width: 24,
        height: 2,
      }),
    );
    dashboard.addWidgets(
      // A CloudWatch dynamic label, not a JavaScript template: the literal ${PROP(...)} is what CloudWatch expects.
      // biome-ignore lint/suspicious/noTemplateCurlyInString: see above
      graph('Form submissions per form', [search(m.formSubmitted.name, 'Sum', "${PROP('Dim.form')}")]),
      graph('Stage transitions', [search(m.stageChanged.name, 'Sum')]),
      graph('Nurture emails sent', [search(m.nurtureEmailSent.name, 'Sum')]),
    );
    dashboard.addWidgets(
      graph('MQLs, PQLs and SQLs', [
        search(m.leadQualified.name, 'Sum', 'MQL'),
        search(m.leadProductQualified.name, 'Sum', 'PQL'),
        search(m.leadAccepted.name, 'Sum', 'SQL'),
      ]),
      graph('Bounces and complaints', [sesMetric('Bounce', 'Sum', Duration.hours(1)), sesMetric('Complaint', 'Sum', Duration.hours(1))]),
      new GraphWidget({
        title: 'SES reputation',
        width: 8,
        left: [sesMetric('Reputation.BounceRate'), sesMetric('Reputation.ComplaintRate')],
        leftAnnotations: [
          { value: BOUNCE_RATE_THRESHOLD, label: 'bounce alarm' },
          { value: COMPLAINT_RATE_THRESHOLD, label: 'complaint alarm' },
        ],
      }),
    );
    dashboard.addWidgets(
      graph('Email setup errors (SES refused: sandbox, paused, missing set)', [search(m.emailSetupError.name, 'Sum', 'setup errors')]),
    );
    dashboard.addWidgets(
      graph('Recycled by sales, suppressed (bounce/complaint/unsubscribe)', [
        search(m.leadRecycled.name, 'Sum', 'recycled'),
        search(m.leadSuppressed.name, 'Sum', 'suppressed'),
      ]),
      new AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 16 }),
    );
    return dashboard;
  }
}

function sesMetric(metricName: string, statistic = 'Maximum', period = Duration.minutes(15)): Metric {
  return new Metric({ namespace: 'AWS/SES', metricName, statistic, period });
}

/** All series of one business metric, whatever dimensions the emitter adds. */
function search(metricName: string, statistic: string, label?: string): MathExpression {
  return new MathExpression({
    expression: `SEARCH('Namespace="${METRICS_NAMESPACE}" MetricName="${metricName}"', '${statistic}', 3600)`,
    label: label ?? metricName,
    usingMetrics: {},
    period: Duration.hours(1),
  });
}

function graph(title: string, metrics: IMetric[]): GraphWidget {
  return new GraphWidget({ title, width: 8, left: metrics });
}
