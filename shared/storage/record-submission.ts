import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { documentClient } from './dynamodb-client';
import type { Interaction, Locale } from '../domain/lead';
import { withRetry } from '../retry/with-retry';
import { dayOf, firstTouchOf } from '../reporting/funnel-projection';
import { interactionItem } from './interaction-item';
import { epochSeconds, keys } from './table-design';
import { cancellationCodes, isTransactionConflict } from './transaction-errors';

export interface ConsentEvidence {
  at: string;
  ip: string;
  userAgent: string;
  form: string;
  textVersion: string;
}

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** A conditional write that must succeed for the submission to be stored (a rate-limit counter). */
export interface SubmissionClaim {
  name: string;
  item: TransactItem;
  retryAfterSeconds: number;
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
  /** conditional counters written in the same transaction; the first one that fails refuses the submission */
  claims?: SubmissionClaim[];
}

export type RecordSubmissionResult =
  | { stored: true }
  | { stored: false; reason: 'duplicate' }
  | { stored: false; reason: 'refused'; claim: string; retryAfterSeconds: number };

/**
 * Concurrent posts for one address write the same lead item; DynamoDB cancels all but one of the
 * overlapping transactions with TransactionConflict. Nothing was written, so the submission is
 * simply tried again, a few times, after a jittered wait.
 */
export const SUBMISSION_CONFLICT_ATTEMPTS = 4;

/**
 * One TransactWriteItems per submission: the double-click guard, the lead upsert, the interaction
 * (which doubles as the outbox entry), lifting an erasure's suppression, and the rate-limit counters
 * succeed or fail together, so there is no dual write and a refused submission leaves no trace.
 *
 * Every form post is the person's own, active request (a download, a contact request, a sign-up), so
 * it lifts an earlier erasure's suppression entry: the lead starts afresh from what was just posted.
 * Paths that only repeat what other systems know (import, signals, SES events) never do.
 */
export async function recordSubmission(tableName: string, record: SubmissionRecord): Promise<RecordSubmissionResult> {
  // Whether this write creates the lead is decided by a condition on the lead item, in the same write: the interaction's
  // event then says so (leadCreated), exactly once per created profile. A guess that turns out wrong is tried the other way.
  let creates = true;
  for (let attempt = 1; ; attempt += 1) {
    const result = await recordSubmissionAs(tableName, record, creates);
    if (result !== 'lead-exists-differently') return result;
    if (attempt >= CREATION_GUESSES)
      throw new Error(`record submission for lead ${record.leadId}: the lead kept appearing and disappearing`);
    creates = !creates;
  }
}

/** Tries of "creates the lead" and "updates it" before giving up: each failed guess means a concurrent create or erase. */
const CREATION_GUESSES = 4;

async function recordSubmissionAs(
  tableName: string,
  record: SubmissionRecord,
  creates: boolean,
): Promise<RecordSubmissionResult | 'lead-exists-differently'> {
  const { leadId, interaction } = record;
  const at = interaction.at;
  const windowStart = new Date(Date.parse(at) - record.duplicateWindowSeconds * 1000).toISOString();
  const claims = record.claims ?? [];
  // The item order is the order of the cancellation reasons: the guard first, the lead second, the claims last.
  const items: TransactItem[] = [
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
    { Update: leadUpsert(tableName, record, creates) },
    { Delete: { TableName: tableName, Key: keys.suppression(leadId) } },
    {
      Put: {
        TableName: tableName,
        Item: {
          ...interactionItem(leadId, interaction, { consentRequested: record.consentEvidence !== undefined, leadCreated: creates }),
          // Every request's evidence stays with the interaction it came with; the profile keeps the first and the latest.
          ...(record.consentEvidence ? { consentEvidence: record.consentEvidence } : {}),
        },
      },
    },
    ...claims.map((claim) => claim.item),
  ];
  const claimsFrom = items.length - claims.length;
  try {
    await withRetry(
      {
        what: `record submission for lead ${leadId}`,
        attempts: SUBMISSION_CONFLICT_ATTEMPTS,
        retryOn: isTransactionConflict,
        baseDelayMs: 20,
        maxDelayMs: 200,
      },
      () => documentClient.send(new TransactWriteCommand({ TransactItems: items })),
    );
    return { stored: true };
  } catch (error) {
    const codes = cancellationCodes(error);
    if (codes?.[0] === 'ConditionalCheckFailed') return { stored: false, reason: 'duplicate' };
    if (codes?.[1] === 'ConditionalCheckFailed') return 'lead-exists-differently';
    const refused = codes?.findIndex((code, index) => index >= claimsFrom && code === 'ConditionalCheckFailed') ?? -1;
    if (refused >= 0) {
      const claim = claims[refused - claimsFrom]!;
      return { stored: false, reason: 'refused', claim: claim.name, retryAfterSeconds: claim.retryAfterSeconds };
    }
    throw error;
  }
}

/**
 * The lead item's write: `creates` writes what only a new lead gets (its creation time and day, for the recent-leads
 * index, and its first touch, for the funnel's attribution) on the condition that no lead item exists; otherwise the
 * lead item must exist.
 */
function leadUpsert(tableName: string, record: SubmissionRecord, creates: boolean) {
  const names: Record<string, string> = { '#version': 'version', '#pk': 'pk' };
  const values: Record<string, unknown> = {
    ':email': record.email,
    ':at': record.interaction.at,
    ':warm': 'warm',
    ':leadId': record.leadId,
    ':one': 1,
  };
  const sets = ['email = :email', 'leadId = :leadId', 'updatedAt = :at', 'lifecycle = if_not_exists(lifecycle, :warm)'];
  if (creates) {
    values[':day'] = dayOf(record.interaction.at);
    values[':firstTouch'] = firstTouchOf(record.interaction);
    sets.push('createdAt = :at', 'createdDay = :day', 'firstTouch = :firstTouch');
  }
  // Only the fields this form carried are written, so a newsletter signup never blanks a name from an earlier download.
  for (const [field, value] of Object.entries(record.profile)) {
    if (value === undefined) continue;
    names[`#${field}`] = field;
    values[`:${field}`] = value;
    sets.push(`#${field} = :${field}`);
  }
  if (record.consentEvidence) {
    // Two fixed-size attributes, never a list that grows with every post: the profile stays bounded.
    values[':evidence'] = record.consentEvidence;
    sets.push(
      'consentRequestedAt = :at',
      'consentEvidenceFirst = if_not_exists(consentEvidenceFirst, :evidence)',
      'consentEvidenceLatest = :evidence',
    );
  }
  return {
    TableName: tableName,
    Key: keys.lead(record.leadId),
    UpdateExpression: `SET ${sets.join(', ')} ADD #version :one`,
    ConditionExpression: creates ? 'attribute_not_exists(#pk)' : 'attribute_exists(#pk)',
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}
