import { describe, expect, it } from 'vitest';
import {
  errorBody,
  HttpError,
  InvalidTokenError,
  isHttpError,
  MalformedBodyError,
  NotFoundError,
  PayloadTooLargeError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../../../shared/http/http-errors';

describe('http errors', () => {
  it.each([
    [new ValidationError({ email: 'email is required' }), 400, 'validation_failed', 'ValidationError'],
    [new MalformedBodyError('invalid_json'), 400, 'malformed_body', 'MalformedBodyError'],
    [new PayloadTooLargeError(16384), 413, 'payload_too_large', 'PayloadTooLargeError'],
    [new UnsupportedMediaTypeError(), 415, 'unsupported_media_type', 'UnsupportedMediaTypeError'],
    [new InvalidTokenError('expired'), 400, 'invalid_token', 'InvalidTokenError'],
    [new UnauthorizedError(), 401, 'unauthorized', 'UnauthorizedError'],
    [new NotFoundError(), 404, 'not_found', 'NotFoundError'],
  ])('%s carries status %i and code %s', (error, statusCode, code, name) => {
    // Prepare: the error is built in the table

    // Act
    const recognised = isHttpError(error);

    // Assess
    expect(recognised).toBe(true);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toBeInstanceOf(Error);
    expect(error.statusCode).toBe(statusCode);
    expect(error.code).toBe(code);
    expect(error.name).toBe(name);
    expect(error.message).not.toBe('');
  });

  it('lists the bad field names in a validation message', () => {
    // Prepare
    const error = new ValidationError({ email: 'email is required', firstName: 'firstName must be a string' });

    // Act
    const message = error.message;

    // Assess
    expect(message).toContain('email');
    expect(message).toContain('firstName');
  });

  it.each([
    ['invalid_json', /invalid JSON/],
    ['invalid_encoding', /encoding/],
    ['invalid_percent_encoding', /percent-encoding/],
    ['not_an_object', /not an object/],
  ] as const)('names the body problem %s', (problem, pattern) => {
    // Prepare
    const error = new MalformedBodyError(problem);

    // Act
    const message = error.message;

    // Assess
    expect(message).toMatch(pattern);
    expect(error.problem).toBe(problem);
  });

  it('keeps the token reason', () => {
    // Prepare
    const error = new InvalidTokenError('wrong_purpose');

    // Act
    const reason = error.reason;

    // Assess
    expect(reason).toBe('wrong_purpose');
  });

  it('renders the error body with fields for validation errors', () => {
    // Prepare
    const error = new ValidationError({ email: 'email is required' });

    // Act
    const body = errorBody(error);

    // Assess
    expect(body).toEqual({
      error: { code: 'validation_failed', message: 'Invalid fields: email', fields: { email: 'email is required' } },
    });
  });

  it('renders the error body without a fields key for other errors', () => {
    // Prepare
    const error = new NotFoundError('No such asset');

    // Act
    const body = errorBody(error);

    // Assess
    expect(body).toStrictEqual({ error: { code: 'not_found', message: 'No such asset' } });
    expect(JSON.parse(JSON.stringify(body))).toStrictEqual(body);
  });

  it('does not treat a plain Error as an HttpError', () => {
    // Prepare
    const error = new Error('boom');

    // Act
    const recognised = isHttpError(error);

    // Assess
    expect(recognised).toBe(false);
  });
});
