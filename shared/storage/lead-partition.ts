import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from './dynamodb-client';
import type { Interaction } from '../domain/lead';
import { parseInteraction, parseLeadItem, parseSentEmailItem } from './stored-items';
import { getLead } from './lead-store';
import { keys } from './table-design';
import type { LeadItem, SentEmailItem } from './lead-item';

export interface LeadPartition {
  lead?: LeadItem;
  /** in time order: the sort key starts with the ISO time */
  interactions: Interaction[];
  emails: SentEmailItem[];
  /** the keys of the interactions that carry a consent request's evidence (see record-submission.ts) */
  consentEvidenceKeys?: Array<{ pk: string; sk: string }>;
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
  const partition: LeadPartition = { interactions: [], emails: [], consentEvidenceKeys: [] };
  for (const item of await queryLeadPartition(tableName, leadId)) {
    const sk = String(item.sk);
    if (sk === keys.lead(leadId).sk) partition.lead = parseLeadItem(item);
    else if (sk.startsWith(keys.interactionPrefix)) {
      partition.interactions.push(parseInteraction(item));
      if (item.consentEvidence) partition.consentEvidenceKeys!.push({ pk: String(item.pk), sk });
    } else if (sk.startsWith(keys.emailPrefix)) partition.emails.push(parseSentEmailItem(item));
  }
  return partition;
}

/** The attributes classification needs of an interaction: the rest (attribution, message, consent evidence, outbox) is not read. */
const CLASSIFIED_ATTRIBUTES = ['id', 'type', 'at', 'assetId', 'funnelStage', 'externalId', 'messageId'] as const;

/**
 * What a classification reads: the profile, then at most `limit` of the lead's newest interactions at
 * or after `since` (one Query, newest first, classification attributes only). The profile is read
 * first: every writer that adds an interaction to an existing lead either bumps its version (so a
 * classification from this read fails its optimistic lock) or triggers a classification of its own.
 */
export async function loadClassificationInput(
  tableName: string,
  leadId: string,
  window: { since: string; limit: number },
): Promise<{ lead?: LeadItem; interactions: Interaction[] }> {
  const lead = await getLead(tableName, leadId);
  if (!lead) return { interactions: [] };
  const names = Object.fromEntries(CLASSIFIED_ATTRIBUTES.map((name) => [`#${name}`, name]));
  const interactions: Interaction[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': keys.leadPartition(leadId),
          ':from': `${keys.interactionPrefix}${window.since}`,
          // U+FFFF sorts after every character of a time and an id: the end of the interaction range.
          ':to': `${keys.interactionPrefix}\uffff`,
        },
        ProjectionExpression: Object.keys(names).join(', '),
        ExpressionAttributeNames: names,
        ScanIndexForward: false,
        Limit: window.limit - interactions.length,
        ExclusiveStartKey: startKey,
        ConsistentRead: true,
      }),
    );
    for (const item of page.Items ?? []) interactions.push(parseInteraction(item));
    startKey = page.LastEvaluatedKey;
  } while (startKey && interactions.length < window.limit);
  return { lead, interactions: interactions.reverse() };
}
