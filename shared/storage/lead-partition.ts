import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../adapters/dynamodb-client';
import type { Interaction } from '../domain/lead';
import { keys } from './table-design';
import type { LeadItem, SentEmailItem } from './lead-item';

export interface LeadPartition {
  lead?: LeadItem;
  /** in time order: the sort key starts with the ISO time */
  interactions: Interaction[];
  emails: SentEmailItem[];
}

/** Everything stored under one lead, in one paginated Query of its partition. */
export async function loadLeadPartition(tableName: string, leadId: string): Promise<LeadPartition> {
  const partition: LeadPartition = { interactions: [], emails: [] };
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.leadPartition(leadId) },
        ExclusiveStartKey: startKey,
        ConsistentRead: true,
      }),
    );
    for (const item of page.Items ?? []) {
      const sk = String(item.sk);
      if (sk === keys.lead(leadId).sk) partition.lead = item as LeadItem;
      else if (sk.startsWith(keys.interactionPrefix)) partition.interactions.push(toInteraction(item));
      else if (sk.startsWith(keys.emailPrefix)) partition.emails.push(item as SentEmailItem);
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return partition;
}

function toInteraction(item: Record<string, unknown>): Interaction {
  const { pk: _pk, sk: _sk, leadId: _leadId, outbox: _outbox, ...interaction } = item;
  return interaction as unknown as Interaction;
}
