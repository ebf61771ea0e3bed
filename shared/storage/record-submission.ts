import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { documentClient } from '../adapters/dynamodb-client';
import type { Interaction, Locale } from '../domain/lead';
import { interactionItem } from './interaction-item';
import { epochSeconds, keys } from './table-design';

export interface ConsentEvidence {
  at: string;
  ip: string;
  userAgent: string;
  form: string;
  textVersion: string;
}

export interface SubmissionRecord {
  leadId: string;
  email: string;
  profile: { firstName?: string; lastName?: string; company?: string; jobTitle?: string; phone?: string; locale: Locale };
  interaction: Interaction;
  /** set when the submitter ticked marketing consent: evidence is stored and the opt-in mail becomes due */
  consentEvidence?: ConsentEvidence;
  /** sha256 of the normalised submission; the same one within the window is a double-click */
  fingerprint: string;
  duplicateWindowSeconds: number;
}

export type RecordSubmissionResult = { stored: true } | { stored: false; reason: 'duplicate' };

/**
 * One TransactWriteItems per submission: the double-click guard, the lead upsert and the interaction
 * (which doubles as the outbox entry) succeed or fail together, so there is no dual write.
 */
export async function recordSubmission(tableName: string, record: SubmissionRecord): Promise<RecordSubmissionResult> {
  const { leadId, interaction } = record;
  const at = interaction.at;
  const windowStart = new Date(Date.parse(at) - record.duplicateWindowSeconds * 1000).toISOString();
  try {
    await documentClient.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName,
              Item: {
                ...keys.submission(leadId, record.fingerprint),
                submittedAt: at,
                expiresAt: epochSeconds(at) + record.duplicateWindowSeconds,
              },
              ConditionExpression: 'attribute_not_exists(pk) OR submittedAt < :windowStart',
              ExpressionAttributeValues: { ':windowStart': windowStart },
            },
          },
          { Update: leadUpsert(tableName, record) },
          // A new opt-in is a new request to be contacted: it lifts an earlier erasure's suppression.
          ...(record.consentEvidence ? [{ Delete: { TableName: tableName, Key: keys.suppression(leadId) } }] : []),
          {
            Put: {
              TableName: tableName,
              Item: interactionItem(leadId, interaction, { consentRequested: record.consentEvidence !== undefined }),
            },
          },
        ],
      }),
    );
    return { stored: true };
  } catch (error) {
    if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') {
      return { stored: false, reason: 'duplicate' };
    }
    throw error;
  }
}

function leadUpsert(tableName: string, record: SubmissionRecord) {
  const names: Record<string, string> = { '#version': 'version' };
  const values: Record<string, unknown> = {
    ':email': record.email,
    ':at': record.interaction.at,
    ':warm': 'warm',
    ':leadId': record.leadId,
    ':one': 1,
  };
  const sets = [
    'email = :email',
    'leadId = :leadId',
    'createdAt = if_not_exists(createdAt, :at)',
    'updatedAt = :at',
    'lifecycle = if_not_exists(lifecycle, :warm)',
  ];
  // Only the fields this form carried are written, so a newsletter signup never blanks a name from an earlier download.
  for (const [field, value] of Object.entries(record.profile)) {
    if (value === undefined) continue;
    names[`#${field}`] = field;
    values[`:${field}`] = value;
    sets.push(`#${field} = :${field}`);
  }
  if (record.consentEvidence) {
    values[':evidence'] = [record.consentEvidence];
    values[':none'] = [];
    sets.push('consentRequestedAt = :at', 'consentEvidence = list_append(if_not_exists(consentEvidence, :none), :evidence)');
  }
  return {
    TableName: tableName,
    Key: keys.lead(record.leadId),
    UpdateExpression: `SET ${sets.join(', ')} ADD #version :one`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}
