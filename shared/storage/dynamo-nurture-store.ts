import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { en } from 'zod/locales';
// `import * as z`: `import { z }` makes the whole namespace a value, which keeps all of zod/mini and every locale in the bundle.
import * as z from 'zod/mini';
import { documentClient } from './dynamodb-client';
import type { DueTime, LeadSnapshot, NurtureClaim, NurtureRelease, NurtureStore } from '../nurture/nurture-store';
import { eraseLead } from './erase-lead';
import { loadLeadPartition } from './lead-partition';
import { keys, leadTableDefinition } from './table-design';

// A malformed index entry throws with zod's messages; zod/mini has none of its own.
z.config(en());

const LEAD_PREFIX = keys.leadPartition('');

/** A due-index entry (KEYS_ONLY): the lead's key is all the run needs, and all the index holds. */
const dueEntrySchema = z.object({ pk: z.string().check(z.startsWith(LEAD_PREFIX)) });

/** The nurture store on the lead table (see NurtureStore for what each operation promises). */
export function dynamoNurtureStore(tableName: string): NurtureStore {
  return {
    dueLeadIds: (shard, now) => dueLeadIds(tableName, shard, now),
    readLead: async (leadId) => {
      const partition = await loadLeadPartition(tableName, leadId);
      return partition.lead ? { ...partition, lead: partition.lead } : undefined;
    },
    claimStep: (leadId, claim) => claimStep(tableName, leadId, claim),
    releaseStep: (leadId, release) => releaseStep(tableName, leadId, release),
    storeDueTime: (leadId, version, due) => storeDueTime(tableName, leadId, version, due),
    dropConsentRequest: (snapshot) => dropConsentRequest(tableName, snapshot),
    eraseLead: async (leadId, at) => {
      await eraseLead(tableName, leadId, at, { suppress: false });
    },
  };
}

/** One Query per page of the shard on `nurtureDueAt <= now`: cost proportional to due leads. */
async function dueLeadIds(tableName: string, shard: string, now: string): Promise<{ leadIds: string[]; readUnits: number }> {
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
    for (const item of page.Items ?? []) leadIds.push(dueEntrySchema.parse(item).pk.slice(LEAD_PREFIX.length));
    readUnits += page.ConsumedCapacity?.CapacityUnits ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return { leadIds, readUnits };
}

/** Runs a conditional write; false when its condition failed. */
async function conditionally(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** `nurtureSending` marks the step in flight; a claim older than `staleBefore` (a run that died mid-send) may be taken over. */
function claimStep(tableName: string, leadId: string, claim: NurtureClaim): Promise<boolean> {
  return conditionally(() =>
    documentClient.send(
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
    ),
  );
}

function releaseStep(tableName: string, leadId: string, release: NurtureRelease): Promise<boolean> {
  const values: Record<string, unknown> = { ':state': release.state, ':one': 1 };
  const sets = ['nurture = :state'];
  const removes = ['nurtureSending'];
  if (release.dueAt && release.dueShard) {
    sets.push('nurtureDueAt = :dueAt', 'dueShard = :dueShard');
    values[':dueAt'] = release.dueAt;
    values[':dueShard'] = release.dueShard;
  } else {
    removes.push('nurtureDueAt', 'dueShard');
  }
  if (release.failure) {
    // Bounded: at most one failure per configured step of the lead's tracks.
    sets.push('nurtureFailures = list_append(if_not_exists(nurtureFailures, :none), :failure)');
    values[':none'] = [];
    values[':failure'] = [release.failure];
  }
  let condition = 'attribute_exists(pk)';
  if (release.expectedVersion !== undefined) {
    condition += ' AND #version = :expected';
    values[':expected'] = release.expectedVersion;
  }
  return conditionally(() =>
    documentClient.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.lead(leadId),
        UpdateExpression: `SET ${sets.join(', ')} REMOVE ${removes.join(', ')} ADD #version :one`,
        ConditionExpression: condition,
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: values,
      }),
    ),
  );
}

async function storeDueTime(tableName: string, leadId: string, version: number, { dueAt, dueShard }: DueTime): Promise<void> {
  const due = dueAt && dueShard;
  // A failed condition means another writer got there first; it recomputes the due time itself.
  await conditionally(() =>
    documentClient.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.lead(leadId),
        UpdateExpression: due
          ? 'SET nurtureDueAt = :dueAt, dueShard = :dueShard ADD #version :one'
          : 'REMOVE nurtureDueAt, dueShard ADD #version :one',
        ConditionExpression: '#version = :version',
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: { ':version': version, ':one': 1, ...(due ? { ':dueAt': dueAt, ':dueShard': dueShard } : {}) },
      }),
    ),
  );
}

/** What goes with an expired, unconfirmed request: its time, its evidence, and the opt-in mail's send claim. */
const DROPPED_WITH_REQUEST = [
  'consentRequestedAt',
  'consentEvidence',
  'consentEvidenceFirst',
  'consentEvidenceLatest',
  'optInSentAt',
  'optInSentAtClaim',
] as const;

async function dropConsentRequest(tableName: string, { lead, consentEvidenceKeys }: LeadSnapshot): Promise<boolean> {
  const dropped = await conditionally(() =>
    documentClient.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.lead(lead.leadId),
        UpdateExpression: `REMOVE ${DROPPED_WITH_REQUEST.join(', ')} ADD #version :one`,
        // Only if still the same unconfirmed request: a confirmation or a new request in between wins.
        ConditionExpression: '#version = :version',
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: { ':version': lead.version, ':one': 1 },
      }),
    ),
  );
  if (!dropped) return false;
  // Each request's evidence is also kept with its interaction (record-submission.ts): it goes with the request.
  // An interaction deleted in between (an erasure) has nothing left to drop.
  for (const key of consentEvidenceKeys ?? []) {
    await conditionally(() =>
      documentClient.send(
        new UpdateCommand({
          TableName: tableName,
          Key: key,
          UpdateExpression: 'REMOVE consentEvidence',
          ConditionExpression: 'attribute_exists(pk)',
        }),
      ),
    );
  }
  return true;
}
