import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CachePolicy, OriginRequestPolicy } from 'aws-cdk-lib/aws-cloudfront';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { CaptureApi } from '../../infra/constructs/capture-api';
import { ConsoleAuth, cognitoHostedUiUrl } from '../../infra/constructs/console-auth';
import { CONSOLE_API_PATH_PATTERN, ConsoleHosting } from '../../infra/constructs/console-hosting';
import { REPO_ROOT } from '../../infra/naming';
import { acknowledge, LAMBDA_BASIC_EXECUTION_POLICY } from '../../infra/nag';
import { CONSOLE_GROUPS } from '../../shared/console/console-config';
import { HTTP_ROUTES, type HttpRoute } from '../../shared/wiring/app-wiring';
import { cdkJsonContext } from './synth-app';

/**
 * The console's AWS side, built the way LeadpipeStack builds it (CaptureApi, ConsoleHosting, ConsoleAuth, then every
 * HTTP_ROUTES entry through CaptureApi.addRoutes) around one stand-in function: the route table and the constructs
 * are the real ones, without bundling thirty functions. Whole-app synthesis and nag are cdk-nag.test.ts's.
 */
const routes = HTTP_ROUTES as readonly HttpRoute[];
const REGION = 'eu-central-1';
const PREFIX = 'leadpipe-test-example';
const HOSTED_UI = `https://${PREFIX}.auth.${REGION}.amazoncognito.com`;

type Json = Record<string, any>;

interface ConsoleStack {
  stack: Stack;
  template: Template;
  resources: Record<string, Json>;
}

function buildConsoleStack(options: { bundle?: boolean; apiCustomDomain?: string; routes?: readonly HttpRoute[] } = {}): ConsoleStack {
  const { leadpipe: _config, ...featureFlags } = cdkJsonContext();
  const app = new App({ context: { ...featureFlags, ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }) } });
  const stack = new Stack(app, 'ConsoleTest', { env: { region: REGION } });
  const api = new CaptureApi(stack, 'CaptureApi', {
    allowedOrigins: ['https://www.leadpipe.example'],
    throttling: { rateLimit: 50, burstLimit: 100 },
    logRetention: RetentionDays.ONE_MONTH,
  });
  const hosting = new ConsoleHosting(stack, 'Console', {
    httpApi: api.httpApi,
    apiCustomDomain: options.apiCustomDomain,
    signInOrigin: cognitoHostedUiUrl(PREFIX, REGION),
    consoleDir: join(REPO_ROOT, 'console'),
    projectRoot: REPO_ROOT,
    logRetentionDays: 30,
  });
  const auth = new ConsoleAuth(stack, 'ConsoleAuth', { domainPrefix: PREFIX, consoleUrl: hosting.url });
  hosting.publish({
    apiBaseUrl: '',
    auth: { kind: 'cognito', domain: auth.hostedUiUrl, clientId: auth.client.userPoolClientId, redirectUri: hosting.url },
  });
  const fn = new LambdaFunction(stack, 'StandIn', { runtime: Runtime.NODEJS_24_X, handler: 'index.handler', code: Code.fromInline('0') });
  acknowledge(fn.role!, `AwsSolutions-IAM4[${LAMBDA_BASIC_EXECUTION_POLICY}]`, 'the test stand-in for the app functions');
  api.addRoutes(options.routes ?? routes, () => fn, { console: auth.authorizer });
  const template = Template.fromStack(stack);
  return { stack, template, resources: template.toJSON().Resources };
}

let built: ConsoleStack;
beforeAll(() => {
  built = buildConsoleStack();
});

const ofType = (type: string): Array<[string, Json]> => Object.entries(built.resources).filter(([, r]) => r.Type === type);
const only = (type: string): [string, Json] => {
  const found = ofType(type);
  expect(found, type).toHaveLength(1);
  return found[0]!;
};
const logicalIdOf = (type: string) => only(type)[0];

