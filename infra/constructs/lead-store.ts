import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, StreamViewType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { leadTableDefinition, SECONDARY_INDEXES, type SecondaryIndex } from '../../shared/storage/table-design';
import { acknowledge, acknowledgeWildcardActions, acknowledgeWildcardResource, LAMBDA_BASIC_EXECUTION_POLICY } from '../nag';

/**
 * CDK context key: a comma-separated subset of the table's indexes, for upgrading a table deployed before some of
 * them existed (CloudFormation adds one GSI per update). Absent: all of them, which is what a new installation gets.
 */
export const TABLE_INDEXES_CONTEXT = 'leadpipe:tableIndexes';

export function indexesToDeploy(context: unknown): readonly SecondaryIndex[] {
  if (context === undefined) return SECONDARY_INDEXES;
  const names = String(context)
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const known = new Map(SECONDARY_INDEXES.map((index) => [index.name, index]));
  const unknown = names.filter((name) => !known.has(name));
  if (unknown.length > 0 || names.length === 0) {
    throw new Error(
      `${TABLE_INDEXES_CONTEXT}: ${unknown.length > 0 ? `unknown index ${unknown.join(', ')}` : 'empty'}; ` +
        `expected a comma-separated subset of ${[...known.keys()].join(', ')}`,
    );
  }
  // The declared order, whatever order was given: the upgrade path adds them one by one in that order.
  return SECONDARY_INDEXES.filter((index) => names.includes(index.name));
}

export interface LeadStoreProps {
  /** folder whose files are published to the assets bucket (content/assets: the gated PDFs) */
  assetsDir: string;
  /** how long S3 server access logs (which hold requester IPs) are kept */
  accessLogRetentionDays: number;
}

/**
 * Everything that holds data: the lead table, the gated assets and the app secrets. All of it is
 * RETAINed: deleting the stack must never delete leads, consent records or the signing key (every
 * unsubscribe link ever sent is signed with it and must keep working).
 */
export class LeadStore extends Construct {
  readonly table: Table;
  readonly assetsBucket: Bucket;
  /** JSON `{ signingKey, ingestSecret }` (+ optional leadIdKey, previousSigningKey, previousIngestSecret): app-secrets.ts reads it */
  readonly appSecret: Secret;

  constructor(scope: Construct, id: string, props: LeadStoreProps) {
    super(scope, id);
    this.table = this.createTable();
    this.assetsBucket = this.createAssetsBucket(props);
    this.appSecret = this.createAppSecret();
  }

  private createTable(): Table {
    const definition = leadTableDefinition;
    const table = new Table(this, 'Table', {
      partitionKey: { name: definition.partitionKey, type: AttributeType.STRING },
      sortKey: { name: definition.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      timeToLiveAttribute: definition.timeToLiveAttribute,
      stream: StreamViewType[definition.streamView],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // An existing table gets at most one new index per deployment (a DynamoDB limit): see README "Upgrading".
    for (const index of indexesToDeploy(this.node.tryGetContext(TABLE_INDEXES_CONTEXT))) {
      table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType[index.projection],
        ...(index.nonKeyAttributes ? { nonKeyAttributes: [...index.nonKeyAttributes] } : {}),
      });
    }
    return table;
  }

  private createAssetsBucket(props: LeadStoreProps): Bucket {
    const accessLogs = new Bucket(this, 'AccessLogsBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      // S3 server access logging only delivers to SSE-S3 buckets
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(props.accessLogRetentionDays) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      accessLogs,
      'AwsSolutions-S1',
      'This is the server access log bucket of the assets bucket; logging it into itself would loop.',
    );

    const assets = new Bucket(this, 'AssetsBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'assets/',
      // the deployment replaces files on every change; keep old versions for a while, not forever
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // The PDFs live in git next to config/content-catalogue.json, so the bucket mirrors the repo.
    // (An explicit Asset rather than Source.asset: its bootstrap bucket is needed for the acknowledgement below.)
    const source = new Asset(this, 'AssetsSource', { path: props.assetsDir });
    const deployment = new BucketDeployment(this, 'AssetsDeployment', {
      sources: [Source.bucket(source.bucket, source.s3ObjectKey)],
      destinationBucket: assets,
    });
    this.acknowledgeBucketDeployment(deployment, assets, source);
    return assets;
  }

  /** The CDK-internal deployment handler (a singleton Lambda CDK owns) needs a few acknowledgements. */
  private acknowledgeBucketDeployment(deployment: BucketDeployment, assets: Bucket, source: Asset): void {
    const role = deployment.handlerRole;
    const reason =
      'CDK-internal BucketDeployment handler: CDK generates this role to copy the asset zip into the assets bucket at deploy time.';
    acknowledge(role, `AwsSolutions-IAM4[${LAMBDA_BASIC_EXECUTION_POLICY}]`, `${reason} It only needs CloudWatch Logs access.`);
    acknowledgeWildcardActions(
      role,
      ['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'],
      `${reason} The actions are CDK's grantRead/grantReadWrite sets on the two buckets involved.`,
    );
    acknowledgeWildcardResource(role, `${assets.bucketArn}/*`, `${reason} It writes every object of the assets bucket.`);
    acknowledgeWildcardResource(
      role,
      `${source.bucket.bucketArn}/*`,
      `${reason} It reads the uploaded asset zip from the CDK bootstrap assets bucket.`,
    );
    const stack = Stack.of(this);
    const handler = stack.node.children.find((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (handler)
      acknowledge(handler, 'AwsSolutions-L1', `${reason} CDK pins the runtime of its own handler; it runs only during deployments.`);
  }

  private createAppSecret(): Secret {
    // Secrets Manager generates one value per secret, and the app reads one JSON secret. So the
    // signing key is generated into its own secret, and the app secret is generated with a
    // template that embeds it (a CloudFormation dynamic reference, resolved at deploy time; the
    // template never contains the value) plus a second generated key, ingestSecret.
    // The generated JSON has no leadIdKey: the app then derives lead ids from signingKey, as it always did, so
    // lead ids never change. Before rotating signingKey, the operator adds leadIdKey = the current signingKey
    // (the app refuses a previousSigningKey without it). The template is deliberately left as it is: changing
    // GenerateSecretString makes CloudFormation generate a new value, which would replace a deployed ingestSecret.
    const signingKey = new Secret(this, 'SigningKey', {
      description: 'leadpipe: source of the HMAC signing key (copied into AppSecrets.signingKey at deploy time)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const appSecret = new Secret(this, 'AppSecrets', {
      description: 'leadpipe: { signingKey, ingestSecret } read by the functions (APP_SECRETS_ARN)',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ signingKey: signingKey.secretValue.unsafeUnwrap() }),
        generateStringKey: 'ingestSecret',
        passwordLength: 48,
        excludePunctuation: true,
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const noRotation =
      'Rotated by hand on purpose: leadIdKey (default: signingKey) keys every stored lead and must never change; ' +
      'a rotated signingKey stays accepted as previousSigningKey while its links are valid (unsubscribe links never expire); ' +
      'ingestSecret is shared with external senders, who switch over while previousIngestSecret is still accepted.';
    acknowledge(signingKey, 'AwsSolutions-SMG4', noRotation);
    acknowledge(appSecret, 'AwsSolutions-SMG4', noRotation);
    return appSecret;
  }
}
