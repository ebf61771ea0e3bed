/**
 * What a failed SES send means, for every sender (nurture, opt-in, download link, sales):
 * - `transient`: throttling, quotas, service faults, network failures. Nobody's fault; try again later.
 * - `setup`: the account or its configuration stops every send (sandbox or unverified identity,
 *   paused or suspended account, missing configuration set, missing IAM grant). Not the lead's
 *   fault: the mail is "not sent, still due", an operator must fix the setup (EmailSetupError alarm).
 * - `permanent`: this message will fail the same way again (a malformed address, a template bug).
 */
export type SendErrorKind = 'transient' | 'setup' | 'permanent';

const TRANSIENT_NAMES = new Set([
  'TooManyRequestsException',
  'LimitExceededException',
  'ThrottlingException',
  'Throttling',
  'InternalFailure',
  'ServiceUnavailable',
  'TimeoutError',
]);

/** SES v2 names, the SES v1 names for the same conditions, and IAM's refusal. */
const SETUP_NAMES = new Set([
  // "Email address is not verified": the sandbox, or an identity that lost its verification
  'MessageRejected',
  // IAM, or the sandbox checking the recipient identity the grant does not cover
  'AccessDenied',
  'AccessDeniedException',
  'MailFromDomainNotVerifiedException',
  'AccountSuspendedException',
  'SendingPausedException',
  'AccountSendingPausedException',
  'ConfigurationSetSendingPausedException',
  'ConfigurationSetDoesNotExist',
  'ConfigurationSetDoesNotExistException',
  // SES v2: the configuration set or identity named in the request does not exist
  'NotFoundException',
]);

export function classifySendError(error: unknown): SendErrorKind {
  if (!(error instanceof Error)) return 'permanent';
  const sdk = error as Error & { $retryable?: unknown; $fault?: string; code?: string };
  if (SETUP_NAMES.has(error.name)) return 'setup';
  // A deleted default configuration set of the identity comes back as a plain bad request.
  if (error.name === 'BadRequestException' && /configuration set/i.test(error.message)) return 'setup';
  if (sdk.$retryable || sdk.$fault === 'server' || TRANSIENT_NAMES.has(error.name)) return 'transient';
  // Network errors never reached SES: ECONNREFUSED, ECONNRESET, ETIMEDOUT … and EAI_AGAIN, a temporary
  // DNS failure. Node's own ERR_* codes are programming errors and fail the same way again.
  if (typeof sdk.code === 'string' && /^(E[A-Z]+|EAI_AGAIN)$/.test(sdk.code)) return 'transient';
  return 'permanent';
}

/** Worth trying the same message again later: nothing about it is wrong. */
export function isRetryableSendError(error: unknown): boolean {
  return classifySendError(error) !== 'permanent';
}
