import type { AttributeValue as LambdaAttributeValue, DynamoDBRecord } from 'aws-lambda';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { OUTBOX_ATTRIBUTE, type OutboxEntry } from '../storage/table-design';

export interface PendingOutboxEvent {
  /** the stream record's sequence number, for partial batch failure reporting */
  sequenceNumber: string;
  entry: PutEventsRequestEntry;
}

/**
 * Maps inserted outbox items to PutEvents entries. The event time is the time stored on the item,
 * not the stream's wall-clock stamp, so replays and virtual time agree with what the item says.
 */
export function outboxEventsFromRecords(records: readonly DynamoDBRecord[], eventBusName: string): PendingOutboxEvent[] {
  const pending: PendingOutboxEvent[] = [];
  for (const record of records) {
    if (record.eventName !== 'INSERT' || !record.dynamodb?.NewImage) continue;
    const item = unmarshall(record.dynamodb.NewImage as Record<string, AttributeValue>) as { [OUTBOX_ATTRIBUTE]?: OutboxEntry };
    const outbox = item[OUTBOX_ATTRIBUTE];
    if (!outbox) continue;
    pending.push({
      sequenceNumber: record.dynamodb.SequenceNumber ?? '',
      entry: {
        EventBusName: eventBusName,
        Source: outbox.source,
        DetailType: outbox.detailType,
        Detail: outbox.detail,
        Time: new Date(outbox.time),
      },
    });
  }
  return pending;
}

export type StreamImage = Record<string, LambdaAttributeValue>;
