import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateForm, type FormName } from '../../../shared/capture/form-schemas';
import { parseFormBody } from '../../../shared/capture/parse-form-body';
import { submissionFingerprint } from '../../../shared/capture/submission-fingerprint';
import { HttpError } from '../../../shared/http/http-errors';

const FIELD_NAMES = [
  'email',
  'firstName',
  'lastName',
  'company',
  'jobTitle',
  'locale',
  'marketingConsent',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'page',
  'referrer',
  'website',
  'redirect',
  'assetId',
  'message',
  'phone',
  '__proto__',
  'constructor',
];

const formName = fc.constantFrom<FormName>('newsletter', 'download', 'contact');
const contentType = fc.oneof(
  {
    arbitrary: fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'application/x-www-form-urlencoded',
      'APPLICATION/X-WWW-FORM-URLENCODED; charset=UTF-8',
    ),
    weight: 6,
  },
  { arbitrary: fc.constantFrom('text/plain', 'multipart/form-data'), weight: 1 },
  { arbitrary: fc.string(), weight: 1 },
  { arbitrary: fc.constant(undefined), weight: 1 },
);
const plausibleValue = fc.oneof(
  fc.jsonValue(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('anna@example.com', 'on', 'true', 'de', 'en', 'pricing-guide', 'Anna', '+49 30 123'),
);
const randomRecord = fc.dictionary(fc.oneof(fc.constantFrom(...FIELD_NAMES), fc.string()), plausibleValue);
// A valid submission for any form with a few fields overridden, so the property also reaches the success path.
const nearlyValidRecord = fc
  .tuple(fc.dictionary(fc.constantFrom(...FIELD_NAMES), plausibleValue, { maxKeys: 2 }), fc.boolean())
  .map(([overrides, keepValid]) => ({
    email: 'anna@example.com',
    firstName: 'Anna',
    lastName: 'Schmidt',
    message: 'Please call me.',
    assetId: 'pricing-guide',
    marketingConsent: 'on',
    ...(keepValid ? {} : overrides),
  }));
const fieldRecord = fc.oneof(randomRecord, nearlyValidRecord);
const toUrlEncoded = (fields: Record<string, unknown>) =>
  Object.entries(fields)
    .map(
      ([key, value]) =>
        `${encodeURIComponent(key)}=${encodeURIComponent(typeof value === 'string' ? value : (JSON.stringify(value) ?? ''))}`,
    )
    .join('&');
const body = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.json(),
  fieldRecord.map((fields) => JSON.stringify(fields)),
  fieldRecord.map(toUrlEncoded),
  nearlyValidRecord.map((fields) => JSON.stringify(fields)),
  nearlyValidRecord.map(toUrlEncoded),
  fc.stringMatching(/^[a-zA-Z%+=&0-9]*$/),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
  fc.constant(undefined),
);
const request = fc.record({
  form: formName,
  contentType,
  body,
  isBase64Encoded: fc.boolean(),
  base64Body: fc.boolean(),
  acceptLanguage: fc.option(fc.string(), { nil: undefined }),
});

describe('capture properties', () => {
  it('parseFormBody + validateForm either return a form or throw an HttpError', () => {
    fc.assert(
      fc.property(request, (input) => {
        // Prepare: half of the base64 requests carry a correctly encoded body, the rest arbitrary text
        const raw =
          input.isBase64Encoded && input.base64Body && input.body !== undefined
            ? Buffer.from(input.body, 'utf8').toString('base64')
            : input.body;

        // Act
        let outcome: unknown;
        try {
          const parsed = parseFormBody({ contentType: input.contentType, body: raw, isBase64Encoded: input.isBase64Encoded });
          outcome = validateForm(input.form, parsed.fields, { acceptLanguage: input.acceptLanguage });
        } catch (error) {
          outcome = error;
        }

        // Assess
        if (outcome instanceof Error) {
          expect(outcome).toBeInstanceOf(HttpError);
        } else {
          expect(outcome).toMatchObject({ form: input.form });
          expect(submissionFingerprint(outcome as never)).toMatch(/^[0-9a-f]{64}$/);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('validateForm never crashes on arbitrary field records', () => {
    fc.assert(
      fc.property(formName, fieldRecord, fc.option(fc.string(), { nil: undefined }), (form, fields, acceptLanguage) => {
        // Prepare: the arbitraries build the input

        // Act
        let outcome: unknown;
        try {
          outcome = validateForm(form, fields, { acceptLanguage });
        } catch (error) {
          outcome = error;
        }

        // Assess
        if (outcome instanceof Error) expect(outcome).toBeInstanceOf(HttpError);
        else expect(Object.keys(outcome as object).every((key) => !['website', '__proto__', 'constructor'].includes(key))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('valid submissions survive a urlencoded round trip with the same fingerprint', () => {
    const name = fc.stringMatching(/^[A-Za-zÄÖÜäöüß' -]{1,40}$/);
    fc.assert(
      fc.property(name, name, fc.constantFrom('on', 'true'), (firstName, company, consent) => {
        // Prepare
        const fields = { email: 'anna@example.com', firstName, company, marketingConsent: consent };
        const urlencoded = new URLSearchParams(fields).toString();

        // Act
        const direct = validateForm('newsletter', fields, {});
        const parsed = parseFormBody({ contentType: 'application/x-www-form-urlencoded', body: urlencoded, isBase64Encoded: false });
        const viaBody = validateForm('newsletter', parsed.fields, {});

        // Assess
        expect(viaBody).toEqual(direct);
        expect(submissionFingerprint(viaBody)).toBe(submissionFingerprint(direct));
      }),
    );
  });
});
