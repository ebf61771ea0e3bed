import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack, type CfnResource } from 'aws-cdk-lib';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { CaptureApi } from '../../infra/constructs/capture-api';
import { SES_PUBLISHED_EVENTS } from '../../infra/constructs/email-sending';
import { CRM_EVENTS, TARGET_MAX_EVENT_AGE, TARGET_RETRY_ATTEMPTS, toEventPattern } from '../../infra/constructs/event-routing';
import {
  BOUNCE_RATE_THRESHOLD,
  BUSINESS_METRICS,
  COMPLAINT_RATE_THRESHOLD,
  RELAY_ITERATOR_AGE_THRESHOLD,
} from '../../infra/constructs/observability';
import { pascalCase } from '../../infra/naming';
import { SES_CONFIGURATION_SETS } from '../../shared/email/configuration-sets';
import { BUSINESS_METRICS as EMITTED_METRICS } from '../../shared/observability/metrics';
import { leadTableDefinition } from '../../shared/storage/table-design';
import {
  BUS_FORWARDS,
  EVENT_RULES,
  FUNCTIONS,
  HTTP_ROUTES,
  SCHEDULES,
  STREAM_RELAYS,
  type Binding,
  type BusForward,
  type EventRule,
  type FunctionDeclaration,
  type FunctionName,
  type HttpRoute,
  type Schedule,
  type StreamRelay,
} from '../../shared/wiring/app-wiring';
import { synthLeadpipe, SYNTH_TIMEOUT_MS, type SynthResult } from './synth-app';

// The wiring tables, typed as their interfaces: other engineers add entries, the tests follow.
const functions = Object.entries(FUNCTIONS) as Array<[FunctionName, FunctionDeclaration]>;
const routes = HTTP_ROUTES as readonly HttpRoute[];
const eventRules = EVENT_RULES as readonly EventRule[];
const forwards = BUS_FORWARDS as readonly BusForward[];
const relays = STREAM_RELAYS as readonly StreamRelay[];
const schedules = SCHEDULES as readonly Schedule[];

type Json = Record<string, any>;
interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Json;
}

let synth: SynthResult;
let resources: Record<string, Json>;
let dataResources: Record<string, Json>;

/** Synthesised once for the whole file: bundling every function takes seconds. */
beforeAll(() => {
  synth = synthLeadpipe();
  resources = synth.appTemplate.toJSON().Resources;
  dataResources = synth.dataTemplate.toJSON().Resources;
}, SYNTH_TIMEOUT_MS);

function logicalId(construct: { node: { defaultChild?: unknown } } | CfnResource): string {
  const cfn = ('cfnResourceType' in construct ? construct : construct.node.defaultChild) as CfnResource;
  return Stack.of(cfn).getLogicalId(cfn);
}
const functionId = (name: FunctionName) => logicalId(synth.app.functions.get(name));
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const actionsOf = (statements: Statement[]) => statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));

/** Every Allow statement in the inline policies attached to the function's role. */
function statementsOf(name: FunctionName): Statement[] {
  const roleId = resources[functionId(name)]!.Properties.Role['Fn::GetAtt'][0] as string;
  return ofType('AWS::IAM::Policy')
    .filter(([, policy]) => (policy.Properties.Roles as Json[]).some((role) => role.Ref === roleId))
    .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Statement[]);
}

function ruleFor(id: string): Json {
  const rule = Object.entries(resources).find(
    ([key, r]) =>
      r.Type === 'AWS::Events::Rule' && key.startsWith(`Routing${id}`) && /^[0-9A-F]{8}$/.test(key.slice(`Routing${id}`.length)),
  );
  expect(rule, `rule Routing${id}`).toBeDefined();
  return rule![1];
}

/** The declared pattern as JSON (drops readonly/const-ness, exactly what EventBridge receives). */
const asJson = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

