import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { leadTableDefinition as table } from './table-design';

/**
 * Creates the lead table from the same definition the CDK lead store uses. Used by the local stack
 * and the integration tests; on AWS, CloudFormation creates it.
 */
export async function ensureLeadTable(client: DynamoDBClient, tableName: string): Promise<{ streamArn: string }> {
  try {
    const existing = await client.send(new DescribeTableCommand({ TableName: tableName }));
    return { streamArn: existing.Table?.LatestStreamArn ?? '' };
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  const created = await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: table.partitionKey, AttributeType: 'S' },
        { AttributeName: table.sortKey, AttributeType: 'S' },
        { AttributeName: table.dueIndex.partitionKey, AttributeType: 'S' },
        { AttributeName: table.dueIndex.sortKey, AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: table.partitionKey, KeyType: 'HASH' },
        { AttributeName: table.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: table.dueIndex.name,
          KeySchema: [
            { AttributeName: table.dueIndex.partitionKey, KeyType: 'HASH' },
            { AttributeName: table.dueIndex.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: table.dueIndex.projection },
        },
      ],
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
