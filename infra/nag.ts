import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';

/**
 * cdk-nag v3 acknowledgements (the v3 replacement of NagSuppressions). Every acknowledgement is
 * attached to the narrowest construct and, for IAM findings, names the exact finding
 * (`AwsSolutions-IAM5[Resource::...]`), the v3 spelling of v2's `appliesTo`.
 */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

export const LAMBDA_BASIC_EXECUTION_POLICY = 'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';

/**
 * Acknowledges the IAM5 wildcard finding for one resource expression, e.g. `${table.tableArn}/index/*`.
 *
 * cdk-nag names the finding after the rendered CloudFormation value, and for a resource of another
 * stack that value (an import) only exists once CDK has resolved cross-stack references during
 * synthesis. So the finding id is computed in a construct validation, which runs after that and
 * before the nag plugin, with cdk-nag's own flattening: the acknowledgement covers exactly this
 * resource and nothing else.
 */
export function acknowledgeWildcardResource(scope: IConstruct, resource: string, reason: string): void {
  scope.node.addValidation({
    validate: () => {
      const finding = `Resource::${flattenCfnReference(Stack.of(scope).resolve(resource))}`;
      acknowledge(scope, `AwsSolutions-IAM5[${finding}]`, reason);
      return [];
    },
  });
}

export function acknowledgeWildcardActions(scope: IConstruct, actions: readonly string[], reason: string): void {
  for (const action of actions) acknowledge(scope, `AwsSolutions-IAM5[Action::${action}]`, reason);
}