describe('console user pool', () => {
  it('lets only an admin create users, who sign in by email', () => {
    const pool = only('AWS::Cognito::UserPool')[1].Properties;
    expect(pool.AdminCreateUserConfig.AllowAdminCreateUserOnly).toBe(true);
    expect(pool.UsernameAttributes).toEqual(['email']);
    expect(pool.AutoVerifiedAttributes).toEqual(['email']);
  });

  it('requires a strong password and a TOTP second factor', () => {
    const pool = only('AWS::Cognito::UserPool')[1].Properties;
    expect(pool.Policies.PasswordPolicy).toMatchObject({
      MinimumLength: 12,
      RequireLowercase: true,
      RequireUppercase: true,
      RequireNumbers: true,
      RequireSymbols: true,
    });
    expect(pool.MfaConfiguration).toBe('ON');
    expect(pool.EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
  });

  it('has exactly the groups marketing, sales and admin', () => {
    const groups = ofType('AWS::Cognito::UserPoolGroup').map(([, group]) => group.Properties);
    expect(groups.map((group) => group.GroupName).sort()).toEqual([...CONSOLE_GROUPS].sort());
    for (const group of groups) expect(group.UserPoolId).toEqual({ Ref: logicalIdOf('AWS::Cognito::UserPool') });
  });

  it('has the hosted-UI domain of the configured prefix', () => {
    expect(only('AWS::Cognito::UserPoolDomain')[1].Properties.Domain).toBe(PREFIX);
  });

  it('has a public app client: authorization code only, openid email profile, returning to the console URL', () => {
    const client = only('AWS::Cognito::UserPoolClient')[1].Properties;
    expect(client.GenerateSecret).toBe(false);
    expect(client.AllowedOAuthFlows).toEqual(['code']);
    expect(client.AllowedOAuthFlowsUserPoolClient).toBe(true);
    expect([...client.AllowedOAuthScopes].sort()).toEqual(['email', 'openid', 'profile']);
    expect(client.SupportedIdentityProviders).toEqual(['COGNITO']);
    expect(client.ExplicitAuthFlows).not.toContain('ALLOW_USER_PASSWORD_AUTH');
    const consoleUrl = {
      'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalIdOf('AWS::CloudFront::Distribution'), 'DomainName'] }, '/']],
    };
    expect(client.CallbackURLs).toEqual([consoleUrl]);
    expect(client.LogoutURLs).toEqual([consoleUrl]);
  });
});

describe('console JWT authorizer', () => {
  const consoleRoutes = routes.filter((route) => route.auth === 'console');
  const routeResource = (route: HttpRoute): Json => {
    const found = ofType('AWS::ApiGatewayV2::Route').filter(([, r]) => r.Properties.RouteKey === `${route.method} ${route.path}`);
    expect(found, `${route.method} ${route.path}`).toHaveLength(1);
    return found[0]![1];
  };

  it('checks Cognito ID tokens: the pool as issuer, the console client as audience', () => {
    const authorizer = only('AWS::ApiGatewayV2::Authorizer')[1].Properties;
    expect(authorizer.AuthorizerType).toBe('JWT');
    expect(authorizer.IdentitySource).toEqual(['$request.header.Authorization']);
    expect(authorizer.JwtConfiguration).toEqual({
      Issuer: { 'Fn::GetAtt': [logicalIdOf('AWS::Cognito::UserPool'), 'ProviderURL'] },
      Audience: [{ Ref: logicalIdOf('AWS::Cognito::UserPoolClient') }],
    });
  });

  it('the route table has console routes, all under /console/api/', () => {
    expect(consoleRoutes.length).toBeGreaterThan(0);
    for (const route of consoleRoutes) expect(route.path.startsWith('/console/api/'), route.path).toBe(true);
  });

  it.each(consoleRoutes.map((route) => [`${route.method} ${route.path}`, route] as const))('guards %s', (_key, route) => {
    const properties = routeResource(route).Properties;
    expect(properties.AuthorizationType).toBe('JWT');
    expect(properties.AuthorizerId).toEqual({ Ref: logicalIdOf('AWS::ApiGatewayV2::Authorizer') });
  });

  it.each(routes.filter((route) => route.auth === undefined).map((route) => [`${route.method} ${route.path}`, route] as const))(
    'leaves %s public',
    (_key, route) => {
      const resource = routeResource(route);
      expect(resource.Properties.AuthorizerId).toBeUndefined();
      expect(resource.Properties.AuthorizationType ?? 'NONE').toBe('NONE');
    },
  );

  it('refuses a console route when no authorizer is given, instead of deploying it public', () => {
    const stack = new Stack(new App(), 'NoAuthorizer');
    const api = new CaptureApi(stack, 'Api', {
      allowedOrigins: ['https://www.leadpipe.example'],
      throttling: { rateLimit: 1, burstLimit: 1 },
      logRetention: RetentionDays.ONE_DAY,
    });
    const fn = new LambdaFunction(stack, 'Fn', { runtime: Runtime.NODEJS_24_X, handler: 'index.handler', code: Code.fromInline('0') });
    const route: HttpRoute = { method: 'GET', path: '/console/api/leads', function: 'capture-form', auth: 'console' };
    expect(() => api.addRoutes([route], () => fn)).toThrow(/GET \/console\/api\/leads needs the console authorizer/);
  });
});

describe('console hosting', () => {
  const distribution = () => only('AWS::CloudFront::Distribution')[1].Properties.DistributionConfig;

  it('serves the bucket through CloudFront with origin access control, index.html at the root', () => {
    const config = distribution();
    const s3Origins = config.Origins.filter((origin: Json) => origin.S3OriginConfig);
    expect(s3Origins).toHaveLength(1);
    expect(s3Origins[0].OriginAccessControlId).toEqual({ 'Fn::GetAtt': [logicalIdOf('AWS::CloudFront::OriginAccessControl'), 'Id'] });
    expect(s3Origins[0].S3OriginConfig.OriginAccessIdentity).toBe('');
    expect(only('AWS::CloudFront::OriginAccessControl')[1].Properties.OriginAccessControlConfig).toMatchObject({
      OriginAccessControlOriginType: 's3',
      SigningBehavior: 'always',
    });
    expect(config.DefaultRootObject).toBe('index.html');
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(config.Logging).toBeDefined();
  });

  it('keeps the bucket private: public access blocked, TLS only, encrypted, no website hosting', () => {
    const bucketId = s3OriginBucketId();
    const bucket = built.resources[bucketId]!.Properties;
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.BucketEncryption).toBeDefined();
    expect(bucket.WebsiteConfiguration).toBeUndefined();
    expect(bucket.LoggingConfiguration).toBeDefined();
    const policy = ofType('AWS::S3::BucketPolicy').find(([, p]) => p.Properties.Bucket.Ref === bucketId)![1].Properties.PolicyDocument;
    const allows = (policy.Statement as Json[]).filter((statement) => statement.Effect === 'Allow');
    // Only CloudFront reads, and only for this distribution.
    expect(allows.length).toBeGreaterThan(0);
    for (const statement of allows) {
      expect(statement.Principal).toEqual({ Service: 'cloudfront.amazonaws.com' });
      expect(JSON.stringify(statement.Condition)).toContain(logicalIdOf('AWS::CloudFront::Distribution'));
    }
    const denies = (policy.Statement as Json[]).filter((statement) => statement.Effect === 'Deny');
    expect(denies.some((statement) => statement.Condition?.Bool?.['aws:SecureTransport'] === 'false')).toBe(true);
  });

  it(`sends ${CONSOLE_API_PATH_PATTERN} to the HttpApi uncached, with every viewer header but Host, over HTTPS`, () => {
    const config = distribution();
    const behavior = config.CacheBehaviors.find((b: Json) => b.PathPattern === CONSOLE_API_PATH_PATTERN);
    expect(behavior).toBeDefined();
    expect(behavior.CachePolicyId).toBe(CachePolicy.CACHING_DISABLED.cachePolicyId);
    expect(behavior.OriginRequestPolicyId).toBe(OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER.originRequestPolicyId);
    expect([...behavior.AllowedMethods].sort()).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']);
    expect(behavior.ViewerProtocolPolicy).toBe('https-only');
    const origin = config.Origins.find((o: Json) => o.Id === behavior.TargetOriginId);
    expect(origin.CustomOriginConfig).toMatchObject({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] });
    expect(JSON.stringify(origin.DomainName)).toContain(logicalIdOf('AWS::ApiGatewayV2::Api'));
    expect(JSON.stringify(origin.DomainName)).toContain('.execute-api.eu-central-1.');
  });

  it('goes to the API custom domain when one is configured (its execute-api endpoint is then disabled)', () => {
    const custom = buildConsoleStack({ apiCustomDomain: 'forms.leadpipe.example', routes: [] });
    const config = custom.template.toJSON().Resources;
    const dist = Object.values(config as Record<string, Json>).find((r) => r.Type === 'AWS::CloudFront::Distribution')!;
    const domains = dist.Properties.DistributionConfig.Origins.map((o: Json) => o.DomainName);
    expect(domains).toContain('forms.leadpipe.example');
  });

  it('sends a content security policy that allows the hosted UI token endpoint and nothing else foreign', () => {
    const policyId = distribution().DefaultCacheBehavior.ResponseHeadersPolicyId.Ref;
    const headers = built.resources[policyId]!.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    const csp = headers.ContentSecurityPolicy.ContentSecurityPolicy as string;
    expect(csp).toContain(`connect-src 'self' ${HOSTED_UI}`);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(headers.StrictTransportSecurity.AccessControlMaxAgeSec).toBeGreaterThanOrEqual(31_536_000);
    expect(headers.FrameOptions.FrameOption).toBe('DENY');
  });

  it('deploys config.json naming the hosted UI, the client and the console URL, and invalidates the distribution', () => {
    const [, deployment] = only('Custom::CDKBucketDeployment');
    const properties = deployment.Properties;
    expect(properties.DestinationBucketName).toEqual({ Ref: s3OriginBucketId() });
    expect(properties.DistributionId).toEqual({ Ref: logicalIdOf('AWS::CloudFront::Distribution') });
    expect(properties.DistributionPaths).toEqual(['/*']);
    // Source.jsonData: the values only known at deploy time travel as markers next to the sources.
    const markers = JSON.stringify(properties.SourceMarkers);
    expect(markers).toContain(logicalIdOf('AWS::Cognito::UserPoolClient'));
    expect(markers).toContain(logicalIdOf('AWS::CloudFront::Distribution'));
    expect(properties.SourceObjectKeys).toHaveLength(2);
  });
});

