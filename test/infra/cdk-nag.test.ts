import { App, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthLeadpipe, SYNTH_TIMEOUT_MS, type SynthResult } from './synth-app';

/**
 * cdk-nag v3 is a CDK policy-validation plugin, not an Aspect: findings do not become construct
 * annotations, they fail the synth (infra/app.ts registers the pack exactly like this). So the
 * synth below would already throw on an unacknowledged finding; `validateScope` then lists the
 * findings per stack so a failure names them. The Annotations checks from the v2 recipe are
 * kept, for construct-level warnings/errors CDK itself raises.
 */
let synth: SynthResult;

beforeAll(() => {
  // bundling does not change the CloudFormation nag inspects; leadpipe-stack.test.ts covers it
  synth = synthLeadpipe({ nag: true, bundle: false });
}, SYNTH_TIMEOUT_MS);

const findings = (stack: Stack, severity: 'error' | 'warning') =>
  new AwsSolutionsChecks()
    .validateScope(stack)
    .violations.filter((violation) => violation.severity === severity)
    .map((violation) => `${violation.ruleName} ${violation.violatingResources.map((r) => r.constructPath).join(', ')}`);

describe.each(['data', 'app'] as const)('cdk-nag AwsSolutions: %s stack', (which) => {
  it('has no unacknowledged errors', () => {
    // Prepare
    const stack = synth[which];

    // Act
    const errors = findings(stack, 'error');

    // Assess
    expect(errors).toEqual([]);
    expect(Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual([]);
  });

  it('has no unacknowledged warnings', () => {
    // Prepare
    const stack = synth[which];

    // Act
    const warnings = findings(stack, 'warning');

    // Assess
    expect(warnings).toEqual([]);
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual([]);
  });

  it('has no construct errors', () => {
    // Prepare
    const stack = synth[which];

    // Act
    const errors = Annotations.fromStack(stack).findError('*', Match.anyValue());

    // Assess
    expect(errors).toEqual([]);
  });
});

describe('cdk-nag sanity', () => {
  it('does report a non-compliant resource, so the empty results above mean something', () => {
    // Prepare
    const app = new App();
    const stack = new Stack(app, 'Bad');
    new Queue(stack, 'PlainQueue');

    // Act
    const rules = new AwsSolutionsChecks().validateScope(stack).violations.map((violation) => violation.ruleName);

    // Assess
    expect(rules).toEqual(expect.arrayContaining(['AwsSolutions-SQS3', 'AwsSolutions-SQS4']));
  });

  it('honours a resource-level acknowledgement only for the acknowledged rule', () => {
    // Prepare
    const app = new App();
    const stack = new Stack(app, 'Acknowledged');
    const queue = new Queue(stack, 'PlainQueue');
    Validations.of(queue).acknowledge({ id: 'AwsSolutions-SQS3', reason: 'test' });

    // Act
    const rules = new AwsSolutionsChecks().validateScope(stack).violations.map((violation) => violation.ruleName);

    // Assess
    expect(rules).not.toContain('AwsSolutions-SQS3');
    expect(rules).toContain('AwsSolutions-SQS4');
  });
});
