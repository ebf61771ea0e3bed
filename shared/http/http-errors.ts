/**
 * Named errors that pure code throws and the HTTP middleware maps to a response in one place
 * (status from `statusCode`, body from `errorBody`). Messages end up in response bodies, so they
 * must never carry secrets or echo large untrusted input.
 */
export class HttpError extends Error {
  readonly statusCode: number;
  readonly code: string;
  readonly fields?: Record<string, string>;
  /** extra response headers (Retry-After) */
  readonly headers?: Record<string, string>;
  /** what a person sees on an HTML error page, per locale; otherwise the (English) message is shown */
  readonly pageText?: Record<'de' | 'en', { title: string; message: string }>;

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
    super(415, 'unsupported_media_type', 'Unsupported content type: expected application/json or application/x-www-form-urlencoded');
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

/** Too many consent requests (per source IP or per mailbox, see shared/capture/rate-limits.ts); try again after the window. */
export class TooManyRequestsError extends HttpError {
  override readonly headers: Record<string, string>;
  override readonly pageText: Record<'de' | 'en', { title: string; message: string }>;

  constructor(readonly retryAfterSeconds: number) {
    const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
    super(429, 'too_many_requests', `Too many requests: please try again in ${minutes} minute${minutes === 1 ? '' : 's'}`);
    this.headers = { 'retry-after': String(retryAfterSeconds) };
    this.pageText = {
      de: {
        title: 'Zu viele Anfragen',
        message:
          'Von hier oder für diese Adresse kamen gerade zu viele Anfragen. ' +
          `Bitte versuchen Sie es in ${minutes} ${minutes === 1 ? 'Minute' : 'Minuten'} erneut.`,
      },
      en: {
        title: 'Too many requests',
        message:
          'There have been too many requests from here or for this address. ' +
          `Please try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
      },
    };
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