describe('functions', () => {
  it('creates one Lambda per FUNCTIONS entry (plus only the CDK-internal BucketDeployment handler in each stack)', () => {
    // Prepare
    const lambdas = ofType('AWS::Lambda::Function');
    const dataLambdas = Object.entries(dataResources).filter(([, r]) => r.Type === 'AWS::Lambda::Function');

    // Act
    const expectedIds = functions.map(([name]) => functionId(name)).sort();

    // Assess
    // the console's BucketDeployment handler (the CDK singleton) is the app stack's only other function
    const appFunctionIds = lambdas.map(([id]) => id).filter((id) => !/^CustomCDKBucketDeployment/.test(id));
    expect(appFunctionIds.sort()).toEqual(expectedIds);
    expect(lambdas.length - appFunctionIds.length).toBe(1);
    expect(dataLambdas).toHaveLength(1);
    expect(dataLambdas[0]![0]).toMatch(/^CustomCDKBucketDeployment/);
    // explicit log groups: no CDK LogRetention custom-resource function anywhere
    expect(ofType('Custom::LogRetention')).toHaveLength(0);
  });

  it.each(functions)(
    '%s: nodejs22.x or newer, arm64, traced, sized from its declaration, with the common environment',
    (name, declaration) => {
      // Prepare
      const fn = resources[functionId(name)]!.Properties;

      // Act
      const nodeMajor = Number(/^nodejs(\d+)\.x$/.exec(fn.Runtime)?.[1]);

      // Assess
      expect(nodeMajor).toBeGreaterThanOrEqual(22);
      expect(fn.Architectures).toEqual(['arm64']);
      expect(fn.TracingConfig).toEqual({ Mode: 'Active' });
      expect(fn.MemorySize).toBe(declaration.memoryMb ?? 512);
      expect(fn.Timeout).toBe(declaration.timeoutSeconds ?? 10);
      expect(fn.Description).toBe(declaration.description);
      expect(fn.LoggingConfig.LogGroup.Ref).toBeDefined();
      expect(fn.Environment.Variables).toMatchObject({
        NODE_OPTIONS: '--enable-source-maps',
        THANK_YOU_URL: synth.config.thankYouUrl,
        ALLOWED_ORIGINS: synth.config.allowedOrigins.join(','),
        REDIRECT_ALLOWED_ORIGINS: synth.config.redirectOrigins.join(','),
        SALES_RECIPIENTS: synth.config.salesRecipients.join(','),
        IMPRINT: synth.config.imprint,
        POWERTOOLS_SERVICE_NAME: 'leadpipe',
        POWERTOOLS_METRICS_NAMESPACE: 'leadpipe',
        POWERTOOLS_LOG_LEVEL: 'INFO',
      });
      expect(fn.Environment.Variables.PUBLIC_BASE_URL).toEqual({ 'Fn::GetAtt': [logicalId(synth.app.api.httpApi), 'ApiEndpoint'] });
    },
  );

  it.each(functions)('%s: the bundle is ESM with the require banner and carries content/', (name) => {
    // Prepare
    // the code asset is staged in the cloud assembly as asset.<hash>, uploaded as <hash>.zip
    const s3Key = resources[functionId(name)]!.Properties.Code.S3Key as string;
    const bundleDir = join(synth.cdkApp.outdir, `asset.${s3Key.replace(/\.zip$/, '')}`);

    // Act
    const bundle = readFileSync(join(bundleDir, 'index.mjs'), 'utf8');

    // Assess
    expect(bundle.startsWith("import { createRequire } from 'module'; const require = createRequire(import.meta.url);")).toBe(true);
    expect(existsSync(join(bundleDir, 'index.mjs.map'))).toBe(true);
    expect(existsSync(join(bundleDir, 'content', 'emails', '_layout'))).toBe(true);
  });
});

