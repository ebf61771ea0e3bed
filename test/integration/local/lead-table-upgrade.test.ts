import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../../local/dynamodb-local';
import { ensureLeadTable } from '../../../shared/storage/create-lead-table';
import { leadTableDefinition as table, SECONDARY_INDEXES } from '../../../shared/storage/table-design';

// An instance of its own: the suite's shared DynamoDB Local, busy with every other file's tables, can take minutes to build
// an index, and this test is about what the start does, not about that instance's load.
let dynamo: DynamoDbLocal;
let client: DynamoDBClient;

beforeAll(async () => {
  dynamo = await startDynamoDbLocal();
  client = new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'eu-central-1' });
});

afterAll(async () => {
  client?.destroy();
  await dynamo?.stop();
});

/** The table as an installation made before the console and campaign indexes had it: the due index only. */
async function createTableOfAnEarlierVersion(tableName: string): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: ['pk', 'sk', 'dueShard', 'nurtureDueAt'].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: table.dueIndex.name,
          KeySchema: [
            { AttributeName: 'dueShard', KeyType: 'HASH' },
            { AttributeName: 'nurtureDueAt', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }),
  );
}

describe('a kept local table from an earlier version', () => {
  it('gets every missing index on start, keeps its items, and the new indexes answer queries', async () => {
    // Prepare
    const tableName = `upgrade-${randomUUID()}`;
    await createTableOfAnEarlierVersion(tableName);
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          pk: { S: 'LEAD#kept' },
          sk: { S: 'PROFILE' },
          leadId: { S: 'kept' },
          createdDay: { S: '2026-12-01' },
          createdAt: { S: '2026-12-01T09:00:00.000Z' },
        },
      }),
    );

    // Act
    const { streamArn } = await ensureLeadTable(client, tableName);
    const again = await ensureLeadTable(client, tableName);

    // Assess
    const described = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const indexes = described.Table?.GlobalSecondaryIndexes ?? [];
    expect(indexes.map((index) => index.IndexName).sort()).toEqual(SECONDARY_INDEXES.map((index) => index.name).sort());
    expect(indexes.every((index) => index.IndexStatus === 'ACTIVE')).toBe(true);
    expect(streamArn).toBe(described.Table?.LatestStreamArn);
    expect(again.streamArn).toBe(streamArn);
    const byDay = await client.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: table.recentIndex.name,
        KeyConditionExpression: 'createdDay = :day',
        ExpressionAttributeValues: { ':day': { S: '2026-12-01' } },
      }),
    );
    expect(byDay.Items?.map((item) => item.leadId?.S)).toEqual(['kept']);
  });
});