describe('console cdk-nag', () => {
  it('has no unacknowledged AwsSolutions finding', () => {
    const violations = new AwsSolutionsChecks()
      .validateScope(built.stack)
      .violations.map((violation) => `${violation.ruleName} ${violation.violatingResources.map((r) => r.constructPath).join(', ')}`);
    expect(violations).toEqual([]);
  });
});

describe('console build', () => {
  it('is built with vite during a bundling synth: index.html and its assets, config.json only from the deployment', () => {
    // Prepare
    const bundled = buildConsoleStack({ bundle: true, routes: [] });
    const outdir = (bundled.stack.node.root as App).outdir;

    // Act: the staged directory of the asset that is not the config.json (a jsonData asset is a single-file zip)
    const staged = readdirSync(outdir).filter((name) => name.startsWith('asset.') && existsSync(join(outdir, name, 'index.html')));

    // Assess
    expect(staged).toHaveLength(1);
    const files = readdirSync(join(outdir, staged[0]!), { recursive: true }).map(String);
    expect(files.some((file) => file.endsWith('.js'))).toBe(true);
  }, 120_000);
});

function s3OriginBucketId(): string {
  const origin = only('AWS::CloudFront::Distribution')[1].Properties.DistributionConfig.Origins.find((o: Json) => o.S3OriginConfig);
  return origin.DomainName['Fn::GetAtt'][0] as string;
}
