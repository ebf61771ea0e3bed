import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../adapters/dynamodb-client';
import type { NurtureState } from '../domain/nurture';
import { leadTableDefinition, keys } from '../storage/table-design';

/** Lead ids due at or before `now` in one shard of the due index: cost proportional to due leads. */
export async function dueLeadIds(tableName: string, shard: string, now: string): Promise<{ leadIds: string[]; readUnits: number }> {
  const leadIds: string[] = [];
  let readUnits = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: leadTableDefinition.dueIndex.name,
        KeyConditionExpression: '#shard = :shard AND #due <= :now',
        ExpressionAttributeNames: { '#shard': leadTableDefinition.dueIndex.partitionKey, '#due': leadTableDefinition.dueIndex.sortKey },
        ExpressionAttributeValues: { ':shard': shard, ':now': now },
        ExclusiveStartKey: startKey,
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    for (const item of page.Items ?? []) leadIds.push(String(item.pk).slice('LEAD#'.length));
    readUnits += page.ConsumedCapacity?.CapacityUnits ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return { leadIds, readUnits };
}

/**
 * Claims one nurture step before sending it. The lead's version guards against a concurrent run
 * or any other write; `nurtureSending` marks the step as in flight, and a claim older than the
 * stale window (a run that died mid-send) may be taken over, so no step is lost silently.
 */
export async function claimNurtureStep(
  tableName: string,
  leadId: string,
  claim: { version: number; state: NurtureState; step: number; at: string; staleBefore: string },
): Promise<boolean> {
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.lead(leadId),
        UpdateExpression: 'SET nurture = :state, nurtureSending = :sending ADD #version :one',
        ConditionExpression: '#version = :version AND (attribute_not_exists(nurtureSending) OR nurtureSending.claimedAt < :staleBefore)',
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: {
          ':state': claim.state,
          ':sending': { track: claim.state.track, step: claim.step, claimedAt: claim.at },
          ':version': claim.version,
          ':staleBefore': claim.staleBefore,
          ':one': 1,
        },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

export interface NurtureFailure {
  step: string;
  templateId: string;
  error: string;
  at: string;
}

/**
 * Ends a claim: stores the new nurture state and due time, and optionally a failure record. With
 * `expectedVersion` it writes only if nothing else wrote the lead since it was read, and answers
 * false otherwise, so the caller can merge its result into what the other writer stored (a stage
 * change during the send, say) instead of overwriting it.
 */
export async function releaseNurtureStep(
  tableName: string,
  leadId: string,
  result: { state: NurtureState; dueAt: string | null; dueShard: string | null; failure?: NurtureFailure; expectedVersion?: number },
): Promise<boolean> {
  const values: Record<string, unknown> = { ':state': result.state, ':one': 1 };
  const sets = ['nurture = :state'];
  const removes = ['nurtureSending'];
  if (result.dueAt && result.dueShard) {
    sets.push('nurtureDueAt = :dueAt', 'dueShard = :dueShard');
    values[':dueAt'] = result.dueAt;
    values[':dueShard'] = result.dueShard;
  } else {
    removes.push('nurtureDueAt', 'dueShard');
  }
  if (result.failure) {
    sets.push('nurtureFailures = list_append(if_not_exists(nurtureFailures, :none), :failure)');
    values[':none'] = [];
    values[':failure'] = [result.failure];
  }
  let condition = 'attribute_exists(pk)';
  if (result.expectedVersion !== undefined) {
    condition += ' AND #version = :expected';
    values[':expected'] = result.expectedVersion;
  }
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.lead(leadId),
        UpdateExpression: `SET ${sets.join(', ')} REMOVE ${removes.join(', ')} ADD #version :one`,
        ConditionExpression: condition,
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: values,
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** Keeps the due index in step with what nurture will do next, without touching anything else. */
export async function storeDueTime(tableName: string, leadId: string, version: number, dueAt: string | null, dueShard: string | null): Promise<void> {
  const due = dueAt && dueShard;
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.lead(leadId),
        UpdateExpression: due ? 'SET nurtureDueAt = :dueAt, dueShard = :dueShard ADD #version :one' : 'REMOVE nurtureDueAt, dueShard ADD #version :one',
        ConditionExpression: '#version = :version',
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: { ':version': version, ':one': 1, ...(due ? { ':dueAt': dueAt, ':dueShard': dueShard } : {}) },
      }),
    );
  } catch (error) {
    // Another writer got there first; it recomputes the due time itself.
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}
