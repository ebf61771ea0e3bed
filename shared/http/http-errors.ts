/**
 * Named errors that pure code throws and the HTTP middleware maps to a response in one place
 * (status from `statusCode`, body from `errorBody`). Messages end up in response bodies, so they
 * must never carry secrets or echo large untrusted input.
 */
export class HttpError extends Error {
  readonly statusCode: number;
  readonly code: string;
  readonly fields?: Record<string, string>;

  constructor(statusCode: number, code: string, message: string, fields?: Record<string, string>) {
    super(message);
    this.name = new.target.name;
    this.statusCode = statusCode;
    this.code = code;
    if (fields !== undefined) this.fields = fields;
  }
}

export class ValidationError extends HttpError {
  declare readonly fields: Record<string, string>;

  /** `fields` maps each bad field name to a human-readable message. */
  constructor(fields: Record<string, string>) {
    super(400, 'validation_failed', `Invalid fields: ${Object.keys(fields).join(', ')}`, fields);
  }
}

export type MalformedBodyProblem = 'invalid_json' | 'invalid_encoding' | 'invalid_percent_encoding' | 'not_an_object';

const MALFORMED_BODY_MESSAGES: Record<MalformedBodyProblem, string> = {
  invalid_json: 'Malformed request body: invalid JSON',
  invalid_encoding: 'Malformed request body: bad encoding (expected UTF-8)',
  invalid_percent_encoding: 'Malformed request body: bad percent-encoding',
  not_an_object: 'Malformed request body: not an object',
};

export class MalformedBodyError extends HttpError {
  readonly problem: MalformedBodyProblem;

  constructor(problem: MalformedBodyProblem) {
    super(400, 'malformed_body', MALFORMED_BODY_MESSAGES[problem]);
    this.problem = problem;
  }
}

export class PayloadTooLargeError extends HttpError {
  constructor(maxBytes: number) {
    super(413, 'payload_too_large', `Request body exceeds ${maxBytes} bytes`);
  }
}

export class UnsupportedMediaTypeError extends HttpError {
  constructor() {
    super(
      415,
      'unsupported_media_type',
      'Unsupported content type: expected application/json or application/x-www-form-urlencoded',
    );
  }
}

export type InvalidTokenReason = 'malformed' | 'tampered' | 'expired' | 'wrong_purpose';

const INVALID_TOKEN_MESSAGES: Record<InvalidTokenReason, string> = {
  malformed: 'Invalid token: malformed',
  tampered: 'Invalid token: signature does not match',
  expired: 'Invalid token: expired',
  wrong_purpose: 'Invalid token: not valid for this action',
};

export class InvalidTokenError extends HttpError {
  readonly reason: InvalidTokenReason;

  constructor(reason: InvalidTokenReason) {
    super(400, 'invalid_token', INVALID_TOKEN_MESSAGES[reason]);
    this.reason = reason;
  }
}

export class UnauthorizedError extends HttpError {
  constructor(message = 'Unauthorized') {
    super(401, 'unauthorized', message);
  }
}

export class NotFoundError extends HttpError {
  constructor(message = 'Not found') {
    super(404, 'not_found', message);
  }
}

export interface ErrorBody {
  error: { code: string; message: string; fields?: Record<string, string> };
}

export function errorBody(err: HttpError): ErrorBody {
  return {
    error: {
      code: err.code,
      message: err.message,
      ...(err.fields !== undefined ? { fields: { ...err.fields } } : {}),
    },
  };
}

export function isHttpError(value: unknown): value is HttpError {
  return value instanceof HttpError;
}
