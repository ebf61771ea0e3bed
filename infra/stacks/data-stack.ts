import { join } from 'node:path';
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { DeployConfig } from '../deploy-config';
import { LeadStore } from '../constructs/lead-store';
import { REPO_ROOT } from '../naming';

export interface LeadpipeDataStackProps extends StackProps {
  config: DeployConfig;
}

/**
 * The stateful half, deployed (and protected) on its own: the stateless stack can be destroyed and
 * recreated at will without touching a single lead.
 */
export class LeadpipeDataStack extends Stack {
  readonly store: LeadStore;

  constructor(scope: Construct, id: string, props: LeadpipeDataStackProps) {
    super(scope, id, { terminationProtection: true, ...props });
    this.store = new LeadStore(this, 'LeadStore', {
      assetsDir: join(REPO_ROOT, 'content', 'assets'),
      accessLogRetentionDays: props.config.logRetentionDays,
    });
    // What `npx leadpipe --stack <name>` reads to reach this deployment.
    new CfnOutput(this, 'TableName', { value: this.store.table.tableName, description: 'the lead table (for the operator CLI)' });
    new CfnOutput(this, 'AppSecretsArn', {
      value: this.store.appSecret.secretArn,
      description: 'signing key and ingest secret (for the operator CLI)',
    });
  }
}
