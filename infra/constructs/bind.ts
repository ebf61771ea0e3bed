import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Binding, QueueName } from '../../shared/wiring/app-wiring';
import { QUEUE_URL_ENV } from '../../shared/wiring/function-config';
import { acknowledgeWildcardActions, acknowledgeWildcardResource } from '../nag';

/** What the email:send binding needs to know about the SES setup. */
export interface EmailSendingRef {
  /** the From header, `address` or `Name <address>` */
  senderAddress: string;
  /** the bare address, for the ses:FromAddress condition */
  senderMailbox: string;
  identityArn: string;
  /** mail to the lead: tracked, its events forwarded to the app bus */
  configurationSetName: string;
  configurationSetArn: string;
  /** mail to sales: untracked, publishes no events */
  salesConfigurationSetName: string;
  salesConfigurationSetArn: string;
}

export interface BindableResources {
  table: ITable;
  bus: IEventBus;
  assetsBucket: IBucket;
  appSecret: ISecret;
  email: EmailSendingRef;
  /** the work queues of QUEUES (infra/constructs/campaign-queues.ts), created before the functions; required by 'queue:send:*' */
  queues?: Readonly<Record<QueueName, IQueue>>;
}

/** A function that can be bound: it takes environment variables and has a role to grant to. */
export interface BindTarget extends IFunction {
  addEnvironment(key: string, value: string): unknown;
}

type Binder = (fn: BindTarget, resources: BindableResources) => void;

/**
 * One entry per Binding: the environment variable AND the least grant, always together, so a
 * function can never have a variable without the permission or a permission nobody asked for.
 * The mapped type makes a new Binding in app-wiring.ts a compile error here until it is handled.
 */
const BINDERS: { readonly [B in Binding]: Binder } = {
  'table:read': (fn, { table }) => {
    fn.addEnvironment('TABLE_NAME', table.tableName);
    table.grantReadData(fn);
    acknowledgeTableIndexes(fn, table);
  },
  'table:write': (fn, { table }) => {
    fn.addEnvironment('TABLE_NAME', table.tableName);
    table.grantWriteData(fn);
    acknowledgeTableIndexes(fn, table);
  },
  'bus:put': (fn, { bus }) => {
    fn.addEnvironment('EVENT_BUS_NAME', bus.eventBusName);
    bus.grantPutEventsTo(fn);
  },
  'email:send': (fn, { email }) => {
    fn.addEnvironment('SENDER_ADDRESS', email.senderAddress);
    fn.addEnvironment('SES_CONFIGURATION_SET', email.configurationSetName);
    fn.addEnvironment('SES_SALES_CONFIGURATION_SET', email.salesConfigurationSetName);
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        // SES authorises SendEmail against the sending identity and the configuration set used
        resources: [email.identityArn, email.configurationSetArn, email.salesConfigurationSetArn],
        conditions: { StringEquals: { 'ses:FromAddress': email.senderMailbox } },
      }),
    );
  },
  'assets:read': (fn, { assetsBucket }) => {
    fn.addEnvironment('ASSETS_BUCKET', assetsBucket.bucketName);
    assetsBucket.grantRead(fn);
    if (fn.role) {
      const reason =
        "grantRead of the assets bucket: CDK's read action set on the bucket and its objects " +
        '(the gated PDFs, all of which the function may serve).';
      acknowledgeWildcardActions(fn.role, ['s3:GetObject*', 's3:GetBucket*', 's3:List*'], reason);
      acknowledgeWildcardResource(fn.role, `${assetsBucket.bucketArn}/*`, reason);
    }
  },
  'secrets:read': (fn, { appSecret }) => {
    fn.addEnvironment('APP_SECRETS_ARN', appSecret.secretArn);
    appSecret.grantRead(fn);
  },
  'email:account': (fn) => {
    fn.addToRolePolicy(new PolicyStatement({ actions: ['ses:GetAccount'], resources: ['*'] }));
    if (fn.role) {
      acknowledgeWildcardResource(fn.role, '*', 'ses:GetAccount (the send quota) does not support resource-level permissions.');
    }
  },
  'queue:send:campaign-plan': queueSender('campaign-plan'),
  'queue:send:campaign-sends': queueSender('campaign-sends'),
};

/** SendMessage (and so SendMessageBatch, which IAM authorises as SendMessage) on this one queue, nothing else. */
function queueSender(name: QueueName): Binder {
  return (fn, { queues }) => {
    const queue = queues?.[name];
    if (!queue) throw new Error(`binding queue:send:${name}: no such queue among the bindable resources (QUEUES)`);
    fn.addEnvironment(QUEUE_URL_ENV[name], queue.queueUrl);
    fn.addToRolePolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }));
  };
}

export function bind(fn: BindTarget, bindings: readonly Binding[], resources: BindableResources): void {
  for (const binding of new Set(bindings)) BINDERS[binding](fn, resources);
}

/** Table grants include `<table>/index/*` because the table has a GSI: the grant covers the table's own indexes only. */
function acknowledgeTableIndexes(fn: IFunction, table: ITable): void {
  if (!fn.role) return;
  acknowledgeWildcardResource(
    fn.role,
    `${table.tableArn}/index/*`,
    "CDK table grant: index/* covers the lead table's own GSIs, no other table.",
  );
}
