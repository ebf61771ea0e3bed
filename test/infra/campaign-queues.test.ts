/**
 * The campaign engine on AWS (infra/constructs/campaign-queues.ts, wired from QUEUES): each work queue encrypted,
 * TLS-only, with its dead-letter queue and redrive; the event source mappings with ReportBatchItemFailures and
 * MaximumConcurrency; alarms on dead-letter depth and the age of the oldest message; and the least grants of the
 * planner and the sender.
 */
import { Stack, type CfnResource } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { OLDEST_MESSAGE_AGE_THRESHOLDS } from '../../infra/constructs/campaign-queues';
import { FUNCTIONS, QUEUES, type FunctionName, type QueueName } from '../../shared/wiring/app-wiring';
import { QUEUE_URL_ENV } from '../../shared/wiring/function-config';
import { synthLeadpipe, SYNTH_TIMEOUT_MS, type SynthResult } from './synth-app';

type Json = Record<string, any>;
let synth: SynthResult;
let resources: Record<string, Json>;

beforeAll(() => {
  // the CloudFormation only: bundling is covered by leadpipe-stack.test.ts
  synth = synthLeadpipe({ bundle: false });
  resources = synth.appTemplate.toJSON().Resources;
}, SYNTH_TIMEOUT_MS);

const logicalId = (construct: { node: { defaultChild?: unknown } }) => {
  const cfn = construct.node.defaultChild as CfnResource;
  return Stack.of(cfn).getLogicalId(cfn);
};
const queueId = (name: QueueName) => logicalId(synth.app.campaignQueues.queues[name]);
const dlqId = (name: QueueName) => logicalId(synth.app.campaignQueues.workQueues.find((work) => work.name === name)!.deadLetterQueue);
const functionId = (name: FunctionName) => logicalId(synth.app.functions.get(name));
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

function statementsOf(name: FunctionName): Json[] {
  const roleId = resources[functionId(name)]!.Properties.Role['Fn::GetAtt'][0] as string;
  return ofType('AWS::IAM::Policy')
    .filter(([, policy]) => (policy.Properties.Roles as Json[]).some((role) => role.Ref === roleId))
    .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Json[]);
}
const actions = (statement: Json): string[] => (Array.isArray(statement.Action) ? statement.Action : [statement.Action]);

describe.each(QUEUES.map((queue) => [queue.name, queue] as const))('work queue %s', (name, declaration) => {
  it('is encrypted and TLS-only, with its visibility timeout, and redrives to its own dead-letter queue after maxReceiveCount', () => {
    // Prepare
    const queue = resources[queueId(name)]!;
    const dlq = resources[dlqId(name)]!;

    // Act
    const policies = ofType('AWS::SQS::QueuePolicy').filter(([, policy]) =>
      (policy.Properties.Queues as Json[]).some(
        (ref) => JSON.stringify(ref).includes(queueId(name)) || JSON.stringify(ref).includes(dlqId(name)),
      ),
    );

    // Assess
    expect(queue.Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      VisibilityTimeout: declaration.visibilityTimeoutSeconds,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId(name), 'Arn'] }, maxReceiveCount: declaration.maxReceiveCount },
    });
    expect(dlq.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 86_400 });
    expect(policies).toHaveLength(2);
    for (const [, policy] of policies) {
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
  });

  it('is drained by its consumer with batch item failures, its batch size and its maximum concurrency', () => {
    // Prepare
    const mappings = ofType('AWS::Lambda::EventSourceMapping').filter(
      ([, mapping]) => JSON.stringify(mapping.Properties.EventSourceArn) === JSON.stringify({ 'Fn::GetAtt': [queueId(name), 'Arn'] }),
    );

    // Act
    const mapping = mappings[0]?.[1].Properties;

    // Assess
    expect(mappings).toHaveLength(1);
    expect(mapping).toMatchObject({
      FunctionName: { Ref: functionId(declaration.consumer) },
      BatchSize: declaration.batchSize,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: declaration.maxConcurrency },
    });
    // SQS's guidance for Lambda consumers: the visibility timeout is at least 6 × the function timeout
    expect(declaration.visibilityTimeoutSeconds).toBeGreaterThanOrEqual(6 * (FUNCTIONS[declaration.consumer].timeoutSeconds ?? 10));
  });

  it('alarms on any message in its dead-letter queue and on its oldest message getting too old, to the alarm topic', () => {
    // Prepare
    const alarms = ofType('AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties);

    // Act
    const depth = alarms.find(
      (alarm) => alarm.MetricName === 'ApproximateNumberOfMessagesVisible' && JSON.stringify(alarm.Dimensions).includes(dlqId(name)),
    );
    const age = alarms.find(
      (alarm) => alarm.MetricName === 'ApproximateAgeOfOldestMessage' && JSON.stringify(alarm.Dimensions).includes(`"${queueId(name)}"`),
    );

    // Assess
    expect(depth).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    expect(age).toMatchObject({ Threshold: OLDEST_MESSAGE_AGE_THRESHOLDS[name].toSeconds(), Statistic: 'Maximum' });
    expect(depth.AlarmActions).toHaveLength(1);
    expect(age.AlarmActions).toEqual(depth.AlarmActions);
  });
});

