import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';

/**
 * Telling DynamoDB's write failures apart. A cancelled TransactWriteItems carries one reason per item,
 * in the order of the request's items (`None` for the items that were fine), so a caller that knows
 * its item order can tell which condition failed.
 */

/** The cancellation reason codes of a cancelled transaction, by item index; undefined for any other error. */
export function cancellationCodes(error: unknown): string[] | undefined {
  if (!(error instanceof TransactionCanceledException)) return undefined;
  return (error.CancellationReasons ?? []).map((reason) => reason.Code ?? 'None');
}

/**
 * True when the write lost a race and is worth another attempt after a fresh read: an optimistic-lock
 * condition failed, or DynamoDB cancelled it because another transaction was writing the same item.
 * Anything else (an item over the size limit, a validation error, throttling) is not a conflict.
 */
export function isWriteConflict(error: unknown): boolean {
  if (error instanceof Error && error.name === 'TransactionConflictException') return true;
  const codes = cancellationCodes(error);
  if (!codes || codes.length === 0) return false;
  const failed = codes.filter((code) => code !== 'None');
  return failed.length > 0 && failed.every((code) => code === 'ConditionalCheckFailed' || code === 'TransactionConflict');
}

/** True only for a transaction cancelled because another transaction was writing one of its items. */
export function isTransactionConflict(error: unknown): boolean {
  if (error instanceof Error && error.name === 'TransactionConflictException') return true;
  const codes = cancellationCodes(error);
  return codes?.includes('TransactionConflict') === true && !codes.includes('ConditionalCheckFailed');
}

const ITEM_TOO_LARGE = /item size (to update )?has exceeded the maximum allowed size/i;

/** DynamoDB refused a write because an item would grow past its 400 KB limit. Retrying cannot help. */
export class ItemTooLargeError extends Error {
  override name = 'ItemTooLargeError';
  constructor(
    readonly what: string,
    override readonly cause: unknown,
  ) {
    super(
      `${what}: DynamoDB refused the write, an item would exceed the maximum item size ` +
        `(${cause instanceof Error ? cause.message : String(cause)})`,
    );
  }
}

export function isItemTooLarge(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error instanceof TransactionCanceledException) {
    const reasons = error.CancellationReasons ?? [];
    return (
      reasons.some((reason) => reason.Code === 'ValidationError' && ITEM_TOO_LARGE.test(reason.Message ?? '')) ||
      ITEM_TOO_LARGE.test(error.message)
    );
  }
  return error.name === 'ValidationException' && ITEM_TOO_LARGE.test(error.message);
}
