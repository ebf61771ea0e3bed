import {
  AccountSuspendedException,
  BadRequestException,
  LimitExceededException,
  MessageRejected,
  SendingPausedException,
  SESv2ServiceException,
  TooManyRequestsException,
} from '@aws-sdk/client-sesv2';
import { describe, expect, it } from 'vitest';
import { isRetryableSendError } from '../../../shared/nurture/send-errors';

const $metadata = {};

function networkError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:443`), { code });
}

describe('isRetryableSendError', () => {
  it.each([
    ['TooManyRequestsException', new TooManyRequestsException({ message: 'Maximum sending rate exceeded.', $metadata })],
    ['LimitExceededException', new LimitExceededException({ message: 'Limit exceeded', $metadata })],
    ['SendingPausedException', new SendingPausedException({ message: 'Sending is paused for this account.', $metadata })],
    ['AccountSuspendedException', new AccountSuspendedException({ message: 'The account is suspended.', $metadata })],
    ['an error the SDK marks $retryable (throttling)', Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $retryable: { throttling: true } })],
    ['an unmodelled server fault', new SESv2ServiceException({ name: 'InternalFailure', $fault: 'server', message: 'internal', $metadata })],
    ['a 503 without a modelled name', Object.assign(new Error('Service Unavailable'), { name: 'Unknown', $fault: 'server' })],
    ['a request timeout', Object.assign(new Error('Connection timed out after 3000 ms'), { name: 'TimeoutError' })],
    ['ECONNRESET', networkError('ECONNRESET')],
    ['ECONNREFUSED', networkError('ECONNREFUSED')],
    ['ETIMEDOUT', networkError('ETIMEDOUT')],
    ['EAI_AGAIN (temporary DNS failure)', networkError('EAI_AGAIN')],
  ])('retries %s', (_label, error) => {
    // Prepare: the error

    // Act
    const retryable = isRetryableSendError(error);

    // Assess
    expect(retryable).toBe(true);
  });

  it.each([
    ['MessageRejected', new MessageRejected({ message: 'Email address is not verified.', $metadata })],
    ['BadRequestException', new BadRequestException({ message: 'Invalid header value', $metadata })],
    ['a programming error', new TypeError("Cannot read properties of undefined (reading 'email')")],
    ['a Node error code that is no network failure', Object.assign(new Error('Invalid URL'), { code: 'ERR_INVALID_URL' })],
    ['a template error', new Error('Template tofu-1 is missing variable unsubscribeUrl')],
    ['something thrown that is no Error', { name: 'TooManyRequestsException' }],
    ['undefined', undefined],
  ])('does not retry %s', (_label, error) => {
    // Prepare: the error

    // Act
    const retryable = isRetryableSendError(error);

    // Assess
    expect(retryable).toBe(false);
  });
});
