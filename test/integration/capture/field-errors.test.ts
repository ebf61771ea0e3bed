import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, uniqueEmail, type TestStack } from '../../support/test-stack';
import { expectNothingStoredOrSent, validBody } from './capture-helpers';

type FormName = 'newsletter' | 'download' | 'contact';

interface FieldCase {
  form: FormName;
  field: string;
  rule: string;
  /** the change to a valid body that breaks exactly this field */
  change: (email: string) => Record<string, unknown>;
  message: RegExp;
}

const CRLF_INJECTION = 'Max\r\nBcc: victim@example.com';
const chars = (count: number, char = 'x') => char.repeat(count);

/** A syntactically valid address of exactly `length` characters: 64-character local part, labels of at most 63. */
function addressOfLength(length: number): string {
  const local = `len-${crypto.randomUUID().replaceAll('-', '')}`.padEnd(64, 'a').slice(0, 64);
  const domainLength = length - local.length - 1;
  const tld = '.de';
  let rest = domainLength - tld.length;
  const labels: string[] = [];
  while (rest > 0) {
    const label = Math.min(63, rest);
    // a label of 1 left over would need a dot plus one char: keep every label non-empty
    const size = rest - label === 1 ? label - 1 : label;
    labels.push(chars(size, 'b'));
    rest -= size + 1;
  }
  const address = `${local}@${labels.join('.')}${tld}`;
  if (address.length !== length) throw new Error(`built an address of ${address.length}, wanted ${length}`);
  return address;
}

const emailCases: FieldCase[] = [
  { form: 'newsletter', field: 'email', rule: 'missing', change: () => ({ email: undefined }), message: /email is required/ },
  { form: 'newsletter', field: 'email', rule: 'blank', change: () => ({ email: '   ' }), message: /email is required/ },
  {
    form: 'newsletter',
    field: 'email',
    rule: 'not an address',
    change: () => ({ email: 'not-an-address' }),
    message: /valid email address/,
  },
  {
    form: 'newsletter',
    field: 'email',
    rule: 'no top-level domain',
    change: (e) => ({ email: e.replace(/\.example$/, '') }),
    message: /valid email address/,
  },
  { form: 'newsletter', field: 'email', rule: 'two @', change: (e) => ({ email: e.replace('@', '@@') }), message: /valid email address/ },
  {
    form: 'newsletter',
    field: 'email',
    rule: 'a space inside',
    change: (e) => ({ email: e.replace('@', ' @') }),
    message: /valid email address/,
  },
  {
    form: 'newsletter',
    field: 'email',
    rule: 'header injection (CR/LF)',
    change: (e) => ({ email: `${e}\r\nBcc: victim@example.com` }),
    message: /line breaks|valid email/,
  },
  {
    form: 'newsletter',
    field: 'email',
    rule: 'longer than 254 characters',
    change: () => ({ email: addressOfLength(255) }),
    message: /at most 254|valid email/,
  },
  { form: 'newsletter', field: 'email', rule: 'not a string', change: () => ({ email: 42 }), message: /email must be a string/ },
  {
    form: 'newsletter',
    field: 'email',
    rule: 'non-ASCII (SES cannot deliver SMTPUTF8)',
    change: (e) => ({ email: `jürgen-${e}` }),
    message: /valid email address/,
  },
  { form: 'download', field: 'email', rule: 'missing on download', change: () => ({ email: undefined }), message: /email is required/ },
  { form: 'contact', field: 'email', rule: 'invalid on contact', change: () => ({ email: 'contact@' }), message: /valid email address/ },
];

const nameCases: FieldCase[] = (['firstName', 'lastName', 'company', 'jobTitle'] as const).flatMap((field) => [
  {
    form: 'newsletter' as const,
    field,
    rule: 'longer than 100 characters',
    change: () => ({ [field]: chars(101) }),
    message: new RegExp(`${field} must be at most 100 characters`),
  },
  {
    form: 'newsletter' as const,
    field,
    rule: 'CR/LF',
    change: () => ({ [field]: CRLF_INJECTION }),
    message: new RegExp(`${field} must not contain line breaks`),
  },
  {
    form: 'newsletter' as const,
    field,
    rule: 'a lone LF',
    change: () => ({ [field]: 'Max\nMustermann' }),
    message: new RegExp(`${field} must not contain line breaks`),
  },
  {
    form: 'newsletter' as const,
    field,
    rule: 'a control character',
    change: () => ({ [field]: 'Max\u0007Bell' }),
    message: new RegExp(`${field} must not contain line breaks or control characters`),
  },
  {
    form: 'newsletter' as const,
    field,
    rule: 'a Unicode line separator',
    change: () => ({ [field]: 'Max\u2028Mustermann' }),
    message: new RegExp(`${field} must not contain line breaks`),
  },
  {
    form: 'newsletter' as const,
    field,
    rule: 'not a string',
    change: () => ({ [field]: { first: 'Max' } }),
    message: new RegExp(`${field} must be a string`),
  },
]);

