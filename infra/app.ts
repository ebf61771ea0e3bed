import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildLeadpipe } from './build-app';
import { readDeployConfig } from './deploy-config';

/**
 * `npx cdk synth` entry point (cdk.json "app"). Works offline: the region (and optionally the
 * account) come from the validated deploy config, never from the CLI's environment, and functions
 * bundle with the local esbuild.
 */
const app = new App();
const config = readDeployConfig(app);
buildLeadpipe(app, config);
Tags.of(app).add('app', 'leadpipe');

// cdk-nag v3 is a policy-validation plugin (v2 was an Aspect): an unacknowledged finding fails the synth.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
