import { CfnOutput, Duration } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  DomainName,
  HttpApi,
  HttpMethod,
  HttpStage,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { corsPolicy } from '../../shared/wiring/cors-policy';
import type { FunctionName, HttpRoute } from '../../shared/wiring/app-wiring';
import type { DeployConfig } from '../deploy-config';
import { acknowledge } from '../nag';
import { pascalCase } from '../naming';

/** Local-only helper routes (local/dev-routes.ts) live under this prefix and must never reach AWS. */
export const DEV_ROUTE_PREFIX = '/_dev';

export interface CaptureApiProps {
  allowedOrigins: readonly string[];
  throttling: DeployConfig['throttling'];
  customDomain?: DeployConfig['customDomain'];
  logRetention: RetentionDays;
}

/**
 * The public HTTP API the forms post to. Created before the functions so they can be given its
 * URL (PUBLIC_BASE_URL); routes are added afterwards with `addRoutes`.
 */
export class CaptureApi extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  /** what links in emails point to: the custom domain if configured, else the execute-api URL */
  readonly publicBaseUrl: string;
  private readonly integrations = new Map<FunctionName, HttpLambdaIntegration>();

  constructor(scope: Construct, id: string, props: CaptureApiProps) {
    super(scope, id);
    this.httpApi = new HttpApi(this, 'HttpApi', {
      apiName: 'leadpipe-capture',
      description: 'leadpipe lead capture: form posts, confirmation and download links',
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: [...props.allowedOrigins],
        allowMethods: corsPolicy.allowMethods.map((method) => CorsHttpMethod[method]),
        allowHeaders: [...corsPolicy.allowHeaders],
        maxAge: Duration.seconds(corsPolicy.maxAgeSeconds),
      },
      // with a custom domain there is one public entry point, so links cannot bypass it
      disableExecuteApiEndpoint: props.customDomain !== undefined,
    });

    const domainName = props.customDomain
      ? new DomainName(this, 'DomainName', {
          domainName: props.customDomain.domainName,
          certificate: Certificate.fromCertificateArn(this, 'Certificate', props.customDomain.certificateArn),
        })
      : undefined;

    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: props.logRetention });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.throttling.rateLimit, burstLimit: props.throttling.burstLimit },
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs), format: ACCESS_LOG_FORMAT },
      ...(domainName ? { domainMapping: { domainName } } : {}),
    });

    this.publicBaseUrl = props.customDomain ? `https://${props.customDomain.domainName}` : this.httpApi.apiEndpoint;
    new CfnOutput(this, 'PublicBaseUrl', { value: this.publicBaseUrl, description: 'base URL of the capture API' });
    if (domainName) {
      new CfnOutput(this, 'CustomDomainTarget', {
        value: domainName.regionalDomainName,
        description: `point ${props.customDomain!.domainName} here (CNAME or alias record)`,
      });
    }
  }

  /**
   * One route per table entry; routes of the same function share one integration. A route with `auth: 'console'`
   * gets the console's JWT authorizer, and a table with such a route but no authorizer fails the synth (never public).
   */
  addRoutes(
    routes: readonly HttpRoute[],
    functionFor: (name: FunctionName) => IFunction,
    authorizers: { console?: IHttpRouteAuthorizer } = {},
  ): void {
    const devRoutes = routes.filter((route) => route.path.startsWith(DEV_ROUTE_PREFIX));
    if (devRoutes.length > 0) {
      throw new Error(
        `HTTP_ROUTES: ${devRoutes.map((r) => `${r.method} ${r.path}`).join(', ')} ` +
          `are local-only (${DEV_ROUTE_PREFIX}) and must not be deployed`,
      );
    }
    for (const route of routes) {
      const authorizer = route.auth === undefined ? undefined : authorizers[route.auth];
      if (route.auth !== undefined && !authorizer) {
        throw new Error(`HTTP_ROUTES: ${route.method} ${route.path} needs the ${route.auth} authorizer, and none was given`);
      }
      const [created] = this.httpApi.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: this.integrationFor(route.function, functionFor),
        ...(authorizer ? { authorizer } : {}),
      });
      // A signed-in route passes the AwsSolutions-APIG4 check on its own merits: no acknowledgement.
      if (authorizer) continue;
      // Forms are public by design (anyone may sign up); abuse is limited by stage throttling, the
      // honeypot and the duplicate-submission guard. Signed endpoints check an HMAC in the function.
      acknowledge(
        created!,
        'AwsSolutions-APIG4',
        `${route.method} ${route.path} is a public endpoint by design ` +
          '(web forms, links in emails, HMAC-signed webhooks verified in the function); the stage is throttled.',
      );
    }
  }

  private integrationFor(name: FunctionName, functionFor: (name: FunctionName) => IFunction): HttpLambdaIntegration {
    let integration = this.integrations.get(name);
    if (!integration) {
      integration = new HttpLambdaIntegration(`${pascalCase(name)}Integration`, functionFor(name));
      this.integrations.set(name, integration);
    }
    return integration;
  }
}

/**
 * JSON access log without personal data (no source IP, no user agent, no query string): the
 * log group is not covered by GDPR erasure. The route key identifies the endpoint without tokens.
 */
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    routeKey: '$context.routeKey',
    status: '$context.status',
    protocol: '$context.protocol',
    responseLength: '$context.responseLength',
    responseLatency: '$context.responseLatency',
    integrationLatency: '$context.integrationLatency',
    integrationStatus: '$context.integrationStatus',
    integrationError: '$context.integrationErrorMessage',
    errorMessage: '$context.error.message',
  }),
);
