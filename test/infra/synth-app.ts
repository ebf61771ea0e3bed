import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildLeadpipe, type LeadpipeStacks } from '../../infra/build-app';
import { CONFIG_CONTEXT_KEY, parseDeployConfig, type DeployConfig, type DeployConfigInput } from '../../infra/deploy-config';
import { REPO_ROOT } from '../../infra/naming';

/**
 * Synthesis bundles every function with esbuild and validates the templates: 10-30 s alone, far
 * more on a busy CI machine. So synthesize once per test file, with a generous timeout.
 */
export const SYNTH_TIMEOUT_MS = 300_000;

/** cdk.json's context: the feature flags and the example config, exactly what `npx cdk synth` uses. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
  return cdkJson.context;
}

/** The example config from cdk.json plus every optional feature, so the tests cover all resources. */
export function fullConfigInput(overrides: Partial<DeployConfigInput> = {}): DeployConfigInput {
  return {
    ...(cdkJsonContext()[CONFIG_CONTEXT_KEY] as DeployConfigInput),
    webhookUrl: 'https://crm.example.com/hooks/leadpipe',
    ...overrides,
  };
}

export interface SynthOptions {
  config?: DeployConfigInput;
  /** register cdk-nag as in infra/app.ts: the synth throws if a finding is not acknowledged */
  nag?: boolean;
  /**
   * false skips esbuild (CDK's `aws:cdk:bundling-stacks` context, as `cdk synth --exclusively`
   * does): for tests about the CloudFormation only, bundling is covered by the stack test.
   */
  bundle?: boolean;
}

export interface SynthResult extends LeadpipeStacks {
  cdkApp: App;
  config: DeployConfig;
  dataTemplate: Template;
  appTemplate: Template;
  nagPack?: AwsSolutionsChecks;
}

export function synthLeadpipe(options: SynthOptions = {}): SynthResult {
  const config = parseDeployConfig(options.config ?? fullConfigInput());
  const context: Record<string, unknown> = { ...cdkJsonContext() };
  delete context[CONFIG_CONTEXT_KEY];
  if (options.bundle === false) context['aws:cdk:bundling-stacks'] = [];
  const cdkApp = new App({ context });
  const stacks = buildLeadpipe(cdkApp, config);
  let nagPack: AwsSolutionsChecks | undefined;
  if (options.nag) {
    nagPack = new AwsSolutionsChecks(cdkApp);
    Validations.of(cdkApp).addPlugins(nagPack);
  }
  cdkApp.synth();
  return {
    ...stacks,
    cdkApp,
    config,
    nagPack,
    dataTemplate: Template.fromStack(stacks.data),
    appTemplate: Template.fromStack(stacks.app),
  };
}

type Resource = { Type: string; Properties?: Record<string, unknown>; DeletionPolicy?: string; Metadata?: Record<string, unknown> };

export function resourcesOfType(template: Template, type: string): Array<[string, Resource]> {
  return Object.entries(template.findResources(type) as Record<string, Resource>);
}
