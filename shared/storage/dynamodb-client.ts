import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { traced } from '../observability/tracer';

/** Created once per module (so once per Lambda container); endpoints come from AWS_ENDPOINT_URL_DYNAMODB locally. */
export const dynamoDb = traced(new DynamoDBClient({}));
export const documentClient = DynamoDBDocumentClient.from(dynamoDb, {
  marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
});