const otherCommonCases: FieldCase[] = [
  { form: 'newsletter', field: 'locale', rule: 'unsupported', change: () => ({ locale: 'fr' }), message: /locale must be one of: de, en/ },
  {
    form: 'newsletter',
    field: 'marketingConsent',
    rule: 'missing on the newsletter form',
    change: () => ({ marketingConsent: undefined }),
    message: /required to subscribe/,
  },
  {
    form: 'newsletter',
    field: 'marketingConsent',
    rule: 'false on the newsletter form',
    change: () => ({ marketingConsent: false }),
    message: /required to subscribe/,
  },
  {
    form: 'newsletter',
    field: 'marketingConsent',
    rule: 'not a boolean or checkbox value',
    change: () => ({ marketingConsent: 'yes please' }),
    message: /marketingConsent must be a boolean/,
  },
  {
    form: 'download',
    field: 'marketingConsent',
    rule: 'a number on the download form',
    change: () => ({ marketingConsent: 1 }),
    message: /marketingConsent must be a boolean/,
  },
  {
    form: 'newsletter',
    field: 'utm_source',
    rule: 'longer than 500 characters',
    change: () => ({ utm_source: chars(501) }),
    message: /utm_source must be at most 500/,
  },
  {
    form: 'newsletter',
    field: 'utm_medium',
    rule: 'CR/LF',
    change: () => ({ utm_medium: 'cpc\r\nX: y' }),
    message: /utm_medium must not contain line breaks/,
  },
  {
    form: 'newsletter',
    field: 'utm_campaign',
    rule: 'longer than 500 characters',
    change: () => ({ utm_campaign: chars(501) }),
    message: /utm_campaign must be at most 500/,
  },
  {
    form: 'newsletter',
    field: 'page',
    rule: 'longer than 2048 characters',
    change: () => ({ page: `/${chars(2048)}` }),
    message: /page must be at most 2048/,
  },
  {
    form: 'newsletter',
    field: 'referrer',
    rule: 'a control character',
    change: () => ({ referrer: 'https://ref.example/\u0000' }),
    message: /referrer must not contain/,
  },
  {
    form: 'newsletter',
    field: 'redirect',
    rule: 'longer than 2048 characters',
    change: () => ({ redirect: `https://x.example/${chars(2048)}` }),
    message: /redirect must be at most 2048/,
  },
  {
    form: 'newsletter',
    field: 'redirect',
    rule: 'not a string',
    change: () => ({ redirect: ['https://x.example/'] }),
    message: /redirect must be a string/,
  },
];

const downloadCases: FieldCase[] = [
  { form: 'download', field: 'firstName', rule: 'missing', change: () => ({ firstName: undefined }), message: /firstName is required/ },
  { form: 'download', field: 'firstName', rule: 'blank', change: () => ({ firstName: '  ' }), message: /firstName is required/ },
  { form: 'download', field: 'assetId', rule: 'missing', change: () => ({ assetId: undefined }), message: /assetId is required/ },
  {
    form: 'download',
    field: 'assetId',
    rule: 'not in the catalogue',
    change: () => ({ assetId: 'secret-roadmap' }),
    message: /assetId is not a known asset/,
  },
  {
    form: 'download',
    field: 'assetId',
    rule: 'a path',
    change: () => ({ assetId: '../pricing-guide' }),
    message: /assetId is not a known asset/,
  },
  {
    form: 'download',
    field: 'assetId',
    rule: 'a catalogue id in the wrong case',
    change: () => ({ assetId: 'Pricing-Guide' }),
    message: /assetId is not a known asset/,
  },
  { form: 'download', field: 'assetId', rule: 'not a string', change: () => ({ assetId: 7 }), message: /assetId must be a string/ },
];

