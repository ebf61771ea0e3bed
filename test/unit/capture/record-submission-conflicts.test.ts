/**
 * recordSubmission's answers to a cancelled transaction, with only DynamoDB mocked
 * (aws-sdk-client-mock): DynamoDB Local serialises transactions and never reports TransactionConflict,
 * which real DynamoDB does when concurrent posts for one address write the same lead item.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { consentRateLimits } from '../../../shared/capture/rate-limits';
import { rateLimitClaims } from '../../../shared/storage/rate-limit-items';
import { documentClient } from '../../../shared/storage/dynamodb-client';
import { RetriesExhaustedError } from '../../../shared/retry/with-retry';
import { recordSubmission, SUBMISSION_CONFLICT_ATTEMPTS, type SubmissionRecord } from '../../../shared/storage/record-submission';

const AT = '2026-05-04T10:15:30.000Z';
const record: SubmissionRecord = {
  leadId: 'Lconflict',
  email: 'jane@acme.example',
  profile: { locale: 'de' },
  interaction: { id: 'i-1', type: 'newsletter_signup', at: AT },
  consentEvidence: { at: AT, ip: '203.0.113.7', userAgent: 'UA', form: 'newsletter', textVersion: 'v1' },
  fingerprint: 'f'.repeat(64),
  duplicateWindowSeconds: 600,
  claims: rateLimitClaims(
    't',
    consentRateLimits({ at: AT, sourceIp: '203.0.113.7', email: 'jane@acme.example', leadId: 'Lconflict' }, 'k'.repeat(32)),
  ),
};
/** guard, lead, suppression, interaction, then the two claims */
const ITEMS = 6;

function cancelled(codes: Record<number, string>): TransactionCanceledException {
  return new TransactionCanceledException({
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${Object.values(codes).join(', ')}]`,
    $metadata: {},
    CancellationReasons: Array.from({ length: ITEMS }, (_, index) => ({ Code: codes[index] ?? 'None' })),
  });
}

describe('recordSubmission: a cancelled transaction', () => {
  const dynamo = mockClient(documentClient);
  afterEach(() => dynamo.reset());

  it('is tried again after a TransactionConflict on the lead item, and then stored', async () => {
    // Prepare
    dynamo
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled({ 1: 'TransactionConflict' }))
      .resolves({});

    // Act
    const result = await recordSubmission('t', record);

    // Assess
    expect(result).toEqual({ stored: true });
    const calls = dynamo.commandCalls(TransactWriteCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.args[0].input).toEqual(calls[0]!.args[0].input);
    expect(calls[0]!.args[0].input.TransactItems).toHaveLength(ITEMS);
  });

  it(`gives up after ${SUBMISSION_CONFLICT_ATTEMPTS} conflicting attempts with a typed error`, async () => {
    // Prepare
    dynamo.on(TransactWriteCommand).rejects(cancelled({ 4: 'TransactionConflict' }));

    // Act
    const error = await recordSubmission('t', record).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(RetriesExhaustedError);
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(SUBMISSION_CONFLICT_ATTEMPTS);
  });

  it('answers a failed double-click guard as a duplicate, without another attempt', async () => {
    dynamo.on(TransactWriteCommand).rejects(cancelled({ 0: 'ConditionalCheckFailed', 4: 'ConditionalCheckFailed' }));
    expect(await recordSubmission('t', record)).toEqual({ stored: false, reason: 'duplicate' });
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it.each([
    [4, 'consent-requests-per-ip'],
    [5, 'opt-in-addresses-per-mailbox'],
  ])('names the limit whose condition failed, by the index of its cancellation reason (%i → %s)', async (index, name) => {
    dynamo.on(TransactWriteCommand).rejects(cancelled({ [index]: 'ConditionalCheckFailed' }));
    expect(await recordSubmission('t', record)).toEqual({ stored: false, reason: 'refused', claim: name, retryAfterSeconds: 2670 });
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it('throws any other cancellation at once', async () => {
    const tooLarge = cancelled({ 1: 'ValidationError' });
    dynamo.on(TransactWriteCommand).rejects(tooLarge);
    await expect(recordSubmission('t', record)).rejects.toBe(tooLarge);
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });
});
