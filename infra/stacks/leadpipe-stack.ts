import { join } from 'node:path';
import { Stack, type StackProps } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import {
  BUS_FORWARDS,
  EVENT_RULES,
  FUNCTIONS,
  HTTP_ROUTES,
  QUEUES,
  SCHEDULES,
  STREAM_RELAYS,
  type BusForward,
  type EventRule,
  type FunctionDeclaration,
  type FunctionName,
  type HttpRoute,
  type Schedule,
  type StreamRelay,
} from '../../shared/wiring/app-wiring';
import { CampaignQueues, OLDEST_MESSAGE_AGE_THRESHOLDS } from '../constructs/campaign-queues';
import { CaptureApi } from '../constructs/capture-api';
import { ConsoleAuth, cognitoHostedUiUrl } from '../constructs/console-auth';
import { ConsoleHosting } from '../constructs/console-hosting';
import { EmailSending } from '../constructs/email-sending';
import { AppEventBus, EventRouting } from '../constructs/event-routing';
import { FunctionFactory } from '../constructs/function-factory';
import { METRICS_NAMESPACE, Observability } from '../constructs/observability';
import type { DeployConfig } from '../deploy-config';
import { REPO_ROOT } from '../naming';

export interface LeadpipeStackProps extends StackProps {
  config: DeployConfig;
  table: ITable;
  assetsBucket: IBucket;
  appSecret: ISecret;
}

/**
 * The stateless half: API, functions, event routing, email sending and observability, all built
 * from the wiring tables in shared/wiring/app-wiring.ts (the local stack reads the same tables).
 */
export class LeadpipeStack extends Stack {
  readonly api: CaptureApi;
  readonly functions: FunctionFactory;
  readonly events: AppEventBus;
  readonly routing: EventRouting;
  readonly email: EmailSending;
  readonly observability: Observability;
  readonly campaignQueues: CampaignQueues;
  readonly consoleHosting: ConsoleHosting;
  readonly consoleAuth: ConsoleAuth;

  constructor(scope: Construct, id: string, props: LeadpipeStackProps) {
    super(scope, id, props);
    const { config } = props;
    const logRetention = config.logRetentionDays as RetentionDays;

    this.events = new AppEventBus(this, 'Events');
    this.email = new EmailSending(this, 'Email', {
      senderAddress: config.senderAddress,
      senderDomain: config.senderDomain,
      defaultBus: this.events.defaultBus,
    });
    // The API exists before the functions: they need its URL for the links they put in emails.
    this.api = new CaptureApi(this, 'CaptureApi', {
      allowedOrigins: config.allowedOrigins,
      throttling: config.throttling,
      customDomain: config.customDomain,
      logRetention,
    });

    // The console's distribution exists before the functions: the sales mail links a lead's page there (CONSOLE_URL).
    this.consoleHosting = new ConsoleHosting(this, 'Console', {
      httpApi: this.api.httpApi,
      apiCustomDomain: config.customDomain?.domainName,
      signInOrigin: cognitoHostedUiUrl(config.console.cognitoDomainPrefix, this.region),
      consoleDir: join(REPO_ROOT, 'console'),
      projectRoot: REPO_ROOT,
      logRetentionDays: config.logRetentionDays,
    });
    // The work queues exist before the functions: the 'queue:send:*' bindings put their URLs into the environment.
    this.campaignQueues = new CampaignQueues(this, 'CampaignQueues', { declarations: QUEUES });
    this.functions = new FunctionFactory(this, 'Functions', {
      declarations: FUNCTIONS as Readonly<Record<FunctionName, FunctionDeclaration>>,
      projectRoot: REPO_ROOT,
      logRetention,
      resources: {
        table: props.table,
        bus: this.events.bus,
        assetsBucket: props.assetsBucket,
        appSecret: props.appSecret,
        email: this.email.ref,
        queues: this.campaignQueues.queues,
      },
      environment: commonEnvironment(config, this.api.publicBaseUrl, this.consoleHosting.url),
    });
    const functionFor = (name: FunctionName) => this.functions.get(name);
    this.campaignQueues.connect(functionFor);

    // The console's sign-in needs the distribution's URL (the hosted UI returns there), then its config.json.
    this.consoleAuth = new ConsoleAuth(this, 'ConsoleAuth', {
      domainPrefix: config.console.cognitoDomainPrefix,
      consoleUrl: this.consoleHosting.url,
    });
    this.consoleHosting.publish({
      apiBaseUrl: '',
      auth: {
        kind: 'cognito',
        domain: this.consoleAuth.hostedUiUrl,
        clientId: this.consoleAuth.client.userPoolClientId,
        redirectUri: this.consoleHosting.url,
      },
    });
    this.api.addRoutes(HTTP_ROUTES as readonly HttpRoute[], functionFor, { console: this.consoleAuth.authorizer });
    this.routing = new EventRouting(this, 'Routing', {
      appBus: this.events.bus,
      defaultBus: this.events.defaultBus,
      table: props.table,
      functionFor,
      rules: EVENT_RULES as readonly EventRule[],
      forwards: BUS_FORWARDS as readonly BusForward[],
      relays: STREAM_RELAYS as readonly StreamRelay[],
      schedules: SCHEDULES as readonly Schedule[],
      webhookUrl: config.webhookUrl,
    });
    this.observability = new Observability(this, 'Observability', {
      alarmTopicArn: config.alarmTopicArn,
      functions: this.functions.functions,
      deadLetterQueues: [...this.routing.deadLetterQueues, ...this.campaignQueues.deadLetterQueues],
      workQueues: this.campaignQueues.workQueues.map(({ name, queue }) => ({ name, queue, maxAge: OLDEST_MESSAGE_AGE_THRESHOLDS[name] })),
      streamRelays: (STREAM_RELAYS as readonly StreamRelay[]).map((relay) => ({ name: relay.function, fn: functionFor(relay.function) })),
      httpApi: this.api.httpApi,
    });
  }
}

/** What every function gets regardless of bindings; lists are comma-joined (shared/config/read-env.ts commaList). */
export function commonEnvironment(config: DeployConfig, publicBaseUrl: string, consoleUrl: string): Record<string, string> {
  return {
    PUBLIC_BASE_URL: publicBaseUrl,
    CONSOLE_URL: consoleUrl,
    THANK_YOU_URL: config.thankYouUrl,
    ALLOWED_ORIGINS: config.allowedOrigins.join(','),
    REDIRECT_ALLOWED_ORIGINS: config.redirectOrigins.join(','),
    SALES_RECIPIENTS: config.salesRecipients.join(','),
    IMPRINT: config.imprint,
    COMPANY_NAME: config.companyName,
    SENDER_NAME: config.senderName,
    RETENTION_DAYS: String(config.retentionDays),
    POWERTOOLS_SERVICE_NAME: 'leadpipe',
    POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
    POWERTOOLS_LOG_LEVEL: 'INFO',
  };
}
