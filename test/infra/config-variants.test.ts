import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUS_FORWARDS, EVENT_RULES, SCHEDULES } from '../../shared/wiring/app-wiring';
import { cdkJsonContext, resourcesOfType, synthLeadpipe, SYNTH_TIMEOUT_MS, type SynthResult } from './synth-app';
import type { DeployConfigInput } from '../../infra/deploy-config';

/** The optional config switched the other way than in leadpipe-stack.test.ts: custom domain, existing topic, no CRM. */
const ALARM_TOPIC_ARN = 'arn:aws:sns:eu-central-1:123456789012:ops-alarms';
const DOMAIN = 'forms.leadpipe.example';

let synth: SynthResult;

beforeAll(() => {
  const example = cdkJsonContext().leadpipe as DeployConfigInput;
  synth = synthLeadpipe({
    bundle: false,
    nag: true,
    config: {
      ...example,
      alarmTopicArn: ALARM_TOPIC_ARN,
      customDomain: {
        domainName: DOMAIN,
        certificateArn: 'arn:aws:acm:eu-central-1:123456789012:certificate/0c6f1a43-1111-2222-3333-444455556666',
      },
    },
  });
}, SYNTH_TIMEOUT_MS);

describe('optional config', () => {
  it('serves the API on the custom domain only, and links point there', () => {
    // Prepare
    const template = synth.appTemplate;

    // Act
    // the app's functions, not the CDK-internal BucketDeployment handler of the console
    const functions = resourcesOfType(template, 'AWS::Lambda::Function').filter(([id]) => !id.startsWith('CustomCDKBucketDeployment'));

    // Assess
    template.hasResourceProperties('AWS::ApiGatewayV2::DomainName', { DomainName: DOMAIN });
    template.resourceCountIs('AWS::ApiGatewayV2::ApiMapping', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { DisableExecuteApiEndpoint: true });
    for (const [, fn] of functions) {
      expect((fn.Properties as any).Environment.Variables.PUBLIC_BASE_URL).toBe(`https://${DOMAIN}`);
    }
  });

  it('sends alarms to the configured topic instead of creating one', () => {
    // Prepare
    const template = synth.appTemplate;

    // Act
    const alarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm');

    // Assess
    template.resourceCountIs('AWS::SNS::Topic', 0);
    template.resourceCountIs('AWS::KMS::Key', 0);
    expect(alarms.length).toBeGreaterThan(0);
    for (const [, alarm] of alarms) expect((alarm.Properties as any).AlarmActions).toEqual([ALARM_TOPIC_ARN]);
  });

  it('creates no CRM webhook without webhookUrl', () => {
    // Prepare
    const template = synth.appTemplate;

    // Act
    const rules = resourcesOfType(template, 'AWS::Events::Rule');

    // Assess
    template.resourceCountIs('AWS::Events::Connection', 0);
    template.resourceCountIs('AWS::Events::ApiDestination', 0);
    expect(rules).toHaveLength(EVENT_RULES.length + BUS_FORWARDS.length + (SCHEDULES as readonly unknown[]).length);
  });

  it.each(['data', 'app'] as const)('leaves no cdk-nag finding in the %s stack', (which) => {
    // Prepare
    const stack = synth[which];

    // Act
    const violations = new AwsSolutionsChecks().validateScope(stack).violations.map((v) => `${v.severity} ${v.ruleName}`);

    // Assess
    expect(violations).toEqual([]);
  });
});
