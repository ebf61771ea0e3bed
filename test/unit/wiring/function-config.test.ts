/**
 * Drift between what a function reads and what CDK gives it cannot show up locally, where every function
 * gets the same environment. This test compares the two: each variable a function requires (its
 * FUNCTION_ENV entry, without the optional ones and those with a default) must be one that CDK sets on
 * that function, through the common environment or one of the function's bindings.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bind, type BindableResources, type BindTarget } from '../../../infra/constructs/bind';
import { CONFIG_CONTEXT_KEY, parseDeployConfig } from '../../../infra/deploy-config';
import { REPO_ROOT } from '../../../infra/naming';
import { commonEnvironment } from '../../../infra/stacks/leadpipe-stack';
import { FUNCTIONS, type FunctionName } from '../../../shared/wiring/app-wiring';
import { FUNCTION_ENV } from '../../../shared/wiring/function-config';

/** Stands in for any CDK resource: every property is a no-op function, which is all a binder touches besides names. */
const anything = new Proxy({}, { get: () => () => undefined }) as never;

/** The names of the variables CDK sets on a function with these bindings. */
function variablesCdkSets(name: FunctionName): Set<string> {
  const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
  const set = new Set(
    Object.keys(
      commonEnvironment(parseDeployConfig(cdkJson.context[CONFIG_CONTEXT_KEY]), 'https://api.example.com', 'https://console.example.com/'),
    ),
  );
  const fn = { addEnvironment: (key: string) => set.add(key), addToRolePolicy: () => undefined, role: undefined } as unknown as BindTarget;
  const arn = 'arn:aws:ses:eu-central-1:111111111111:identity/a';
  const email = { senderAddress: 'a', senderMailbox: 'a', identityArn: arn, configurationSetName: 'a', configurationSetArn: arn };
  const sales = { salesConfigurationSetName: 'b', salesConfigurationSetArn: arn };
  const queues = { 'campaign-plan': anything, 'campaign-sends': anything };
  const resources = { table: anything, bus: anything, assetsBucket: anything, appSecret: anything, email: { ...email, ...sales }, queues };
  bind(fn, FUNCTIONS[name].bindings, resources as BindableResources);
  return set;
}

describe('FUNCTION_ENV against what CDK sets', () => {
  it('has an entry for every function and nothing else', () => {
    // Assess
    expect(Object.keys(FUNCTION_ENV).sort()).toEqual(Object.keys(FUNCTIONS).sort());
  });

  it.each(Object.keys(FUNCTIONS) as FunctionName[])('%s: every variable it requires is set by CDK', (name) => {
    // Prepare
    const shape = FUNCTION_ENV[name] as Record<string, { safeParse(value: unknown): { success: boolean } }>;
    const required = Object.keys(shape).filter((variable) => !shape[variable]!.safeParse(undefined).success);

    // Act
    const set = variablesCdkSets(name);

    // Assess
    expect(required.filter((variable) => !set.has(variable))).toEqual([]);
  });
});
