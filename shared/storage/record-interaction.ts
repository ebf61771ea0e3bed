import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from './dynamodb-client';
import type { Interaction } from '../domain/lead';
import { dayOf, firstTouchOf } from '../reporting/funnel-projection';
import { interactionItem } from './interaction-item';
import { keys } from './table-design';

export type RecordInteractionResult = 'recorded' | 'duplicate' | 'no-lead';

/**
 * Records an interaction of a lead that must already exist (email clicks and opens). The interaction id
 * must be derived from the source event, so a redelivered source event is recognised as a duplicate by
 * the conditional put. An erased lead does not exist, so nothing is recorded for it ('no-lead').
 */
export async function recordInteraction(tableName: string, leadId: string, interaction: Interaction): Promise<RecordInteractionResult> {
  const reasons = await transact([
    { ConditionCheck: { TableName: tableName, Key: keys.lead(leadId), ConditionExpression: 'attribute_exists(pk)' } },
    interactionPut(tableName, leadId, interaction),
  ]);
  if (!reasons) return 'recorded';
  const [leadReason, interactionReason] = reasons;
  if (failed(leadReason)) return 'no-lead';
  if (failed(interactionReason)) return 'duplicate';
  throw new Error(`recordInteraction: transaction cancelled for lead ${leadId}: ${describe(reasons)}`);
}

export type RecordSignalResult = 'recorded' | 'duplicate' | 'erased';

/**
 * Records a signal from another system (webinar attended, trial started), creating a warm lead without
 * marketing consent for an address we have not seen. One TransactWriteItems, so each guard holds in the
 * same write that would break it:
 * - the address's erasure suppression entry must not exist: an erased person is never re-created by a
 *   replayed or late signal ('erased', nothing written);
 * - the signal's identity item (`signalKey`, derived from type and external id, never from a timestamp)
 *   must not exist: a sender's retry, even with a fresh timestamp, is the same interaction ('duplicate').
 */
export async function recordSignalInteraction(
  tableName: string,
  leadId: string,
  interaction: Interaction,
  signal: { email: string; signalKey: string },
): Promise<RecordSignalResult> {
  // As for a form post (record-submission.ts): a condition on the lead item decides whether this write creates the lead,
  // so the interaction's event says so exactly once; a wrong guess (a concurrent create or erase) is tried the other way.
  let creates = true;
  for (let attempt = 1; ; attempt += 1) {
    const result = await recordSignalAs(tableName, leadId, interaction, signal, creates);
    if (result !== 'lead-exists-differently') return result;
    if (attempt >= 4) throw new Error(`recordSignalInteraction: the lead ${leadId} kept appearing and disappearing`);
    creates = !creates;
  }
}

async function recordSignalAs(
  tableName: string,
  leadId: string,
  interaction: Interaction,
  signal: { email: string; signalKey: string },
  creates: boolean,
): Promise<RecordSignalResult | 'lead-exists-differently'> {
  // Only a created lead gets its creation time and day (the recent-leads index) and its first touch (funnel attribution).
  const creation = creates ? ', createdAt = :at, createdDay = :day, firstTouch = :firstTouch' : '';
  const reasons = await transact([
    {
      Update: {
        TableName: tableName,
        Key: keys.lead(leadId),
        UpdateExpression:
          `SET email = if_not_exists(email, :email), leadId = :leadId, updatedAt = :at${creation}, ` +
          'lifecycle = if_not_exists(lifecycle, :warm) ADD #version :one',
        ConditionExpression: creates ? 'attribute_not_exists(#pk)' : 'attribute_exists(#pk)',
        ExpressionAttributeNames: { '#version': 'version', '#pk': 'pk' },
        ExpressionAttributeValues: {
          ':email': signal.email,
          ':leadId': leadId,
          ':at': interaction.at,
          ':warm': 'warm',
          ':one': 1,
          ...(creates ? { ':day': dayOf(interaction.at), ':firstTouch': firstTouchOf(interaction) } : {}),
        },
      },
    },
    interactionPut(tableName, leadId, interaction, creates),
    { ConditionCheck: { TableName: tableName, Key: keys.suppression(leadId), ConditionExpression: 'attribute_not_exists(pk)' } },
    {
      Put: {
        TableName: tableName,
        Item: { ...keys.signal(leadId, signal.signalKey), interactionId: interaction.id, at: interaction.at },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ]);
  if (!reasons) return 'recorded';
  const [leadReason, interactionReason, suppressionReason, signalReason] = reasons;
  if (failed(suppressionReason)) return 'erased';
  if (failed(signalReason) || failed(interactionReason)) return 'duplicate';
  if (failed(leadReason)) return 'lead-exists-differently';
  throw new Error(`recordSignalInteraction: transaction cancelled for lead ${leadId}: ${describe(reasons)}`);
}

type CancellationReasons = NonNullable<TransactionCanceledException['CancellationReasons']>;

/** Runs the transaction; undefined when it succeeded, else why each item was cancelled. */
type TransactItems = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>;

async function transact(items: TransactItems): Promise<CancellationReasons | undefined> {
  try {
    await documentClient.send(new TransactWriteCommand({ TransactItems: items }));
    return undefined;
  } catch (error) {
    // Only failed conditions are answered here; a conflict or throttling is thrown for the caller's retry.
    if (error instanceof TransactionCanceledException && (error.CancellationReasons ?? []).some(failed)) return error.CancellationReasons!;
    throw error;
  }
}

function interactionPut(tableName: string, leadId: string, interaction: Interaction, leadCreated = false) {
  return {
    Put: {
      TableName: tableName,
      Item: interactionItem(leadId, interaction, { consentRequested: false, leadCreated }),
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

function failed(reason: CancellationReasons[number] | undefined): boolean {
  return reason?.Code === 'ConditionalCheckFailed';
}

function describe(reasons: CancellationReasons): string {
  return reasons.map((reason) => reason.Code ?? 'None').join(', ');
}
