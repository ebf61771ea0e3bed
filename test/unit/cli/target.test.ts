import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CliError } from '../../../cli/cli-error';
import { applyTarget, NO_TARGET_MESSAGE, resolveTarget, targetFromStackOutputs } from '../../../cli/target';

describe('resolveTarget', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'leadpipe-target-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const writeState = (state: unknown) => {
    const file = join(dir, 'local-stack.json');
    writeFileSync(file, JSON.stringify(state));
    return file;
  };

  it('uses the running local stack from the discovery file, with its whole environment', async () => {
    // Prepare
    const environment = {
      TABLE_NAME: 'leadpipe-local',
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:1234',
      LEADPIPE_SIGNING_KEY: 'k'.repeat(20),
    };
    const file = writeState({ url: 'http://localhost:3000', pid: process.pid, environment });
    const env: NodeJS.ProcessEnv = {};

    // Act
    const target = await resolveTarget({ env, defaultLocalState: file });
    applyTarget(target, env);

    // Assess
    expect(target).toMatchObject({ kind: 'local', tableName: 'leadpipe-local', description: 'local stack at http://localhost:3000' });
    expect(env).toEqual(environment);
  });

  it('says how to start a stack when there is no discovery file', async () => {
    // Act
    const resolving = resolveTarget({ env: {}, defaultLocalState: join(dir, 'missing.json') });

    // Assess
    await expect(resolving).rejects.toThrow(CliError);
    await expect(resolveTarget({ env: {}, defaultLocalState: join(dir, 'missing.json') })).rejects.toThrow(NO_TARGET_MESSAGE);
  });

  it('treats a discovery file whose process is gone as no stack', async () => {
    // Prepare: a pid far above any pid_max
    const file = writeState({ url: 'http://localhost:3000', pid: 2 ** 30, environment: { TABLE_NAME: 't' } });

    // Act
    const resolving = resolveTarget({ env: {}, defaultLocalState: file });

    // Assess
    await expect(resolving).rejects.toThrow(
      /No running local stack: start it with npm start, or pass --stack <name> \(.*is stale: process 1073741824 is not running\)/,
    );
  });

  it('rejects a discovery file without a table name', async () => {
    // Prepare
    const file = writeState({ url: 'http://localhost:3000', pid: process.pid, environment: {} });

    // Act
    const resolving = resolveTarget({ env: {}, localState: file });

    // Assess
    await expect(resolving).rejects.toThrow(/environment\.TABLE_NAME is missing/);
  });

  it('prefers LEADPIPE_TABLE_NAME over the local discovery file', async () => {
    // Prepare
    const file = writeState({ url: 'http://localhost:3000', pid: process.pid, environment: { TABLE_NAME: 'local' } });

    // Act
    const target = await resolveTarget({ env: { LEADPIPE_TABLE_NAME: 'prod-leads' }, defaultLocalState: file });

    // Assess
    expect(target).toMatchObject({ kind: 'aws', tableName: 'prod-leads', environment: { TABLE_NAME: 'prod-leads' } });
  });

  it('reads TableName and AppSecretsArn from the outputs of --stack', async () => {
    // Prepare
    const outputs = {
      TableName: 'LeadpipeDataStack-Table-1',
      AppSecretsArn: 'arn:aws:secretsmanager:eu-central-1:1:secret:app',
      Other: 'x',
    };

    // Act
    const target = await resolveTarget({ stack: 'LeadpipeDataStack', env: {}, readStackOutputs: async () => outputs });

    // Assess
    expect(target).toEqual({
      kind: 'aws',
      tableName: 'LeadpipeDataStack-Table-1',
      description: 'stack LeadpipeDataStack',
      environment: { TABLE_NAME: 'LeadpipeDataStack-Table-1', APP_SECRETS_ARN: 'arn:aws:secretsmanager:eu-central-1:1:secret:app' },
    });
  });

  it('accepts CDK-suffixed output keys and names missing outputs', () => {
    // Act
    const suffixed = targetFromStackOutputs('S', { LeadStoreTableName1A2B3C4D: 't', LeadStoreAppSecretsArnDEADBEEF: 'arn' });
    const missing = () => targetFromStackOutputs('S', { PublicBaseUrl: 'https://x' });

    // Assess
    expect(suffixed.environment).toEqual({ TABLE_NAME: 't', APP_SECRETS_ARN: 'arn' });
    expect(missing).toThrow('Stack S has no output TableName or AppSecretsArn (it has: PublicBaseUrl)');
  });

  it('refuses --stack together with --local-state', async () => {
    // Act
    const resolving = resolveTarget({ stack: 's', localState: 'f', env: {} });

    // Assess
    await expect(resolving).rejects.toThrow('Pass either --stack or --local-state, not both');
  });
});