describe('bindings: environment variable and least grant together', () => {
  const has = (declaration: FunctionDeclaration, binding: Binding) => (declaration.bindings as readonly Binding[]).includes(binding);

  it.each(functions)('%s gets exactly the variables of its bindings', (name, declaration) => {
    // Prepare
    const variables = resources[functionId(name)]!.Properties.Environment.Variables as Json;

    // Act
    const present = (key: string) => key in variables;

    // Assess
    expect(present('TABLE_NAME')).toBe(has(declaration, 'table:read') || has(declaration, 'table:write'));
    expect(present('EVENT_BUS_NAME')).toBe(has(declaration, 'bus:put'));
    expect(present('SENDER_ADDRESS')).toBe(has(declaration, 'email:send'));
    expect(present('SES_CONFIGURATION_SET')).toBe(has(declaration, 'email:send'));
    expect(present('SES_SALES_CONFIGURATION_SET')).toBe(has(declaration, 'email:send'));
    expect(present('ASSETS_BUCKET')).toBe(has(declaration, 'assets:read'));
    expect(present('APP_SECRETS_ARN')).toBe(has(declaration, 'secrets:read'));
  });

  it.each(functions)('%s is granted exactly what its bindings need', (name, declaration) => {
    // Prepare
    const statements = statementsOf(name);

    // Act
    const actions = actionsOf(statements);

    // Assess
    expect(actions.includes('ses:SendEmail')).toBe(has(declaration, 'email:send'));
    expect(actions.includes('dynamodb:GetItem') || actions.includes('dynamodb:Query')).toBe(has(declaration, 'table:read'));
    expect(actions.includes('dynamodb:PutItem') || actions.includes('dynamodb:UpdateItem')).toBe(has(declaration, 'table:write'));
    expect(actions.includes('events:PutEvents')).toBe(has(declaration, 'bus:put'));
    expect(actions.includes('s3:GetObject*')).toBe(has(declaration, 'assets:read'));
    expect(actions.includes('secretsmanager:GetSecretValue')).toBe(has(declaration, 'secrets:read'));
    // never a service-wide wildcard
    expect(actions.filter((action) => action === '*' || action.endsWith(':*'))).toEqual([]);
  });

  it('limits ses:SendEmail to the identity and the two configuration sets, from the configured sender', () => {
    // Prepare
    const senders = functions.filter(([, d]) => has(d, 'email:send'));

    // Act
    const sendStatements = senders.map(([name]) => statementsOf(name).find((s) => actionsOf([s]).includes('ses:SendEmail'))!);

    // Assess
    expect(senders.length).toBeGreaterThan(0);
    for (const statement of sendStatements) {
      const rendered = JSON.stringify(statement.Resource);
      expect(rendered).not.toContain('"*"');
      expect(rendered).toContain(':identity/');
      expect(rendered).toContain(`":configuration-set/",{"Ref":"${logicalId(synth.app.email.configurationSet)}"}`);
      expect(rendered).toContain(`":configuration-set/",{"Ref":"${logicalId(synth.app.email.salesConfigurationSet)}"}`);
      expect(statement.Condition).toEqual({ StringEquals: { 'ses:FromAddress': 'hello@leadpipe.example' } });
    }
  });

  it('a function with only table:write cannot read the table', () => {
    // Prepare
    const writeOnly = functions.filter(([, d]) => has(d, 'table:write') && !has(d, 'table:read'));

    // Act
    const readActions = writeOnly.flatMap(([name]) =>
      actionsOf(statementsOf(name)).filter((a) =>
        ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:BatchGetItem'].includes(a),
      ),
    );

    // Assess
    expect(writeOnly.length).toBeGreaterThan(0);
    expect(readActions).toEqual([]);
  });
});

describe('lead store (data stack)', () => {
  it('is the declared table: on-demand, PITR, deletion protection, TTL, stream, the four indexes, retained', () => {
    // Prepare
    const tables = Object.values(dataResources).filter((r) => r.Type === 'AWS::DynamoDB::Table');

    // Act
    const table = tables[0]!;

    // Assess
    expect(tables).toHaveLength(1);
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
    expect(table.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      DeletionProtectionEnabled: true,
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: leadTableDefinition.timeToLiveAttribute, Enabled: true },
      StreamSpecification: { StreamViewType: leadTableDefinition.streamView },
      KeySchema: [
        { AttributeName: leadTableDefinition.partitionKey, KeyType: 'HASH' },
        { AttributeName: leadTableDefinition.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: leadTableDefinition.dueIndex.name,
          KeySchema: [
            { AttributeName: leadTableDefinition.dueIndex.partitionKey, KeyType: 'HASH' },
            { AttributeName: leadTableDefinition.dueIndex.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
        ...[leadTableDefinition.recentIndex, leadTableDefinition.salesQueueIndex, leadTableDefinition.subscriberIndex].map((index) => ({
          IndexName: index.name,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.nonKeyAttributes] },
        })),
      ],
    });
  });

  it('keeps the assets in a private, encrypted, versioned, logged bucket that only accepts TLS', () => {
    // Prepare
    const buckets = Object.entries(dataResources).filter(([, r]) => r.Type === 'AWS::S3::Bucket');
    const assets = buckets.find(([id]) => id.includes('AssetsBucket'))![1];

    // Act
    const policies = Object.values(dataResources).filter((r) => r.Type === 'AWS::S3::BucketPolicy');

    // Assess
    expect(assets.DeletionPolicy).toBe('Retain');
    expect(assets.Properties).toMatchObject({
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LoggingConfiguration: { DestinationBucketName: expect.anything() },
    });
    expect(policies).toHaveLength(buckets.length);
    for (const policy of policies) {
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
    expect(Object.values(dataResources).filter((r) => r.Type === 'Custom::CDKBucketDeployment')).toHaveLength(1);
  });

  it('generates the app secret as { signingKey, ingestSecret } and retains it', () => {
    // Prepare
    const secrets = Object.entries(dataResources).filter(([, r]) => r.Type === 'AWS::SecretsManager::Secret');

    // Act
    const appSecret = secrets.find(([id]) => id.includes('AppSecrets'))![1];
    const generate = appSecret.Properties.GenerateSecretString;

    // Assess
    expect(secrets.every(([, r]) => r.DeletionPolicy === 'Retain')).toBe(true);
    expect(generate.GenerateStringKey).toBe('ingestSecret');
    expect(JSON.stringify(generate.SecretStringTemplate)).toContain('signingKey');
    expect(JSON.stringify(generate.SecretStringTemplate)).toContain('{{resolve:secretsmanager:');
  });
});

