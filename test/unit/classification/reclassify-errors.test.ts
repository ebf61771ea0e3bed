/**
 * Which failed classification writes are tried again, with only DynamoDB mocked (aws-sdk-client-mock):
 * DynamoDB Local never reports TransactionConflict. The item-size error is also checked against the
 * real DynamoDB Local, in test/integration/capture/profile-size-budget.test.ts.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { documentClient } from '../../../shared/storage/dynamodb-client';
import { CLASSIFY_CONFLICT_ATTEMPTS, reclassifyLead } from '../../../shared/classification/reclassify-lead';
import { defaultScoringConfig } from '../../../shared/domain/classification';
import { RetriesExhaustedError } from '../../../shared/retry/with-retry';
import { dynamoClassificationStore } from '../../../shared/storage/dynamo-classification-store';
import { ItemTooLargeError } from '../../../shared/storage/transaction-errors';

const deps = { store: dynamoClassificationStore('t'), retentionDays: 30 };

const NOW = '2026-05-04T10:00:00.000Z';
const lead = {
  pk: 'LEAD#Lx',
  sk: 'PROFILE',
  leadId: 'Lx',
  email: 'jane@acme.example',
  createdAt: NOW,
  updatedAt: NOW,
  version: 3,
  lifecycle: 'warm',
};
const contact = { id: 'i-1', type: 'contact', at: NOW };

function cancelled(code: string, message?: string): TransactionCanceledException {
  return new TransactionCanceledException({
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${code}]`,
    $metadata: {},
    CancellationReasons: [{ Code: code, ...(message ? { Message: message } : {}) }],
  });
}

describe('reclassifyLead: a failed write', () => {
  const dynamo = mockClient(documentClient);
  beforeEach(() => {
    dynamo.on(GetCommand).resolves({ Item: lead });
    dynamo.on(QueryCommand).resolves({ Items: [contact] });
  });
  afterEach(() => dynamo.reset());

  it('over the item size limit is an ItemTooLargeError after one attempt, not "conflicting attempts"', async () => {
    // Prepare
    dynamo.on(TransactWriteCommand).rejects(cancelled('ValidationError', 'Item size to update has exceeded the maximum allowed size'));

    // Act
    const error = await reclassifyLead(deps, 'Lx', NOW, defaultScoringConfig).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(ItemTooLargeError);
    expect((error as Error).message).toMatch(/classify lead Lx: .*maximum item size/);
    expect((error as Error).message).not.toMatch(/conflict/i);
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it.each(['TransactionConflict', 'ConditionalCheckFailed'])(
    'after %s is computed again from a fresh read, and then stored',
    async (code) => {
      // Prepare
      dynamo.on(TransactWriteCommand).rejectsOnce(cancelled(code)).resolves({});

      // Act
      const outcome = await reclassifyLead(deps, 'Lx', NOW, defaultScoringConfig);

      // Assess
      expect(outcome).toMatchObject({ kind: 'updated', becameMql: true, attempts: 2 });
      expect(dynamo.commandCalls(GetCommand)).toHaveLength(2);
      expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(2);
    },
  );

  it(`gives up after ${CLASSIFY_CONFLICT_ATTEMPTS} lost races with a typed error`, async () => {
    dynamo.on(TransactWriteCommand).rejects(cancelled('TransactionConflict'));
    const error = await reclassifyLead(deps, 'Lx', NOW, defaultScoringConfig).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetriesExhaustedError);
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(CLASSIFY_CONFLICT_ATTEMPTS);
  });

  it('throws any other error at once', async () => {
    const throttled = cancelled('ThrottlingError');
    dynamo.on(TransactWriteCommand).rejects(throttled);
    await expect(reclassifyLead(deps, 'Lx', NOW, defaultScoringConfig)).rejects.toBe(throttled);
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it('reads a bounded window: the newest interactions of the decay window, classification attributes only', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    await reclassifyLead(deps, 'Lx', NOW, defaultScoringConfig);
    const query = dynamo.commandCalls(QueryCommand)[0]!.args[0].input;
    expect(query).toMatchObject({
      ScanIndexForward: false,
      Limit: 200,
      ConsistentRead: true,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
    });
    expect(query.ExpressionAttributeValues![':from']).toBe(
      `INTERACTION#${new Date(Date.parse(NOW) - (defaultScoringConfig.decay.decayDays + 1) * 86_400_000).toISOString()}`,
    );
    expect(query.ProjectionExpression).not.toContain('consentEvidence');
  });
});
