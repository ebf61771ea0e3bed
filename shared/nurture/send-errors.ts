/**
 * Whether a failed SES send is worth trying again later. Throttling, service faults and account-wide
 * pauses are not the lead's fault and pass; a rejected message or bad input will fail the same way again.
 */
const RETRYABLE_NAMES = new Set([
  'TooManyRequestsException',
  'LimitExceededException',
  'SendingPausedException',
  'AccountSuspendedException',
  'ThrottlingException',
  'InternalFailure',
  'ServiceUnavailable',
  'TimeoutError',
]);

export function isRetryableSendError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const sdk = error as Error & { $retryable?: unknown; $fault?: string; code?: string };
  if (sdk.$retryable) return true;
  if (sdk.$fault === 'server') return true;
  if (RETRYABLE_NAMES.has(error.name)) return true;
  // Network errors never reached SES: ECONNREFUSED, ECONNRESET, ETIMEDOUT … and EAI_AGAIN, a temporary
  // DNS failure. Node's own ERR_* codes are programming errors and fail the same way again.
  return typeof sdk.code === 'string' && /^(E[A-Z]+|EAI_AGAIN)$/.test(sdk.code);
}