describe('HTTP API', () => {
  it('has a route for every HTTP_ROUTES entry and nothing else, no /_dev route', () => {
    // Prepare
    const routeKeys = ofType('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties.RouteKey as string);

    // Act
    const expected = routes.map((route) => `${route.method} ${route.path}`);

    // Assess
    expect(routeKeys.sort()).toEqual([...expected].sort());
    expect(routeKeys.filter((key) => key.split(' ')[1]!.startsWith('/_dev'))).toEqual([]);
  });

  it('uses one integration per function, shared by its routes', () => {
    // Prepare
    const integrations = ofType('AWS::ApiGatewayV2::Integration');

    // Act
    const routedFunctions = new Set(routes.map((route) => route.function));

    // Assess
    expect(integrations).toHaveLength(routedFunctions.size);
  });

  it('answers CORS preflight for the configured origins with the shared policy', () => {
    // Prepare
    const api = ofType('AWS::ApiGatewayV2::Api')[0]![1];

    // Act
    const cors = api.Properties.CorsConfiguration;

    // Assess
    expect(cors).toEqual({
      AllowOrigins: synth.config.allowedOrigins,
      AllowMethods: ['GET', 'POST', 'OPTIONS'],
      AllowHeaders: ['content-type', 'accept', 'accept-language'],
      MaxAge: 600,
    });
  });

  it('throttles the default stage and writes JSON access logs', () => {
    // Prepare
    const stage = ofType('AWS::ApiGatewayV2::Stage')[0]![1].Properties;

    // Act
    const format = JSON.parse(stage.AccessLogSettings.Format as string) as Json;

    // Assess
    expect(stage.StageName).toBe('$default');
    expect(stage.DefaultRouteSettings).toEqual({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 });
    expect(stage.AccessLogSettings.DestinationArn['Fn::GetAtt'][1]).toBe('Arn');
    expect(format).toMatchObject({ requestId: '$context.requestId', routeKey: '$context.routeKey', status: '$context.status' });
    expect(JSON.stringify(format)).not.toContain('sourceIp');
  });

  it('refuses to deploy a /_dev route', () => {
    // Prepare
    const stack = new Stack(new App(), 'Guard');
    const api = new CaptureApi(stack, 'Api', {
      allowedOrigins: ['https://a.example'],
      throttling: { rateLimit: 1, burstLimit: 1 },
      logRetention: 1,
    });
    const fn = LambdaFunction.fromFunctionArn(stack, 'Fn', 'arn:aws:lambda:eu-central-1:123456789012:function:x');

    // Act
    const addDevRoute = () => api.addRoutes([{ method: 'POST', path: '/_dev/tick', function: 'capture-form' }], () => fn);

    // Assess
    expect(addDevRoute).toThrow(/\/_dev/);
  });
});

describe('event routing', () => {
  it('has the app bus and its archive', () => {
    // Prepare
    const buses = ofType('AWS::Events::EventBus');

    // Act
    const archives = ofType('AWS::Events::Archive');

    // Assess
    expect(buses).toHaveLength(1);
    expect(archives).toHaveLength(1);
    expect(archives[0]![1].Properties).toMatchObject({ SourceArn: { 'Fn::GetAtt': [buses[0]![0], 'Arn'] }, RetentionDays: 30 });
  });

  it('synthesizes the archive without a KmsKeyIdentifier (aws-cdk#37847 renders "", which some regions reject)', () => {
    // Prepare
    const [, archive] = ofType('AWS::Events::Archive')[0]!;

    // Act
    const keys = Object.keys(archive.Properties);

    // Assess
    expect(keys).not.toContain('KmsKeyIdentifier');
    expect(keys).toEqual(expect.arrayContaining(['SourceArn', 'RetentionDays', 'EventPattern']));
  });

  it("forwards only SES events of this app's lead-mail configuration set, not every SES event in the account", () => {
    // Prepare
    const forward = ruleFor(pascalCase(forwards[0]!.name)).Properties;

    // Act
    const pattern = forward.EventPattern;

    // Assess
    expect(pattern).toEqual({
      source: ['aws.ses'],
      detail: { mail: { tags: { 'ses:configuration-set': [SES_CONFIGURATION_SETS.leadMail] } } },
    });
    expect(resources[logicalId(synth.app.email.configurationSet)]!.Properties.Name).toBe(SES_CONFIGURATION_SETS.leadMail);
  });

  it('has one rule per EVENT_RULES, BUS_FORWARDS and SCHEDULES entry, plus the CRM webhook rule', () => {
    // Prepare
    const rules = ofType('AWS::Events::Rule');

    // Act
    const expected = eventRules.length + forwards.length + schedules.length + 1;

    // Assess
    expect(rules).toHaveLength(expected);
  });

  it.each(eventRules.map((rule) => [rule.name, rule] as const))(
    'rule %s: renders the declared pattern on its bus and targets its function',
    (_name, declared) => {
      // Prepare
      const rule = ruleFor(pascalCase(declared.name)).Properties;

      // Act
      const [target] = rule.Targets as Json[];

      // Assess
      expect(rule.EventPattern).toEqual(asJson(declared.pattern));
      expect(rule.EventBusName).toEqual(declared.bus === 'app' ? { Ref: logicalId(synth.app.events.bus) } : 'default');
      expect(rule.Targets).toHaveLength(1);
      expect(target!.Arn).toEqual({ 'Fn::GetAtt': [functionId(declared.target), 'Arn'] });
    },
  );

  it.each(forwards.map((forward) => [forward.name, forward] as const))(
    'forward %s: default bus to the app bus with the declared pattern',
    (_name, declared) => {
      // Prepare
      const rule = ruleFor(pascalCase(declared.name)).Properties;

      // Act
      const [target] = rule.Targets as Json[];

      // Assess
      expect(rule.EventBusName).toBe('default');
      expect(rule.EventPattern).toEqual(asJson(declared.pattern));
      expect(target!.Arn).toEqual({ 'Fn::GetAtt': [logicalId(synth.app.events.bus), 'Arn'] });
    },
  );

  it('schedules every SCHEDULES entry at its rate', () => {
    // Prepare
    const expected = schedules.map((schedule) => ({
      id: pascalCase(schedule.name),
      expression: `rate(${schedule.everyMinutes} ${schedule.everyMinutes === 1 ? 'minute' : 'minutes'})`,
      target: functionId(schedule.target),
    }));

    // Act
    const rendered = expected.map(({ id }) => ruleFor(id).Properties);

    // Assess
    rendered.forEach((rule, index) => {
      expect(rule.ScheduleExpression).toBe(expected[index]!.expression);
      expect(rule.Targets[0].Arn).toEqual({ 'Fn::GetAtt': [expected[index]!.target, 'Arn'] });
    });
  });

  it('forwards qualified, accepted and recycled leads to the CRM webhook with the declared event names', () => {
    // Prepare
    const rule = ruleFor('ForwardLeadsToCrm').Properties;

    // Act
    const destinations = ofType('AWS::Events::ApiDestination');

    // Assess
    expect(rule.EventPattern).toEqual({ source: ['leadpipe'], 'detail-type': CRM_EVENTS.map((event) => event.detailType) });
    expect(rule.EventPattern['detail-type']).toEqual(['Lead Qualified', 'Lead Product Qualified', 'Lead Accepted', 'Lead Recycled']);
    expect(destinations).toHaveLength(1);
    expect(destinations[0]![1].Properties).toMatchObject({
      InvocationEndpoint: 'https://crm.example.com/hooks/leadpipe',
      HttpMethod: 'POST',
    });
    expect(ofType('AWS::Events::Connection')[0]![1].Properties.AuthorizationType).toBe('API_KEY');
  });

  it('gives every rule target a retry policy and its own dead-letter queue', () => {
    // Prepare
    const targets = ofType('AWS::Events::Rule').flatMap(([, rule]) => rule.Properties.Targets as Json[]);

    // Act
    const dlqArns = targets.map((target) => target.DeadLetterConfig?.Arn?.['Fn::GetAtt']?.[0] as string | undefined);

    // Assess
    for (const target of targets) {
      expect(target.RetryPolicy).toEqual({
        MaximumRetryAttempts: TARGET_RETRY_ATTEMPTS,
        MaximumEventAgeInSeconds: TARGET_MAX_EVENT_AGE.toSeconds(),
      });
    }
    expect(dlqArns.every((id) => id !== undefined && resources[id]?.Type === 'AWS::SQS::Queue')).toBe(true);
    expect(new Set(dlqArns).size).toBe(targets.length);
  });

  it('parks failed asynchronous invocations of every rule target in an on-failure queue', () => {
    // Prepare
    const asyncTargets = new Set([...eventRules.map((rule) => rule.target), ...schedules.map((schedule) => schedule.target)]);

    // Act
    const configs = ofType('AWS::Lambda::EventInvokeConfig').map(([, config]) => config.Properties);

    // Assess
    expect(configs).toHaveLength(asyncTargets.size);
    for (const name of asyncTargets) {
      const config = configs.find((c) => c.FunctionName.Ref === functionId(name));
      expect(config, name).toMatchObject({ MaximumRetryAttempts: 2, DestinationConfig: { OnFailure: { Destination: expect.anything() } } });
    }
  });

  it.each(relays.map((relay) => [relay.function, relay] as const))(
    'stream relay %s: filtered, batched, reports item failures, dead-letters',
    (name, relay) => {
      // Prepare
      const mappings = ofType('AWS::Lambda::EventSourceMapping').map(([, m]) => m.Properties);

      // Act
      const mapping = mappings.find((m) => m.FunctionName.Ref === functionId(name))!;

      // Assess
      expect(mapping).toBeDefined();
      expect(mapping.FilterCriteria.Filters.map((filter: Json) => JSON.parse(filter.Pattern as string))).toEqual([asJson(relay.filter)]);
      expect(mapping).toMatchObject({
        BatchSize: relay.batchSize,
        StartingPosition: 'TRIM_HORIZON',
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: expect.any(Number),
      });
      const destination = mapping.DestinationConfig.OnFailure.Destination['Fn::GetAtt'][0] as string;
      expect(resources[destination]!.Type).toBe('AWS::SQS::Queue');
      expect(JSON.stringify(mapping.EventSourceArn)).toContain('StreamArn');
    },
  );

  it('converts raw pattern keys and rejects keys EventBridge does not have', () => {
    // Prepare
    const raw = { source: ['a'], 'detail-type': ['b'], detail: { x: [1] } };

    // Act
    const pattern = toEventPattern(raw);

    // Assess
    expect(pattern).toEqual({ source: ['a'], detailType: ['b'], detail: { x: [1] } });
    expect(() => toEventPattern({ detail_type: ['b'] })).toThrow(/unsupported top-level key "detail_type"/);
  });

  it('encrypts every queue (dead-letter and work queues) and refuses plain HTTP', () => {
    // Prepare
    const queues = ofType('AWS::SQS::Queue');

    // Act
    const policies = ofType('AWS::SQS::QueuePolicy').map(([, p]) => p.Properties);

    // Assess
    for (const [id, queue] of queues) {
      expect(queue.Properties.SqsManagedSseEnabled, id).toBe(true);
      expect(queue.Properties.MessageRetentionPeriod, id).toBe(14 * 24 * 3600);
      const policy = policies.find((p) => (p.Queues as Json[]).some((q) => q.Ref === id));
      expect(policy?.PolicyDocument.Statement, id).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
  });
});

describe('email sending', () => {
  const setNamed = (name: string) => ofType('AWS::SES::ConfigurationSet').find(([, set]) => set.Properties.Name === name);

  it('has a tracked lead-mail set that suppresses bounces and complaints, and an untracked sales-mail set', () => {
    // Prepare
    const sets = ofType('AWS::SES::ConfigurationSet');

    // Act
    const lead = setNamed(SES_CONFIGURATION_SETS.leadMail)?.[1].Properties;
    const sales = setNamed(SES_CONFIGURATION_SETS.salesMail)?.[1].Properties;

    // Assess
    expect(sets).toHaveLength(2);
    expect(lead).toMatchObject({
      ReputationOptions: { ReputationMetricsEnabled: true },
      SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
    });
    expect(sales).toMatchObject({ ReputationOptions: { ReputationMetricsEnabled: true } });
  });

  it('publishes all sending events of lead mail, opens and clicks included, to the default bus', () => {
    // Prepare
    const destinations = ofType('AWS::SES::ConfigurationSetEventDestination');

    // Act
    const [, destination] = destinations[0]!;
    const events = destination.Properties.EventDestination;

    // Assess
    expect(destinations).toHaveLength(1);
    expect(destination.Properties.ConfigurationSetName).toEqual({ Ref: setNamed(SES_CONFIGURATION_SETS.leadMail)![0] });
    expect(JSON.stringify(events.EventBridgeDestination.EventBusArn)).toContain(':event-bus/default');
    expect([...events.MatchingEventTypes].sort()).toEqual([...SES_PUBLISHED_EVENTS].sort());
    expect(events.MatchingEventTypes).toEqual(expect.arrayContaining(['open', 'click']));
    expect(events.Enabled).toBe(true);
  });

  it('gives sales mail no event destination: SES adds no open/click tracking and publishes nothing about it', () => {
    // Prepare
    const [salesSetId] = setNamed(SES_CONFIGURATION_SETS.salesMail)!;

    // Act
    const salesDestinations = ofType('AWS::SES::ConfigurationSetEventDestination').filter(
      ([, destination]) => JSON.stringify(destination.Properties.ConfigurationSetName) === JSON.stringify({ Ref: salesSetId }),
    );

    // Assess
    expect(salesDestinations).toEqual([]);
  });

  it('verifies the sender domain with Easy DKIM and the tracked configuration set as default', () => {
    // Prepare
    const identities = ofType('AWS::SES::EmailIdentity');

    // Act
    const identity = identities[0]![1].Properties;

    // Assess
    expect(identities).toHaveLength(1);
    expect(identity.EmailIdentity).toBe(synth.config.senderDomain);
    expect(identity.DkimSigningAttributes).toEqual({ NextSigningKeyLength: 'RSA_2048_BIT' });
    expect(identity.ConfigurationSetAttributes.ConfigurationSetName.Ref).toBe(logicalId(synth.app.email.configurationSet));
  });
});

describe('observability', () => {
  const alarms = () => ofType('AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties);
  const dimensionRef = (alarm: Json, name: string) => (alarm.Dimensions as Json[] | undefined)?.find((d) => d.Name === name)?.Value;

  it('alarms on every dead-letter queue', () => {
    // Prepare: every queue but the campaign work queues (a message waiting there is normal; they alarm on age instead)
    const workQueues = new Set(synth.app.campaignQueues.workQueues.map(({ queue }) => logicalId(queue)));
    const queues = ofType('AWS::SQS::Queue')
      .map(([id]) => id)
      .filter((id) => !workQueues.has(id));

    // Act
    const watched = alarms()
      .filter(
        (a) =>
          a.MetricName === 'ApproximateNumberOfMessagesVisible' &&
          a.Threshold === 1 &&
          a.ComparisonOperator === 'GreaterThanOrEqualToThreshold',
      )
      .map((a) => dimensionRef(a, 'QueueName')['Fn::GetAtt'][0] as string);

    // Assess
    expect(watched.sort()).toEqual(queues.sort());
  });

  it.each(functions.map(([name]) => name))('alarms on errors and throttles of %s (and on the iterator age of a stream relay)', (name) => {
    // Prepare
    const id = functionId(name);
    const isRelay = relays.some((relay) => relay.function === name);

    // Act
    const mine = alarms().filter((a) => a.Namespace === 'AWS/Lambda' && dimensionRef(a, 'FunctionName')?.Ref === id);

    // Assess
    expect(mine.map((a) => a.MetricName).sort()).toEqual(isRelay ? ['Errors', 'IteratorAge', 'Throttles'] : ['Errors', 'Throttles']);
  });

  it.each(relays.map((relay) => relay.function))('alarms when the stream relay %s falls minutes behind (IteratorAge)', (name) => {
    // Prepare
    const id = functionId(name);

    // Act
    const alarm = alarms().find((a) => a.MetricName === 'IteratorAge' && dimensionRef(a, 'FunctionName')?.Ref === id);

    // Assess
    expect(alarm).toMatchObject({
      Namespace: 'AWS/Lambda',
      Statistic: 'Maximum',
      Threshold: RELAY_ITERATOR_AGE_THRESHOLD.toMilliseconds(),
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it('alarms on the first SES setup error (metric EmailSetupError with the dimension Powertools emits)', () => {
    // Prepare
    const all = alarms();

    // Act
    const alarm = all.find((a) => a.MetricName === 'EmailSetupError');

    // Assess
    expect(alarm).toMatchObject({
      Namespace: 'leadpipe',
      Statistic: 'Sum',
      Threshold: 1,
      Dimensions: [{ Name: 'service', Value: 'leadpipe' }],
    });
  });

  it('alarms on API 5xx and on SES bounce and complaint rates below the AWS review thresholds', () => {
    // Prepare
    const all = alarms();

    // Act
    const find = (metric: string) => all.find((a) => a.MetricName === metric);

    // Assess
    expect(find('5xx')).toMatchObject({ Namespace: 'AWS/ApiGateway', Threshold: 1 });
    expect(find('Reputation.BounceRate')).toMatchObject({
      Namespace: 'AWS/SES',
      Threshold: BOUNCE_RATE_THRESHOLD,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    expect(find('Reputation.ComplaintRate')).toMatchObject({
      Namespace: 'AWS/SES',
      Threshold: COMPLAINT_RATE_THRESHOLD,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  it('lets CloudWatch publish to the alarm topic for alarms of this account only, keeps the TLS deny, and outputs the ARN', () => {
    // Prepare
    const [topicId] = ofType('AWS::SNS::Topic')[0]!;
    const [, policy] = ofType('AWS::SNS::TopicPolicy').find(([, p]) => (p.Properties.Topics as Json[]).some((t) => t.Ref === topicId))!;

    // Act
    const statements = policy.Properties.PolicyDocument.Statement as Json[];
    const outputs = Object.values(synth.appTemplate.toJSON().Outputs as Record<string, Json>);

    // Assess
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    expect(statements).toContainEqual({
      Sid: 'AllowCloudWatchAlarmsOfThisAccount',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: 'sns:Publish',
      Resource: { Ref: topicId },
      Condition: {
        StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
        ArnLike: {
          'aws:SourceArn': { 'Fn::Join': ['', [`arn:aws:cloudwatch:${synth.config.region}:`, { Ref: 'AWS::AccountId' }, ':alarm:*']] },
        },
      },
    });
    expect(outputs).toContainEqual(expect.objectContaining({ Value: { Ref: topicId } }));
  });

  it('sends every alarm to the encrypted alarm topic', () => {
    // Prepare
    const [topicId, topic] = ofType('AWS::SNS::Topic')[0]!;

    // Act
    const actions = alarms().flatMap((a) => [...(a.AlarmActions as Json[]), ...(a.OKActions as Json[])]);

    // Assess
    expect(topic.Properties.KmsMasterKeyId).toBeDefined();
    expect(actions.every((action) => action.Ref === topicId)).toBe(true);
  });

  it('has a dashboard with the funnel metrics and SES bounces and complaints', () => {
    // Prepare
    const dashboards = ofType('AWS::CloudWatch::Dashboard');

    // Act
    const body = JSON.stringify(dashboards[0]![1].Properties.DashboardBody);

    // Assess
    expect(dashboards).toHaveLength(1);
    // every metric the functions can emit (shared/observability/metrics.ts) is charted
    for (const metric of EMITTED_METRICS) expect(body).toContain(`MetricName=\\\\\\"${metric}\\\\\\"`);
    expect(
      Object.values(BUSINESS_METRICS)
        .map((metric) => metric.name)
        .sort(),
    ).toEqual([...EMITTED_METRICS].sort());
    expect(body).toContain('Namespace=\\\\\\"leadpipe\\\\\\"');
    expect(body).toContain('AWS/SES');
    expect(body).toContain('Bounce');
    expect(body).toContain('Complaint');
  });
});
