import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AssetHashType, CfnOutput, DockerImage, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import type { ConsoleConfig } from '../../shared/console/console-config';
import { acknowledge, acknowledgeWildcardActions, acknowledgeWildcardResource, LAMBDA_BASIC_EXECUTION_POLICY } from '../nag';

/** Where the console's API lives, on the HttpApi and behind CloudFront alike: the SPA calls its own origin. */
export const CONSOLE_API_PATH_PATTERN = '/console/api/*';

export interface ConsoleHostingProps {
  httpApi: HttpApi;
  /** the API's custom domain, when configured: the execute-api endpoint is then disabled, so CloudFront goes there */
  apiCustomDomain?: string;
  /** the hosted sign-in page's origin, which the SPA posts the authorization code to (CSP connect-src) */
  signInOrigin: string;
  /** the console sources (console/, built with `vite build`) */
  consoleDir: string;
  /** the repository root, for the vite binary */
  projectRoot: string;
  /** how long CloudFront and S3 access logs (viewer IPs) are kept */
  logRetentionDays: number;
}

/**
 * The console's single origin: a private S3 bucket behind CloudFront (origin access control), and the HttpApi's
 * /console/api/* routes behind the same distribution, so the browser never makes a cross-origin call.
 */
export class ConsoleHosting extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  /** https://<distribution domain>/ (with the slash): the console, and the hosted UI's callback and logout URL */
  readonly url: string;

  constructor(
    scope: Construct,
    id: string,
    private readonly props: ConsoleHostingProps,
  ) {
    super(scope, id);
    const stack = Stack.of(this);

    // CloudFront's standard logs are delivered with an ACL grant, so this bucket keeps ACLs (owner preferred);
    // it also takes the console bucket's S3 access logs. Retained: logs outlive a re-created stack until they expire.
    const logs = new Bucket(this, 'LogsBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(props.logRetentionDays) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      logs,
      'AwsSolutions-S1',
      'This is the log bucket of the console bucket and its distribution; logging it into itself would loop.',
    );

    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'console-bucket/',
      // only the build, which every deployment uploads again
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const apiDomain = props.apiCustomDomain ?? `${props.httpApi.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`;
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'leadpipe marketing console',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        // A page request carries no credentials (the token lives in sessionStorage): redirecting http is safe.
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.securityHeaders(),
        compress: true,
      },
      additionalBehaviors: {
        [CONSOLE_API_PATH_PATTERN]: {
          origin: new HttpOrigin(apiDomain, {
            protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
            originSslProtocols: [OriginSslPolicy.TLS_V1_2],
          }),
          // every call carries a bearer token: plain http is refused, never redirected
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          // Per-user answers: nothing is cached. With caching off, this policy forwards the Authorization header,
          // and every viewer header but Host, which must stay the API's own for API Gateway to accept the request.
          cachePolicy: CachePolicy.CACHING_DISABLED,
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        },
      },
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
      httpVersion: HttpVersion.HTTP2_AND_3,
      // the users are staff in Europe: the cheapest class covers Europe and North America
      priceClass: PriceClass.PRICE_CLASS_100,
    });
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR1',
      'No geo restriction: the console is for the company staff, who may sign in from anywhere; every API call needs a Cognito sign-in.',
    );
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR2',
      'No WAF: a CloudFront web ACL must live in us-east-1 and costs a monthly fee; the distribution serves a static build ' +
        'and an API that the JWT authorizer guards and the HttpApi stage throttles.',
    );
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR4',
      'The console uses the default *.cloudfront.net domain and certificate, for which CloudFront cannot enforce a minimum ' +
        'TLS version; a custom console domain (ACM certificate in us-east-1) is not configured.',
    );

    this.url = `https://${this.distribution.distributionDomainName}/`;
    new CfnOutput(this, 'Url', { value: this.url, description: 'the marketing console' });
  }

  /** Uploads the built console and its config.json (what the SPA fetches at start to find its sign-in). */
  publish(config: ConsoleConfig): BucketDeployment {
    // An explicit Asset rather than Source.asset: its bootstrap bucket is needed for the acknowledgement below.
    const build = consoleBuild(this, this.props.consoleDir, this.props.projectRoot);
    const deployment = new BucketDeployment(this, 'Deployment', {
      sources: [Source.bucket(build.bucket, build.s3ObjectKey), Source.jsonData('config.json', config)],
      destinationBucket: this.bucket,
      distribution: this.distribution,
      distributionPaths: ['/*'],
      // Browsers revalidate (ETag): an old index.html must never point at build files the deployment has pruned.
      cacheControl: [CacheControl.noCache()],
    });
    this.acknowledgeBucketDeployment(deployment, build);
    return deployment;
  }

  private securityHeaders(): ResponseHeadersPolicy {
    // The SPA loads only its own files and calls its own origin plus the Cognito token endpoint. Inline styles are
    // allowed for the email previews: their srcdoc iframes (sandboxed, no scripts) inherit this policy.
    const csp = [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data: https:",
      `connect-src 'self' ${this.props.signInOrigin}`,
      "frame-src 'self'",
      "frame-ancestors 'none'",
      "form-action 'self'",
      "base-uri 'none'",
      "object-src 'none'",
    ].join('; ');
    return new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'leadpipe console: content security policy and security headers',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: csp, override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
      customHeadersBehavior: { customHeaders: [{ header: 'x-robots-tag', value: 'noindex, nofollow', override: true }] },
    });
  }

  /** The CDK-internal deployment handler (a singleton Lambda CDK owns) needs the same acknowledgements as the assets one. */
  private acknowledgeBucketDeployment(deployment: BucketDeployment, build: Asset): void {
    const role = deployment.handlerRole;
    const reason =
      'CDK-internal BucketDeployment handler: CDK generates this role to copy the console build into its bucket at deploy time.';
    acknowledge(role, `AwsSolutions-IAM4[${LAMBDA_BASIC_EXECUTION_POLICY}]`, `${reason} It only needs CloudWatch Logs access.`);
    acknowledgeWildcardActions(
      role,
      ['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'],
      `${reason} The actions are CDK's grantRead/grantReadWrite sets on the buckets involved.`,
    );
    acknowledgeWildcardResource(role, `${this.bucket.bucketArn}/*`, `${reason} It writes every object of the console bucket.`);
    acknowledgeWildcardResource(
      role,
      `${build.bucket.bucketArn}/*`,
      `${reason} It reads the uploaded build and config.json zips from the CDK bootstrap assets bucket.`,
    );
    acknowledgeWildcardResource(
      role,
      '*',
      `${reason} cloudfront:CreateInvalidation and GetInvalidation, which CDK grants on all resources, to invalidate ` +
        'the console distribution after an upload.',
    );
    const stack = Stack.of(this);
    const handler = stack.node.children.find((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (handler)
      acknowledge(handler, 'AwsSolutions-L1', `${reason} CDK pins the runtime of its own handler; it runs only during deployments.`);
  }
}

/**
 * The console's `vite build` as an asset, built on this machine (offline, no Docker). A synth that skips bundling
 * (`aws:cdk:bundling-stacks`, as the CloudFormation-only tests do) never runs it. The hash is the output's: a change in
 * shared/ code the console imports changes the build, and so the deployment.
 */
function consoleBuild(scope: Construct, consoleDir: string, projectRoot: string): Asset {
  return new Asset(scope, 'Build', {
    path: consoleDir,
    assetHashType: AssetHashType.OUTPUT,
    exclude: ['dist', 'node_modules'],
    bundling: {
      // never pulled: local bundling always succeeds or throws
      image: DockerImage.fromRegistry('scratch'),
      local: {
        tryBundle(outputDir: string): boolean {
          cpSync(viteBuild(consoleDir, projectRoot), outputDir, { recursive: true });
          return true;
        },
      },
    },
  });
}

/** One build per process and console: the tests synthesize the app many times. */
const builds = new Map<string, string>();

function viteBuild(consoleDir: string, projectRoot: string): string {
  const done = builds.get(consoleDir);
  if (done) return done;
  const outDir = mkdtempSync(join(tmpdir(), 'leadpipe-console-'));
  const vite = join(projectRoot, 'node_modules', 'vite', 'bin', 'vite.js');
  try {
    execFileSync(process.execPath, [vite, 'build', consoleDir, '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
      cwd: projectRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`console build (vite build ${consoleDir}) failed:\n${stdout ?? ''}${stderr ?? ''}`);
  }
  builds.set(consoleDir, outDir);
  return outDir;
}
