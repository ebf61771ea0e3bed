/**
 * Which table (and secrets) the CLI works on, and the environment that points the shared SDK
 * clients at it. Resolution order:
 *
 * 1. `--stack <name>`: a deployed stack. Its CloudFormation outputs `TableName` and `AppSecretsArn`
 *    become TABLE_NAME and APP_SECRETS_ARN; credentials and region come from the usual AWS
 *    environment (AWS_PROFILE, AWS_REGION, ...). The data stack (LeadpipeDataStack) holds both.
 * 2. `--local-state <file>` (hidden, for tests): a discovery file written like `npm start` writes one.
 * 3. `LEADPIPE_TABLE_NAME` in the environment: AWS without CloudFormation; secrets from
 *    APP_SECRETS_ARN (or LEADPIPE_SIGNING_KEY + LEADPIPE_INGEST_SECRET).
 * 4. The running local stack: `.leadpipe/local-stack.json` in the repository, written by `npm start`
 *    with the exact environment its functions run with; the pid in it must be alive.
 *
 * The environment must be applied (applyTarget) BEFORE any module that creates an SDK client is
 * imported: the shared DynamoDB client reads its endpoint from the environment when it is created.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { CliError } from './cli-error';

export const REPO_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const DEFAULT_LOCAL_STATE = join(REPO_ROOT, '.leadpipe', 'local-stack.json');

export const NO_TARGET_MESSAGE = 'No running local stack: start it with npm start, or pass --stack <name>';

/** The CloudFormation outputs the CLI reads from `--stack <name>`. */
export const STACK_OUTPUTS = { tableName: 'TableName', appSecretsArn: 'AppSecretsArn' } as const;

export interface Target {
  kind: 'local' | 'aws';
  tableName: string;
  /** for messages: "local stack at http://localhost:3000", "stack LeadpipeDataStack", ... */
  description: string;
  /** variables to put into process.env before SDK clients are created */
  environment: Record<string, string>;
}

export interface TargetOptions {
  stack?: string;
  localState?: string;
  env?: NodeJS.ProcessEnv;
  /** where to look for the default discovery file */
  defaultLocalState?: string;
  /** injectable for tests: reads the outputs of a CloudFormation stack */
  readStackOutputs?: (stackName: string) => Promise<Record<string, string>>;
}

const discoverySchema = z.object({
  url: z.string(),
  pid: z.int().positive(),
  environment: z
    .record(z.string(), z.string())
    .refine((env) => typeof env.TABLE_NAME === 'string' && env.TABLE_NAME !== '', 'environment.TABLE_NAME is missing'),
});

export async function resolveTarget(options: TargetOptions = {}): Promise<Target> {
  const env = options.env ?? process.env;
  if (options.stack !== undefined && options.localState !== undefined) throw new CliError('Pass either --stack or --local-state, not both');
  if (options.stack !== undefined) {
    if (options.stack.trim() === '') throw new CliError('--stack needs a stack name');
    const outputs = await (options.readStackOutputs ?? describeStackOutputs)(options.stack);
    return targetFromStackOutputs(options.stack, outputs);
  }
  if (options.localState !== undefined) return readLocalState(options.localState, { required: true });
  const tableName = env.LEADPIPE_TABLE_NAME?.trim();
  if (tableName) {
    return { kind: 'aws', tableName, description: `table ${tableName} (LEADPIPE_TABLE_NAME)`, environment: { TABLE_NAME: tableName } };
  }
  return readLocalState(options.defaultLocalState ?? DEFAULT_LOCAL_STATE, { required: false });
}

/** Points this process at the target: from here on, newly created SDK clients use its endpoints. */
export function applyTarget(target: Target, env: NodeJS.ProcessEnv = process.env): void {
  Object.assign(env, target.environment);
}

export function readLocalState(file: string, options: { required: boolean }): Target {
  if (!existsSync(file)) {
    throw new CliError(options.required ? `${NO_TARGET_MESSAGE} (no discovery file at ${file})` : NO_TARGET_MESSAGE);
  }
  let parsed: z.infer<typeof discoverySchema>;
  try {
    parsed = discoverySchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch (error) {
    const reason =
      error instanceof z.ZodError
        ? error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ')
        : (error as Error).message;
    throw new CliError(`${NO_TARGET_MESSAGE} (${file} is unreadable: ${reason})`);
  }
  if (!isAlive(parsed.pid)) {
    throw new CliError(`${NO_TARGET_MESSAGE} (${file} is stale: process ${parsed.pid} is not running)`);
  }
  return {
    kind: 'local',
    tableName: parsed.environment.TABLE_NAME!,
    description: `local stack at ${parsed.url}`,
    environment: parsed.environment,
  };
}

export function targetFromStackOutputs(stackName: string, outputs: Record<string, string>): Target {
  const tableName = findOutput(outputs, STACK_OUTPUTS.tableName);
  const secretsArn = findOutput(outputs, STACK_OUTPUTS.appSecretsArn);
  const missing = [tableName ? undefined : STACK_OUTPUTS.tableName, secretsArn ? undefined : STACK_OUTPUTS.appSecretsArn].filter(Boolean);
  if (missing.length > 0) {
    throw new CliError(
      `Stack ${stackName} has no output ${missing.join(' or ')} (it has: ${Object.keys(outputs).join(', ') || 'no outputs'}); ` +
        `pass the stack that holds the lead table, or set LEADPIPE_TABLE_NAME and APP_SECRETS_ARN`,
    );
  }
  return {
    kind: 'aws',
    tableName: tableName!,
    description: `stack ${stackName}`,
    environment: { TABLE_NAME: tableName!, APP_SECRETS_ARN: secretsArn! },
  };
}

/**
 * An output by its key; CDK suffixes the logical id of an output declared inside a construct with a
 * hash (LeadStoreTableName1A2B3C4D), so a unique key of that shape is accepted too.
 */
function findOutput(outputs: Record<string, string>, name: string): string | undefined {
  if (outputs[name]) return outputs[name];
  const candidates = Object.keys(outputs).filter((key) => new RegExp(`${name}[0-9A-F]{8}$`).test(key));
  return candidates.length === 1 ? outputs[candidates[0]!] : undefined;
}

async function describeStackOutputs(stackName: string): Promise<Record<string, string>> {
  const { CloudFormationClient, DescribeStacksCommand } = await import('@aws-sdk/client-cloudformation');
  const client = new CloudFormationClient({});
  try {
    const response = await client.send(new DescribeStacksCommand({ StackName: stackName }));
    const stack = response.Stacks?.[0];
    if (!stack) throw new CliError(`No CloudFormation stack ${stackName}`);
    return Object.fromEntries(
      (stack.Outputs ?? []).filter((o) => o.OutputKey && o.OutputValue !== undefined).map((o) => [o.OutputKey!, o.OutputValue!]),
    );
  } catch (error) {
    if (error instanceof CliError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    const region = await client.config.region().catch(() => 'unknown region');
    throw new CliError(`Cannot read CloudFormation stack ${stackName} in ${region}: ${message}`);
  } finally {
    client.destroy();
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