describe('least privilege', () => {
  const queueArn = (name: QueueName) => ({ 'Fn::GetAtt': [queueId(name), 'Arn'] });
  /** [action, resource] pairs of a function's statements on the campaign queues (not its own async-failure queue) */
  function onCampaignQueues(name: FunctionName): Array<[string, string]> {
    return statementsOf(name).flatMap((statement) => {
      const targets = (Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource]).map((r: unknown) =>
        JSON.stringify(r),
      );
      return actions(statement).flatMap((action) =>
        targets.filter((target: string) => target.includes('CampaignQueues')).map((target: string) => [action, target] as [string, string]),
      );
    });
  }

  it('the planner may SendMessage to the two queues and consume the plan queue, nothing more; it sends no mail', () => {
    // Act
    const granted = onCampaignQueues('campaign-planner');
    const all = statementsOf('campaign-planner').flatMap(actions);
    const variables = resources[functionId('campaign-planner')]!.Properties.Environment.Variables;

    // Assess
    const plan = JSON.stringify(queueArn('campaign-plan'));
    const sends = JSON.stringify(queueArn('campaign-sends'));
    expect(granted.filter(([, target]) => target === sends)).toEqual([['sqs:SendMessage', sends]]);
    expect(
      granted
        .filter(([, target]) => target === plan)
        .map(([action]) => action)
        .sort(),
    ).toEqual(
      // SendMessage (its binding) and what the event source mapping needs to consume
      [
        'sqs:ChangeMessageVisibility',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:ReceiveMessage',
        'sqs:SendMessage',
      ],
    );
    expect(all.filter((action) => action.startsWith('ses:'))).toEqual([]);
    expect(variables[QUEUE_URL_ENV['campaign-plan']]).toEqual({ Ref: queueId('campaign-plan') });
    expect(variables[QUEUE_URL_ENV['campaign-sends']]).toEqual({ Ref: queueId('campaign-sends') });
  });

  it('the sender consumes the sends queue only and sends no queue message; it may read the account quota and send mail', () => {
    // Act
    const granted = onCampaignQueues('campaign-sender');
    const statements = statementsOf('campaign-sender');
    const onEverything = statements.filter((statement) => statement.Resource === '*').flatMap(actions);
    const variables = resources[functionId('campaign-sender')]!.Properties.Environment.Variables;

    // Assess
    const sends = JSON.stringify(queueArn('campaign-sends'));
    expect(granted.map(([action, target]) => `${action} ${target === sends ? 'sends' : target}`).sort()).toEqual(
      ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'].map(
        (a) => `${a} sends`,
      ),
    );
    expect(statements.flatMap(actions)).toContain('ses:SendEmail');
    // GetAccount has no resource-level permissions: it is the one action on "*" besides X-Ray's
    expect(onEverything.filter((action) => !action.startsWith('xray:'))).toEqual(['ses:GetAccount']);
    expect(variables.CAMPAIGN_SENDS_MAX_CONCURRENCY).toBe(String(QUEUES.find((queue) => queue.name === 'campaign-sends')!.maxConcurrency));
  });

  it('no other function may touch the campaign queues or read the SES account', () => {
    // Prepare
    const others = (Object.keys(FUNCTIONS) as FunctionName[]).filter((name) => name !== 'campaign-planner' && name !== 'campaign-sender');

    // Act
    const touching = others.filter((name) => onCampaignQueues(name).length > 0);
    const reading = others.filter((name) => statementsOf(name).flatMap(actions).includes('ses:GetAccount'));

    // Assess
    expect(touching).toEqual([]);
    expect(reading).toEqual([]);
  });
});
