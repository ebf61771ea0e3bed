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

/** Every item under one lead, in one paginated, consistent Query of its partition. */
export async function queryLeadPartition(tableName: string, leadId: string, projection?: string): Promise<Array<Record<string, unknown>>> {
  const items: Array<Record<string, unknown>> = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.leadPartition(leadId) },
        ...(projection ? { ProjectionExpression: projection } : {}),
        ExclusiveStartKey: startKey,
        ConsistentRead: true,
      }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** Everything stored under one lead, sorted into profile, interactions and emails. */
export async function loadLeadPartition(tableName: string, leadId: string): Promise<LeadPartition> {
  const partition: LeadPartition = { interactions: [], emails: [] };
  for (const item of await queryLeadPartition(tableName, leadId)) {
    const sk = String(item.sk);
    if (sk === keys.lead(leadId).sk) partition.lead = item as unknown as LeadItem;
    else if (sk.startsWith(keys.interactionPrefix)) partition.interactions.push(toInteraction(item));
    else if (sk.startsWith(keys.emailPrefix)) partition.emails.push(item as unknown as SentEmailItem);
  }
  return partition;
}

function toInteraction(item: Record<string, unknown>): Interaction {
  const { pk: _pk, sk: _sk, leadId: _leadId, outbox: _outbox, ...interaction } = item;
  return interaction as unknown as Interaction;
}
