import type { App, Environment } from 'aws-cdk-lib';
import type { DeployConfig } from './deploy-config';
import { LeadpipeDataStack } from './stacks/data-stack';
import { LeadpipeStack } from './stacks/leadpipe-stack';

export interface LeadpipeStacks {
  data: LeadpipeDataStack;
  app: LeadpipeStack;
}

/** Where the stacks go: the validated config's region and, when given, its account; nothing implicit. */
export function stackEnvironment(config: DeployConfig): Environment {
  return { region: config.region, ...(config.account ? { account: config.account } : {}) };
}

/** Both stacks on an App; shared by infra/app.ts (the CLI) and the infra tests. */
export function buildLeadpipe(app: App, config: DeployConfig): LeadpipeStacks {
  const env = stackEnvironment(config);
  const data = new LeadpipeDataStack(app, 'LeadpipeDataStack', {
    description: 'leadpipe: lead table, gated assets and app secrets (stateful, retained)',
    config,
    env,
  });
  const stateless = new LeadpipeStack(app, 'LeadpipeStack', {
    description: 'leadpipe: capture API, functions, event routing, email sending and observability',
    config,
    env,
    table: data.store.table,
    assetsBucket: data.store.assetsBucket,
    appSecret: data.store.appSecret,
  });
  return { data, app: stateless };
}
