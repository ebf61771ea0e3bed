import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { FunctionDeclaration, FunctionName } from '../../shared/wiring/app-wiring';
import { acknowledge, LAMBDA_BASIC_EXECUTION_POLICY } from '../nag';
import { pascalCase } from '../naming';
import { bind, type BindableResources } from './bind';

/** The newest Node.js runtime this CDK version knows (cdk-nag L1 checks exactly that). */
export const FUNCTION_RUNTIME = Runtime.NODEJS_24_X;
export const DEFAULT_MEMORY_MB = 512;
export const DEFAULT_TIMEOUT_SECONDS = 10;

/**
 * Lets esbuild's ESM output load CommonJS dependencies (handlebars, parts of the SDK) that call
 * `require`, which does not exist in an ES module.
 */
const ESM_REQUIRE_BANNER = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

export interface FunctionFactoryProps {
  declarations: Readonly<Record<FunctionName, FunctionDeclaration>>;
  resources: BindableResources;
  /** variables every function gets (public URL, origins, imprint, Powertools settings ...) */
  environment: Readonly<Record<string, string>>;
  logRetention: RetentionDays;
  /** repository root: declaration entries and content/ are relative to it */
  projectRoot: string;
}

/** Builds one NodejsFunction per FUNCTIONS entry, bound to exactly the resources it declares. */
export class FunctionFactory extends Construct {
  readonly functions: Readonly<Record<FunctionName, NodejsFunction>>;

  constructor(scope: Construct, id: string, props: FunctionFactoryProps) {
    super(scope, id);
    const entries = Object.entries(props.declarations) as Array<[FunctionName, FunctionDeclaration]>;
    this.functions = Object.fromEntries(
      entries.map(([name, declaration]) => [name, this.createFunction(name, declaration, props)]),
    ) as Record<FunctionName, NodejsFunction>;
  }

  /** The function of a name used in a wiring table; a typo in a table fails the synth here. */
  get(name: FunctionName): NodejsFunction {
    const fn = this.functions[name];
    if (!fn) throw new Error(`app-wiring: no function named "${name}" in FUNCTIONS`);
    return fn;
  }

  private createFunction(name: FunctionName, declaration: FunctionDeclaration, props: FunctionFactoryProps): NodejsFunction {
    const id = pascalCase(name);
    const contentDir = join(props.projectRoot, 'content');
    const logGroup = new LogGroup(this, `${id}Logs`, { retention: props.logRetention });

    const fn = new NodejsFunction(this, id, {
      description: declaration.description,
      entry: join(props.projectRoot, declaration.entry),
      handler: 'handler',
      projectRoot: props.projectRoot,
      depsLockFilePath: join(props.projectRoot, 'package-lock.json'),
      runtime: FUNCTION_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: declaration.memoryMb ?? DEFAULT_MEMORY_MB,
      timeout: Duration.seconds(declaration.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS),
      tracing: Tracing.ACTIVE,
      logGroup,
      environment: { ...props.environment, NODE_OPTIONS: '--enable-source-maps' },
      bundling: {
        // bundle with the local esbuild: synth must work offline, without Docker
        forceDockerBundling: false,
        minify: true,
        sourceMap: true,
        // Stack traces need the mappings, not the sources: a map without them parses faster at cold start.
        sourcesContent: false,
        format: OutputFormat.ESM,
        banner: ESM_REQUIRE_BANNER,
        mainFields: ['module', 'main'],
        // bundle the AWS SDK too: the versions in package-lock.json are the ones tested, not the runtime's
        externalModules: [],
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          // email templates are read from LAMBDA_TASK_ROOT/content at run time
          afterBundling: (_inputDir: string, outputDir: string) => [
            `cp -r ${shellQuote(contentDir)} ${shellQuote(join(outputDir, 'content'))}`,
          ],
        },
      },
    });

    bind(fn, declaration.bindings, props.resources);

    const role = fn.role!;
    acknowledge(
      role,
      `AwsSolutions-IAM4[${LAMBDA_BASIC_EXECUTION_POLICY}]`,
      "AWSLambdaBasicExecutionRole only allows writing the function's own CloudWatch logs; AWS maintains it.",
    );
    acknowledge(
      role,
      'AwsSolutions-IAM5[Resource::*]',
      'xray:PutTraceSegments and xray:PutTelemetryRecords (active tracing) do not support resource-level permissions.',
    );
    return fn;
  }
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
