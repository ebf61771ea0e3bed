import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type AttributeDefinition,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { SECONDARY_INDEXES, leadTableDefinition as table, type SecondaryIndex } from './table-design';

/**
 * How often the start looks whether an index DynamoDB Local is building is ready, before it gives up (every 100 ms:
 * about five minutes; a busy DynamoDB Local, such as the test suite's shared one, builds slowly).
 */
const INDEX_BUILD_POLLS = 3000;

/**
 * Creates the lead table from the same definition the CDK lead store uses. Used by the local stack
 * and the integration tests; on AWS, CloudFormation creates it.
 *
 * A table kept from an earlier version (a persistent local stack's data dir) gets the indexes added since,
 * one per update as DynamoDB requires, so an upgrade never needs the data deleted.
 */
export async function ensureLeadTable(client: DynamoDBClient, tableName: string): Promise<{ streamArn: string }> {
  let existing: TableDescription | undefined;
  try {
    existing = (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  if (existing) {
    await addMissingIndexes(client, tableName, existing);
    return { streamArn: existing.LatestStreamArn ?? '' };
  }
  const created = await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: attributeDefinitions(SECONDARY_INDEXES),
      KeySchema: [
        { AttributeName: table.partitionKey, KeyType: 'HASH' },
        { AttributeName: table.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: SECONDARY_INDEXES.map(indexDefinition),
      StreamSpecification: { StreamEnabled: true, StreamViewType: table.streamView },
    }),
  );
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: table.timeToLiveAttribute, Enabled: true },
    }),
  );
  return { streamArn: created.TableDescription?.LatestStreamArn ?? '' };
}

async function addMissingIndexes(client: DynamoDBClient, tableName: string, existing: TableDescription): Promise<void> {
  const present = new Set((existing.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  for (const index of SECONDARY_INDEXES) {
    if (present.has(index.name)) continue;
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: attributeDefinitions([index]),
        GlobalSecondaryIndexUpdates: [{ Create: indexDefinition(index) }],
      }),
    );
    await untilIndexActive(client, tableName, index.name);
  }
}

async function untilIndexActive(client: DynamoDBClient, tableName: string, indexName: string): Promise<void> {
  for (let poll = 0; poll < INDEX_BUILD_POLLS; poll += 1) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const index = Table?.GlobalSecondaryIndexes?.find((candidate) => candidate.IndexName === indexName);
    if (index?.IndexStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`index ${indexName} of ${tableName} did not become ACTIVE`);
}

function attributeDefinitions(indexes: readonly SecondaryIndex[]): AttributeDefinition[] {
  const names = new Set<string>([table.partitionKey, table.sortKey]);
  for (const index of indexes) names.add(index.partitionKey).add(index.sortKey);
  return [...names].map((name) => ({ AttributeName: name, AttributeType: 'S' }));
}

function indexDefinition(index: SecondaryIndex): GlobalSecondaryIndex {
  return {
    IndexName: index.name,
    KeySchema: [
      { AttributeName: index.partitionKey, KeyType: 'HASH' },
      { AttributeName: index.sortKey, KeyType: 'RANGE' },
    ],
    Projection: { ProjectionType: index.projection, NonKeyAttributes: index.nonKeyAttributes && [...index.nonKeyAttributes] },
  };
}
