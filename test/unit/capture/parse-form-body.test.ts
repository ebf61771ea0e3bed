import { describe, expect, it } from 'vitest';
import { parseFormBody } from '../../../shared/capture/parse-form-body';
import { MalformedBodyError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../../../shared/http/http-errors';

const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('parseFormBody: content types', () => {
  it.each([
    'application/json',
    'application/json; charset=utf-8',
    'Application/JSON;charset=UTF-8',
    ' application/json ; charset="utf-8"',
    'application/json;charset=utf-8;',
  ])('accepts %j as JSON', (contentType) => {
    // Prepare
    const body = '{"email":"a@example.com"}';

    // Act
    const parsed = parseFormBody({ contentType, body, isBase64Encoded: false });

    // Assess
    expect(parsed).toEqual({ format: 'json', fields: { email: 'a@example.com' } });
  });

  it.each(['application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; charset=UTF-8'])(
    'accepts %j as a form',
    (contentType) => {
      // Prepare
      const body = 'email=a%40example.com';

      // Act
      const parsed = parseFormBody({ contentType, body, isBase64Encoded: false });

      // Assess
      expect(parsed).toEqual({ format: 'form', fields: { email: 'a@example.com' } });
    },
  );

  it.each([
    undefined,
    '',
    'text/plain',
    'multipart/form-data; boundary=x',
    'application/jsonx',
    'application/vnd.api+json',
    // parameters must be `name=value`: a malformed header is no media type at all
    'application/json; charset',
    'application/json;; garbage here',
    'application/x-www-form-urlencoded; a b',
  ])('rejects content type %j with 415', (contentType) => {
    // Prepare
    const input = { contentType, body: '{}', isBase64Encoded: false };

    // Act
    const error = catchError(() => parseFormBody(input));

    // Assess
    expect(error).toBeInstanceOf(UnsupportedMediaTypeError);
    expect((error as UnsupportedMediaTypeError).statusCode).toBe(415);
  });
});

describe('parseFormBody: JSON', () => {
  it('keeps values of every JSON type for validation to judge', () => {
    // Prepare
    const body = JSON.stringify({ email: 5, firstName: { a: 1 }, marketingConsent: true, tags: ['x'], n: null });

    // Act
    const parsed = parseFormBody({ contentType: JSON_TYPE, body, isBase64Encoded: false });

    // Assess
    expect(parsed.fields).toEqual({ email: 5, firstName: { a: 1 }, marketingConsent: true, tags: ['x'], n: null });
  });

  it.each(['{"email":', '{email: "a"}', "{'a':1}", 'undefined', '{"a":1}x', ' '])('rejects invalid JSON %j', (body) => {
    // Prepare
    const input = { contentType: JSON_TYPE, body, isBase64Encoded: false };

    // Act
    const error = catchError(() => parseFormBody(input));

    // Assess
    expect(error).toBeInstanceOf(MalformedBodyError);
    expect((error as MalformedBodyError).problem).toBe('invalid_json');
    expect((error as MalformedBodyError).message).toMatch(/invalid JSON/);
  });

  it.each(['[]', '[{"email":"a@example.com"}]', '"text"', '42', 'null', 'true'])('rejects the JSON non-object %s', (body) => {
    // Prepare
    const input = { contentType: JSON_TYPE, body, isBase64Encoded: false };

    // Act
    const error = catchError(() => parseFormBody(input));

    // Assess
    expect(error).toBeInstanceOf(MalformedBodyError);
    expect((error as MalformedBodyError).problem).toBe('not_an_object');
  });

  it('does not let a __proto__ key change the prototype', () => {
    // Prepare
    const body = '{"__proto__":{"polluted":true},"email":"a@example.com"}';

    // Act
    const { fields } = parseFormBody({ contentType: JSON_TYPE, body, isBase64Encoded: false });

    // Assess
    expect(Object.getPrototypeOf(fields)).toBe(Object.prototype);
    expect((fields as { polluted?: unknown }).polluted).toBeUndefined();
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });
});

describe('parseFormBody: urlencoded', () => {
  it('decodes plus as space and percent escapes, including UTF-8', () => {
    // Prepare
    const body = 'firstName=J%C3%BCrgen+M%C3%BCller&company=A%2BB+GmbH&email=a%40example.com';

    // Act
    const { fields } = parseFormBody({ contentType: FORM_TYPE, body, isBase64Encoded: false });

    // Assess
    expect(fields).toEqual({ firstName: 'Jürgen Müller', company: 'A+B GmbH', email: 'a@example.com' });
  });

  it('keeps the first value of a repeated key', () => {
    // Prepare
    const body = 'email=first%40example.com&email=second%40example.com';

    // Act
    const { fields } = parseFormBody({ contentType: FORM_TYPE, body, isBase64Encoded: false });

    // Assess
    expect(fields).toEqual({ email: 'first@example.com' });
  });

  it('reads a key without = as an empty value and skips empty pairs', () => {
    // Prepare
    const body = '&&marketingConsent&email=a%40example.com&&=orphan';

    // Act
    const { fields } = parseFormBody({ contentType: FORM_TYPE, body, isBase64Encoded: false });

    // Assess
    expect(fields).toEqual({ marketingConsent: '', email: 'a@example.com' });
  });

  it('keeps = inside a value', () => {
    // Prepare
    const body = 'page=https%3A%2F%2Fexample.com%2F%3Fa%3D1&x=a=b';

    // Act
    const { fields } = parseFormBody({ contentType: FORM_TYPE, body, isBase64Encoded: false });

    // Assess
    expect(fields).toEqual({ page: 'https://example.com/?a=1', x: 'a=b' });
  });

  it.each(['email=%', 'email=%4', 'email=%zz', 'email=%FF', 'email=%C3', '%E0%A4%A=1'])('rejects the bad percent-encoding %j', (body) => {
    // Prepare
    const input = { contentType: FORM_TYPE, body, isBase64Encoded: false };

    // Act
    const error = catchError(() => parseFormBody(input));

    // Assess
    expect(error).toBeInstanceOf(MalformedBodyError);
    expect((error as MalformedBodyError).problem).toBe('invalid_percent_encoding');
  });

  it('does not let a __proto__ key change the prototype', () => {
    // Prepare
    const body = '__proto__=x&email=a%40example.com';

    // Act
    const { fields } = parseFormBody({ contentType: FORM_TYPE, body, isBase64Encoded: false });

    // Assess
    expect(Object.getPrototypeOf(fields)).toBe(Object.prototype);
    expect(Object.keys(fields)).toEqual(['__proto__', 'email']);
  });
});

describe('parseFormBody: empty bodies', () => {
  it.each([
    [JSON_TYPE, undefined, 'json'],
    [JSON_TYPE, '', 'json'],
    [FORM_TYPE, undefined, 'form'],
    [FORM_TYPE, '', 'form'],
  ] as const)('treats %s body %j as an empty object', (contentType, body, format) => {
    // Prepare
    const input = { contentType, body, isBase64Encoded: false };

    // Act
    const parsed = parseFormBody(input);

    // Assess
    expect(parsed).toEqual({ format, fields: {} });
  });
});

describe('parseFormBody: size limit', () => {
  const jsonOfBytes = (bytes: number) => {
    const frame = '{"a":""}';
    return `{"a":"${'x'.repeat(bytes - frame.length)}"}`;
  };

  it('accepts a body of exactly 16384 bytes', () => {
    // Prepare
    const body = jsonOfBytes(16_384);

    // Act
    const parsed = parseFormBody({ contentType: JSON_TYPE, body, isBase64Encoded: false });

    // Assess
    expect(Buffer.byteLength(body)).toBe(16_384);
    expect(parsed.format).toBe('json');
  });

  it('rejects a body of 16385 bytes with 413', () => {
    // Prepare
    const body = jsonOfBytes(16_385);

    // Act
    const error = catchError(() => parseFormBody({ contentType: JSON_TYPE, body, isBase64Encoded: false }));

    // Assess
    expect(error).toBeInstanceOf(PayloadTooLargeError);
    expect((error as PayloadTooLargeError).statusCode).toBe(413);
  });

  it('counts bytes, not characters', () => {
    // Prepare: 8189 two-byte characters plus 8 ASCII ones: 8197 characters, 16386 bytes
    const body = `{"a":"${'ü'.repeat(8_189)}"}`;

    // Act
    const error = catchError(() => parseFormBody({ contentType: JSON_TYPE, body, isBase64Encoded: false }));

    // Assess
    expect(Buffer.byteLength(body)).toBe(16_386);
    expect(error).toBeInstanceOf(PayloadTooLargeError);
  });

  it('measures base64 bodies after decoding', () => {
    // Prepare: 16384 decoded bytes are 21848 base64 characters
    const exact = Buffer.from(jsonOfBytes(16_384)).toString('base64');
    const over = Buffer.from(jsonOfBytes(16_385)).toString('base64');

    // Act
    const parsed = parseFormBody({ contentType: JSON_TYPE, body: exact, isBase64Encoded: true });
    const error = catchError(() => parseFormBody({ contentType: JSON_TYPE, body: over, isBase64Encoded: true }));

    // Assess
    expect(exact.length).toBeGreaterThan(16_384);
    expect(parsed.format).toBe('json');
    expect(error).toBeInstanceOf(PayloadTooLargeError);
  });

  it('honours a custom maxBytes', () => {
    // Prepare
    const body = 'email=a%40example.com';

    // Act
    const ok = parseFormBody({ contentType: FORM_TYPE, body, isBase64Encoded: false, maxBytes: body.length });
    const error = catchError(() => parseFormBody({ contentType: FORM_TYPE, body, isBase64Encoded: false, maxBytes: body.length - 1 }));

    // Assess
    expect(ok.fields).toEqual({ email: 'a@example.com' });
    expect(error).toBeInstanceOf(PayloadTooLargeError);
  });
});

describe('parseFormBody: encoding', () => {
  it('decodes a base64 body', () => {
    // Prepare
    const body = Buffer.from('email=a%40example.com&firstName=J%C3%BCrgen').toString('base64');

    // Act
    const parsed = parseFormBody({ contentType: FORM_TYPE, body, isBase64Encoded: true });

    // Assess
    expect(parsed.fields).toEqual({ email: 'a@example.com', firstName: 'Jürgen' });
  });

  it.each([
    ['a lone continuation byte', [0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0x80, 0x22, 0x7d]],
    ['a truncated sequence', [0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x22, 0x7d]],
    ['an overlong encoding', [0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc0, 0xaf, 0x22, 0x7d]],
    ['Latin-1 text', [...Buffer.from('{"a":"'), 0xfc, ...Buffer.from('"}')]],
  ])('rejects invalid UTF-8 (%s)', (_label, bytes) => {
    // Prepare
    const body = Buffer.from(bytes).toString('base64');

    // Act
    const error = catchError(() => parseFormBody({ contentType: JSON_TYPE, body, isBase64Encoded: true }));

    // Assess
    expect(error).toBeInstanceOf(MalformedBodyError);
    expect((error as MalformedBodyError).problem).toBe('invalid_encoding');
  });

  it('rejects raw invalid UTF-8 in a urlencoded body', () => {
    // Prepare
    const body = Buffer.from([...Buffer.from('firstName='), 0xff, 0xfe]).toString('base64');

    // Act
    const error = catchError(() => parseFormBody({ contentType: FORM_TYPE, body, isBase64Encoded: true }));

    // Assess
    expect(error).toBeInstanceOf(MalformedBodyError);
    expect((error as MalformedBodyError).problem).toBe('invalid_encoding');
  });

  it.each(['not base64!', 'abc', 'ab=c', '====', 'YQ==YQ=='])('rejects the corrupted base64 body %j', (body) => {
    // Prepare
    const input = { contentType: JSON_TYPE, body, isBase64Encoded: true };

    // Act
    const error = catchError(() => parseFormBody(input));

    // Assess
    expect(error).toBeInstanceOf(MalformedBodyError);
    expect((error as MalformedBodyError).problem).toBe('invalid_encoding');
  });

  it('rejects a lone surrogate in a plain body', () => {
    // Prepare
    const body = '{"firstName":"\uD800x"}';

    // Act
    const error = catchError(() => parseFormBody({ contentType: JSON_TYPE, body, isBase64Encoded: false }));

    // Assess
    expect(error).toBeInstanceOf(MalformedBodyError);
    expect((error as MalformedBodyError).problem).toBe('invalid_encoding');
  });

  it('accepts characters outside the BMP', () => {
    // Prepare
    const body = JSON.stringify({ company: 'Rocket 🚀 GmbH' });

    // Act
    const parsed = parseFormBody({ contentType: JSON_TYPE, body, isBase64Encoded: false });

    // Assess
    expect(parsed.fields).toEqual({ company: 'Rocket 🚀 GmbH' });
  });
});

describe('parseFormBody: JSON sent as a form (curl -d without -H)', () => {
  it.each([
    ['an object', '{"email":"a@example.com","marketingConsent":true}'],
    ['an object after whitespace', ' \n{ "email": "a@example.com" }'],
    ['an empty object', '{}'],
    ['an array of objects', '[{"email":"a@example.com"}]'],
  ])('answers %s with 400 wrong_content_type that names the content type as the problem', (_label, body) => {
    // Prepare
    const input = { contentType: FORM_TYPE, body, isBase64Encoded: false };

    // Act
    const error = catchError(() => parseFormBody(input));

    // Assess
    expect(error).toBeInstanceOf(MalformedBodyError);
    const malformed = error as MalformedBodyError;
    expect(malformed.statusCode).toBe(400);
    expect(malformed.code).toBe('wrong_content_type');
    expect(malformed.problem).toBe('json_as_form');
    expect(malformed.message).toContain('Content-Type: application/json');
    expect(malformed.pageText.de.title).toBe('Falscher Content-Type');
    expect(malformed.pageText.en.message).toContain('"Content-Type: application/json"');
  });

  it('recognises it in a base64 body too, as API Gateway delivers form posts', () => {
    // Prepare
    const body = Buffer.from('{"email":"a@example.com"}').toString('base64');

    // Act
    const error = catchError(() => parseFormBody({ contentType: FORM_TYPE, body, isBase64Encoded: true }));

    // Assess
    expect((error as MalformedBodyError).code).toBe('wrong_content_type');
  });

  it.each([
    ['a key that starts with a brace', '{email}=a%40example.com', { '{email}': 'a@example.com' }],
    ['an encoded brace', '%7B%22email%22=x', { '{"email"': 'x' }],
    ['a value that is JSON', 'data=%7B%22a%22%3A1%7D', { data: '{"a":1}' }],
  ])('still reads %s as a form', (_label, body, fields) => {
    // Prepare
    const input = { contentType: FORM_TYPE, body, isBase64Encoded: false };

    // Act
    const parsed = parseFormBody(input);

    // Assess
    expect(parsed).toEqual({ format: 'form', fields });
  });

  it('reads the same body as JSON when the content type says so', () => {
    // Prepare
    const body = '{"email":"a@example.com"}';

    // Act
    const parsed = parseFormBody({ contentType: JSON_TYPE, body, isBase64Encoded: false });

    // Assess
    expect(parsed).toEqual({ format: 'json', fields: { email: 'a@example.com' } });
  });
});
