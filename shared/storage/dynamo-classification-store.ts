import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { SALES_QUEUE_UNDECIDED } from '../console/console-store';
import { ClassificationConflictError, type ClassificationChange, type ClassificationStore } from '../classification/classification-store';
import { documentClient } from './dynamodb-client';
import { loadClassificationInput } from './lead-partition';
import { outboxEventItem } from './outbox-event-item';
import { keys } from './table-design';
import { isItemTooLarge, isWriteConflict, ItemTooLargeError } from './transaction-errors';

/** The classification store in the lead table: one TransactWriteItems of the lead update (version-guarded) and its outbox items. */
export function dynamoClassificationStore(tableName: string): ClassificationStore {
  return {
    loadClassificationInput: (leadId, window) => loadClassificationInput(tableName, leadId, window),

    async writeClassification(change) {
      const events = change.events.map((event) =>
        outboxEventItem(tableName, change.leadId, event.key, event.declaration, event.detail, event.at),
      );
      try {
        await documentClient.send(
          new TransactWriteCommand({
            TransactItems: [{ Update: { TableName: tableName, Key: keys.lead(change.leadId), ...leadUpdate(change) } }, ...events],
          }),
        );
      } catch (error) {
        // Retrying cannot shrink an item: report it as what it is, not as a lost race.
        if (isItemTooLarge(error)) throw new ItemTooLargeError(`classify lead ${change.leadId}`, error);
        if (isWriteConflict(error)) throw new ClassificationConflictError(change.leadId, error);
        throw error;
      }
    },
  };
}

function leadUpdate({ classification: c, nurture, at, expectedVersion, qualificationSeq, becameMql, becamePql }: ClassificationChange) {
  const values: Record<string, unknown> = {
    ':lifecycle': c.lifecycle,
    ':qualification': c.qualification,
    ':funnelStage': c.funnelStage,
    ':pql': c.pql,
    ':score': c.score,
    ':fitScore': c.fitScore,
    ':engagementScore': c.engagementScore,
    ':scoreExplanation': c.scoreExplanation,
    ':interactionPoints': c.interactionPoints,
    ':at': at,
    ':qualificationSeq': qualificationSeq,
    ':version': expectedVersion,
    ':one': 1,
  };
  const sets = [
    'lifecycle = :lifecycle',
    'qualification = :qualification',
    'funnelStage = :funnelStage',
    'pql = :pql',
    'score = :score',
    'fitScore = :fitScore',
    'engagementScore = :engagementScore',
    'scoreExplanation = :scoreExplanation',
    'interactionPoints = :interactionPoints',
    'classifiedAt = :at',
    'qualificationSeq = :qualificationSeq',
  ];
  const removes: string[] = [];
  // A new MQL also joins the console's sales queue (sparse index) until the sales decision removes it again.
  // Classification never moves a lead out of mql, so nothing here takes it out.
  if (becameMql) {
    sets.push('mqlAt = :at', 'salesQueue = :salesQueue');
    values[':salesQueue'] = SALES_QUEUE_UNDECIDED;
  }
  if (becamePql) sets.push('pqlAt = :at');
  if (nurture.nurture) {
    sets.push('nurture = :nurture');
    values[':nurture'] = nurture.nurture;
  }
  if (nurture.nurtureDueAt && nurture.dueShard) {
    sets.push('nurtureDueAt = :dueAt', 'dueShard = :dueShard');
    values[':dueAt'] = nurture.nurtureDueAt;
    values[':dueShard'] = nurture.dueShard;
  } else {
    removes.push('nurtureDueAt', 'dueShard');
  }
  return {
    UpdateExpression: `SET ${sets.join(', ')} ${removes.length ? `REMOVE ${removes.join(', ')} ` : ''}ADD #version :one`,
    ConditionExpression: '#version = :version',
    ExpressionAttributeNames: { '#version': 'version' },
    ExpressionAttributeValues: values,
  };
}
