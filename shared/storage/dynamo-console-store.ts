import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  SALES_QUEUE_UNDECIDED,
  type ConsoleStore,
  type LeadListIndex,
  type LeadListRow,
  type ListFilter,
  type ListKey,
} from '../console/console-store';
import { FUNNEL_STAGES, LIFECYCLES, QUALIFICATIONS, type FunnelStage, type Lifecycle, type Qualification } from '../domain/lead';
import { documentClient } from './dynamodb-client';
import { writeIf } from './write-if';
import { keys, leadTableDefinition } from './table-design';

const INDEXES = {
  recent: leadTableDefinition.recentIndex,
  queue: leadTableDefinition.salesQueueIndex,
} as const;

const ROW_ATTRIBUTES = ['email', 'firstName', 'lastName', 'company', 'lifecycle', 'qualification', 'funnelStage', 'pql', 'score'];
const ROW_PROJECTION = [...ROW_ATTRIBUTES, 'createdAt', 'updatedAt'];

/** The console's lead lists in the lead table: Queries of the two list indexes and GetItem of a profile, never a Scan. */
export function dynamoConsoleStore(tableName: string): ConsoleStore {
  return {
    async queryList(query) {
      const index = INDEXES[query.index];
      const filter = filterExpression(query.filter);
      const result = await documentClient.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: index.name,
          KeyConditionExpression: '#partition = :partition',
          ...(filter.expression ? { FilterExpression: filter.expression } : {}),
          ExpressionAttributeNames: { '#partition': index.partitionKey, ...filter.names },
          ExpressionAttributeValues: { ':partition': query.partition, ...filter.values },
          ScanIndexForward: false,
          Limit: query.limit,
          ...(query.startKey ? { ExclusiveStartKey: query.startKey } : {}),
        }),
      );
      const keyNames = keyNamesOf(query.index);
      return {
        rows: (result.Items ?? []).map((item) => ({
          row: leadListRow(item),
          leadId: String(item.leadId),
          key: Object.fromEntries(keyNames.map((name) => [name, String(item[name])])),
        })),
        ...(result.LastEvaluatedKey ? { lastKey: result.LastEvaluatedKey as ListKey } : {}),
        read: result.ScannedCount ?? 0,
      };
    },

    async getLeadRow(leadId) {
      const names = Object.fromEntries(ROW_PROJECTION.map((name, i) => [`#a${i}`, name]));
      const result = await documentClient.send(
        new GetCommand({
          TableName: tableName,
          Key: keys.lead(leadId),
          ProjectionExpression: Object.keys(names).join(', '),
          ExpressionAttributeNames: names,
        }),
      );
      return result.Item ? leadListRow(result.Item) : undefined;
    },

    isListKey(index, partition, key): key is ListKey {
      const names = keyNamesOf(index);
      const entries = Object.entries(key);
      return (
        entries.length === names.length &&
        names.every((name) => typeof key[name] === 'string' && key[name] !== '') &&
        key[INDEXES[index].partitionKey] === partition &&
        String(key.pk).startsWith(keys.leadPartition('')) &&
        key.sk === keys.lead('').sk
      );
    },
  };
}

/**
 * Puts MQLs that became MQL before the sales queue existed into it (an existing installation, once: the funnel
 * rebuild's scan hands over its mql leads). Only a lead that is still an MQL, with its mqlAt, and not queued yet;
 * true if this call queued it.
 */
export async function queueUndecidedMql(tableName: string, leadId: string): Promise<boolean> {
  return writeIf(
    new UpdateCommand({
      TableName: tableName,
      Key: keys.lead(leadId),
      UpdateExpression: 'SET salesQueue = :queue',
      ConditionExpression: 'lifecycle = :mql AND attribute_exists(mqlAt) AND attribute_not_exists(salesQueue)',
      ExpressionAttributeValues: { ':queue': SALES_QUEUE_UNDECIDED, ':mql': 'mql' },
    }),
  );
}

/** The attributes of an index position: the table's keys and the index's. */
function keyNamesOf(index: LeadListIndex): string[] {
  const { partitionKey, sortKey } = INDEXES[index];
  return [leadTableDefinition.partitionKey, leadTableDefinition.sortKey, partitionKey, sortKey];
}

function filterExpression(filter: ListFilter): { expression?: string; names: Record<string, string>; values: Record<string, unknown> } {
  const parts: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  if (filter.lifecycle) {
    parts.push('#lifecycle = :lifecycle');
    names['#lifecycle'] = 'lifecycle';
    values[':lifecycle'] = filter.lifecycle;
  }
  if (filter.funnelStage) {
    parts.push('#funnelStage = :funnelStage');
    names['#funnelStage'] = 'funnelStage';
    values[':funnelStage'] = filter.funnelStage;
  }
  return { ...(parts.length > 0 ? { expression: parts.join(' AND ') } : {}), names, values };
}

/** A list row from a profile item or its index projection; absent fields read as the lead view shows them. */
function leadListRow(item: Record<string, unknown>): LeadListRow {
  const text = (name: string) => (typeof item[name] === 'string' && item[name] !== '' ? (item[name] as string) : null);
  const lifecycle = (LIFECYCLES as readonly unknown[]).includes(item.lifecycle) ? (item.lifecycle as Lifecycle) : 'cold';
  const qualification = (QUALIFICATIONS as readonly unknown[]).includes(item.qualification)
    ? (item.qualification as Qualification)
    : 'unqualified';
  const funnelStage = (FUNNEL_STAGES as readonly unknown[]).includes(item.funnelStage) ? (item.funnelStage as FunnelStage) : null;
  return {
    email: String(item.email ?? ''),
    firstName: text('firstName'),
    lastName: text('lastName'),
    company: text('company'),
    lifecycle,
    qualification,
    funnelStage,
    pql: item.pql === true,
    score: typeof item.score === 'number' ? item.score : 0,
    createdAt: String(item.createdAt ?? ''),
    updatedAt: String(item.updatedAt ?? item.createdAt ?? ''),
  };
}
