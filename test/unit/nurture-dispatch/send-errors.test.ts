import {
  AccountSuspendedException,
  BadRequestException,
  LimitExceededException,
  MailFromDomainNotVerifiedException,
  MessageRejected,
  NotFoundException,
  SendingPausedException,
  SESv2ServiceException,
  TooManyRequestsException,
} from '@aws-sdk/client-sesv2';
import { describe, expect, it } from 'vitest';
import { classifySendError, isRetryableSendError } from '../../../shared/email/send-errors';

const $metadata = {};

function networkError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:443`), { code });
}

describe('classifySendError', () => {
  it.each([
    ['TooManyRequestsException', new TooManyRequestsException({ message: 'Maximum sending rate exceeded.', $metadata })],
    ['LimitExceededException', new LimitExceededException({ message: 'Limit exceeded', $metadata })],
    [
      'an error the SDK marks $retryable (throttling)',
      Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $retryable: { throttling: true } }),
    ],
    [
      'an unmodelled server fault',
      new SESv2ServiceException({ name: 'InternalFailure', $fault: 'server', message: 'internal', $metadata }),
    ],
    ['a 503 without a modelled name', Object.assign(new Error('Service Unavailable'), { name: 'Unknown', $fault: 'server' })],
    ['a request timeout', Object.assign(new Error('Connection timed out after 3000 ms'), { name: 'TimeoutError' })],
    ['ECONNRESET', networkError('ECONNRESET')],
    ['ECONNREFUSED', networkError('ECONNREFUSED')],
    ['ETIMEDOUT', networkError('ETIMEDOUT')],
    ['EAI_AGAIN (temporary DNS failure)', networkError('EAI_AGAIN')],
  ])('calls %s transient', (_label, error) => {
    // Prepare: the error

    // Act
    const kind = classifySendError(error);

    // Assess
    expect(kind).toBe('transient');
    expect(isRetryableSendError(error)).toBe(true);
  });

  it.each([
    ['MessageRejected (sandbox: recipient not verified)', new MessageRejected({ message: 'Email address is not verified.', $metadata })],
    [
      'AccessDeniedException (unverified identity or sandbox)',
      new SESv2ServiceException({ name: 'AccessDeniedException', $fault: 'client', message: 'not authorized', $metadata }),
    ],
    ['MailFromDomainNotVerifiedException', new MailFromDomainNotVerifiedException({ message: 'MAIL FROM domain not verified', $metadata })],
    ['AccountSuspendedException', new AccountSuspendedException({ message: 'The account is suspended.', $metadata })],
    ['SendingPausedException', new SendingPausedException({ message: 'Sending is paused for this account.', $metadata })],
    ['NotFoundException (configuration set missing)', new NotFoundException({ message: 'Configuration set x does not exist.', $metadata })],
    [
      'ConfigurationSetDoesNotExist (SES v1 name)',
      Object.assign(new Error('Configuration set <x> does not exist.'), { name: 'ConfigurationSetDoesNotExist' }),
    ],
    ['a bad request about a deleted default set', new BadRequestException({ message: 'Configuration set x does not exist', $metadata })],
  ])('calls %s a setup error', (_label, error) => {
    // Prepare: the error

    // Act
    const kind = classifySendError(error);

    // Assess
    expect(kind).toBe('setup');
    expect(isRetryableSendError(error)).toBe(true);
  });

  it.each([
    ['BadRequestException about the message', new BadRequestException({ message: 'Illegal address', $metadata })],
    ['a programming error', new TypeError("Cannot read properties of undefined (reading 'email')")],
    ['a Node error code that is no network failure', Object.assign(new Error('Invalid URL'), { code: 'ERR_INVALID_URL' })],
    ['a template error', new Error('Template tofu-1 is missing variable unsubscribeUrl')],
    ['something thrown that is no Error', { name: 'TooManyRequestsException' }],
    ['undefined', undefined],
  ])('calls %s permanent', (_label, error) => {
    // Prepare: the error

    // Act
    const kind = classifySendError(error);

    // Assess
    expect(kind).toBe('permanent');
    expect(isRetryableSendError(error)).toBe(false);
  });
});
