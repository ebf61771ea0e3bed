import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildLeadpipe } from './build-app';
import { readDeployConfig } from './deploy-config';

/**
 * `npx cdk synth` entry point (cdk.json "app"). Works offline: the account and region stay
 * unresolved unless the CLI provides them, and functions bundle with the local esbuild.
 */
const app = new App();
const config = readDeployConfig(app);
buildLeadpipe(app, config, { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION });
Tags.of(app).add('app', 'leadpipe');

// cdk-nag v3 is a policy-validation plugin (v2 was an Aspect): an unacknowledged finding fails the synth.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