const contactCases: FieldCase[] = [
  { form: 'contact', field: 'firstName', rule: 'missing', change: () => ({ firstName: undefined }), message: /firstName is required/ },
  { form: 'contact', field: 'lastName', rule: 'missing', change: () => ({ lastName: undefined }), message: /lastName is required/ },
  { form: 'contact', field: 'lastName', rule: 'blank', change: () => ({ lastName: '' }), message: /lastName is required/ },
  { form: 'contact', field: 'message', rule: 'missing', change: () => ({ message: undefined }), message: /message is required/ },
  { form: 'contact', field: 'message', rule: 'blank', change: () => ({ message: ' \r\n ' }), message: /message is required/ },
  {
    form: 'contact',
    field: 'message',
    rule: 'longer than 5000 characters',
    change: () => ({ message: chars(5001) }),
    message: /message must be at most 5000/,
  },
  {
    form: 'contact',
    field: 'message',
    rule: 'a NUL character',
    change: () => ({ message: 'Hallo\u0000Welt' }),
    message: /message must not contain control characters/,
  },
  {
    form: 'contact',
    field: 'message',
    rule: 'an escape sequence',
    change: () => ({ message: 'Hallo \u001b[31mrot' }),
    message: /message must not contain control characters/,
  },
  { form: 'contact', field: 'message', rule: 'not a string', change: () => ({ message: ['a', 'b'] }), message: /message must be a string/ },
  { form: 'contact', field: 'phone', rule: 'letters', change: () => ({ phone: 'call me maybe' }), message: /phone may only contain/ },
  { form: 'contact', field: 'phone', rule: 'no digits', change: () => ({ phone: '+ ( ) -' }), message: /phone must contain digits/ },
  {
    form: 'contact',
    field: 'phone',
    rule: 'longer than 40 characters',
    change: () => ({ phone: chars(41, '1') }),
    message: /phone must be at most 40/,
  },
  { form: 'contact', field: 'phone', rule: 'CR/LF', change: () => ({ phone: '0301234\r\n5678' }), message: /phone may only contain/ },
];

const ALL_CASES = [...emailCases, ...nameCases, ...otherCommonCases, ...downloadCases, ...contactCases];

describe('field errors', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it.each(ALL_CASES.map((c) => [`${c.form}: ${c.field} ${c.rule}`, c] as const))(
    '%s → 400 naming the field; nothing stored or sent',
    async (_name, testCase) => {
      // Prepare
      const email = uniqueEmail(`err-${testCase.field}`.toLowerCase());
      const body = { ...validBody(testCase.form, email), ...testCase.change(email) };

      // Act
      const response = await stack.postJson(`/forms/${testCase.form}`, body);

      // Assess
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const answer = (await response.json()) as { error: { code: string; message: string; fields: Record<string, string> } };
      expect(answer.error.code).toBe('validation_failed');
      expect(answer.error.message).toEqual(expect.stringContaining(testCase.field));
      expect(Object.keys(answer.error.fields)).toEqual([testCase.field]);
      expect(answer.error.fields[testCase.field]).toMatch(testCase.message);
      await expectNothingStoredOrSent(stack, email);
      if (typeof body.email === 'string') await expectNothingStoredOrSent(stack, body.email);
    },
  );

  it('names every bad field at once', async () => {
    // Prepare
    const email = uniqueEmail('err-many');

    // Act
    const response = await stack.postJson('/forms/contact', {
      email,
      firstName: chars(101),
      phone: 'abc',
      locale: 'xx',
      utm_source: 'a\nb',
    });

    // Assess
    expect(response.status).toBe(400);
    const answer = (await response.json()) as { error: { fields: Record<string, string> } };
    expect(Object.keys(answer.error.fields).sort()).toEqual(['firstName', 'lastName', 'locale', 'message', 'phone', 'utm_source']);
    await expectNothingStoredOrSent(stack, email);
  });

  it('answers an empty JSON object with email required', async () => {
    // Prepare
    const body = {};

    // Act
    const response = await stack.postJson('/forms/newsletter', body);

    // Assess
    expect(response.status).toBe(400);
    const answer = (await response.json()) as { error: { code: string; fields: Record<string, string> } };
    expect(answer.error.code).toBe('validation_failed');
    expect(answer.error.fields.email).toMatch(/email is required/);
  });

  describe('the limits themselves are allowed', () => {
    it('accepts a 254-character address, 100-character names, 40-character phone and a 5000-character message', async () => {
      // Prepare
      const email = addressOfLength(254);
      const name = chars(100, 'n');

      // Act
      const response = await stack.postJson('/forms/contact', {
        email,
        firstName: name,
        lastName: name,
        company: name,
        jobTitle: name,
        phone: chars(40, '5'),
        message: chars(5000, 'm'),
      });

      // Assess
      expect(response.status).toBe(200);
      expect(await stack.lead(email)).toMatchObject({ email, firstName: name, lastName: name, company: name, jobTitle: name });
    });

    it('accepts control-free Unicode names and a multi-line message with CRLF, LF and emoji', async () => {
      // Prepare
      const email = uniqueEmail('err-unicode');

      // Act
      const response = await stack.postJson('/forms/contact', {
        email,
        firstName: 'Zoë-Åsa',
        lastName: "O'Brien-Łukasiewicz",
        message: 'Zeile 1\n  Eingerückt\r\nZeile 3 – mit Emoji 🚀',
      });

      // Assess
      expect(response.status).toBe(200);
      expect(await stack.lead(email)).toMatchObject({ firstName: 'Zoë-Åsa', lastName: "O'Brien-Łukasiewicz" });
    });
  });
});
