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
  readonly pageText?: PageText;

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

export type PageText = Record<'de' | 'en', { title: string; message: string }>;

export type MalformedBodyProblem = 'invalid_json' | 'invalid_encoding' | 'invalid_percent_encoding' | 'not_an_object' | 'json_as_form';

const MALFORMED_BODY_MESSAGES: Record<MalformedBodyProblem, string> = {
  invalid_json: 'Malformed request body: invalid JSON',
  invalid_encoding: 'Malformed request body: bad encoding (expected UTF-8)',
  invalid_percent_encoding: 'Malformed request body: bad percent-encoding',
  not_an_object: 'Malformed request body: not an object',
  // `curl -d '{…}'` without -H sends this: the content type, not the JSON, is what to fix.
  json_as_form:
    'Wrong content type: the body looks like JSON but was sent as application/x-www-form-urlencoded; ' +
    'send it with Content-Type: application/json',
};

// Each page names what was wrong, so whoever built the form can fix it, in words a visitor can pass on.
const MALFORMED_BODY_DETAIL: Record<Exclude<MalformedBodyProblem, 'json_as_form'>, Record<'de' | 'en', string>> = {
  invalid_json: { de: 'Die Daten waren kein gültiges JSON.', en: 'The data was not valid JSON.' },
  invalid_encoding: {
    de: 'Der Text war nicht richtig kodiert (kein gültiges UTF-8).',
    en: 'The text was not encoded correctly (bad encoding, expected UTF-8).',
  },
  invalid_percent_encoding: {
    de: 'Ein Zeichen im Formular war falsch kodiert (ungültige Prozent-Kodierung).',
    en: 'A character in the form was encoded incorrectly (bad percent-encoding).',
  },
  not_an_object: { de: 'Die Daten waren kein JSON-Objekt.', en: 'The data was not a JSON object.' },
};

function malformedBodyPage(problem: Exclude<MalformedBodyProblem, 'json_as_form'>): PageText {
  const detail = MALFORMED_BODY_DETAIL[problem];
  return {
    de: {
      title: 'Anfrage nicht lesbar',
      message: `Ihre Angaben kamen nicht lesbar bei uns an. ${detail.de} Bitte gehen Sie zurück und senden Sie das Formular erneut.`,
    },
    en: {
      title: 'Request could not be read',
      message: `Your details did not reach us in a readable form. ${detail.en} Please go back and send the form again.`,
    },
  };
}

const JSON_AS_FORM_PAGE: PageText = {
  de: {
    title: 'Falscher Content-Type',
    message:
      'Der Inhalt sieht aus wie JSON, wurde aber als application/x-www-form-urlencoded gesendet. ' +
      'Bitte senden Sie ihn mit dem Header „Content-Type: application/json“.',
  },
  en: {
    title: 'Wrong content type',
    message:
      'The body looks like JSON but was sent as application/x-www-form-urlencoded. ' +
      'Please send it with the header "Content-Type: application/json".',
  },
};

export class MalformedBodyError extends HttpError {
  readonly problem: MalformedBodyProblem;
  override readonly pageText: PageText;

  constructor(problem: MalformedBodyProblem) {
    super(400, problem === 'json_as_form' ? 'wrong_content_type' : 'malformed_body', MALFORMED_BODY_MESSAGES[problem]);
    this.problem = problem;
    this.pageText = problem === 'json_as_form' ? JSON_AS_FORM_PAGE : malformedBodyPage(problem);
  }
}

export class PayloadTooLargeError extends HttpError {
  override readonly pageText: PageText;

  constructor(maxBytes: number) {
    super(413, 'payload_too_large', `Request body exceeds ${maxBytes} bytes`);
    // The limit in KB, as a visitor reads sizes; the JSON message keeps the exact byte count.
    const kb = Math.floor(maxBytes / 1024);
    this.pageText = {
      de: {
        title: 'Zu viel Text',
        message: `Ihre Angaben sind zu lang (höchstens ${kb} KB). Bitte kürzen Sie Ihre Nachricht und senden Sie erneut.`,
      },
      en: {
        title: 'Too much text',
        message: `Your details are too long (at most ${kb} KB). Please shorten your message and send again.`,
      },
    };
  }
}

export class UnsupportedMediaTypeError extends HttpError {
  override readonly pageText: PageText = {
    de: { title: 'Format nicht unterstützt', message: 'Dieses Formular nimmt nur normale Formular- oder JSON-Daten an.' },
    en: { title: 'Format not supported', message: 'This form only accepts regular form data or JSON.' },
  };

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

/** What a person sees for a link that no longer works: expired says so; anything else is "this link does not work". */
const INVALID_LINK_PAGE: Record<'expired' | 'broken', PageText> = {
  expired: {
    de: { title: 'Dieser Link ist abgelaufen', message: 'Links in unseren E-Mails gelten nur eine begrenzte Zeit.' },
    en: { title: 'This link has expired', message: 'Links in our emails only work for a limited time.' },
  },
  broken: {
    de: {
      title: 'Dieser Link funktioniert nicht',
      message: 'Der Link ist unvollständig oder wurde verändert. Bitte öffnen Sie ihn direkt aus der E-Mail.',
    },
    en: {
      title: 'This link does not work',
      message: 'The link is incomplete or was changed. Please open it directly from the email.',
    },
  },
};

/**
 * A sales decision link that does not work: sales cannot get a new one themselves (the notification is the only source),
 * so the page says who can help.
 */
export function salesLinkProblemPage(reason: InvalidTokenReason): PageText {
  const page = INVALID_LINK_PAGE[reason === 'expired' ? 'expired' : 'broken'];
  return {
    de: {
      title: page.de.title,
      message: 'Bitte wenden Sie sich an das Marketing: Dort kann der Lead geprüft und bei Bedarf erneut an den Vertrieb gemeldet werden.',
    },
    en: {
      title: page.en.title,
      message: 'Please ask marketing: they can look at the lead and, if needed, pass it to sales again.',
    },
  };
}

export class InvalidTokenError extends HttpError {
  readonly reason: InvalidTokenReason;
  override readonly pageText: PageText;

  constructor(reason: InvalidTokenReason) {
    super(400, 'invalid_token', INVALID_TOKEN_MESSAGES[reason]);
    this.reason = reason;
    this.pageText = INVALID_LINK_PAGE[reason === 'expired' ? 'expired' : 'broken'];
  }
}

export class UnauthorizedError extends HttpError {
  override readonly pageText: PageText = {
    de: { title: 'Nicht berechtigt', message: 'Für diese Seite fehlt die Berechtigung.' },
    en: { title: 'Not authorised', message: 'You are not authorised to open this page.' },
  };

  constructor(message = 'Unauthorized') {
    super(401, 'unauthorized', message);
  }
}

export class NotFoundError extends HttpError {
  override readonly pageText: PageText = {
    de: { title: 'Seite nicht gefunden', message: 'Diese Seite gibt es nicht (mehr). Bitte prüfen Sie die Adresse.' },
    en: { title: 'Page not found', message: 'This page does not exist (any more). Please check the address.' },
  };

  constructor(message = 'Not found') {
    super(404, 'not_found', message);
  }
}

/** Too many consent requests (per source IP or per mailbox, see shared/capture/rate-limits.ts); try again after the window. */
export class TooManyRequestsError extends HttpError {
  override readonly headers: Record<string, string>;
  override readonly pageText: PageText;

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
