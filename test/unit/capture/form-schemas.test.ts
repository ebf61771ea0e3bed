import { describe, expect, it } from 'vitest';
import { contentCatalogue } from '../../../shared/capture/content-catalogue';
import { negotiateLocale, validateForm, type FormName, type ValidForm } from '../../../shared/capture/form-schemas';
import { parseFormBody } from '../../../shared/capture/parse-form-body';
import { ValidationError } from '../../../shared/http/http-errors';

const EMAIL = 'anna@example.com';

const validInput: Record<FormName, Record<string, unknown>> = {
  newsletter: { email: EMAIL, marketingConsent: true },
  download: { email: EMAIL, firstName: 'Anna', assetId: 'ebook-lead-types' },
  contact: { email: EMAIL, firstName: 'Anna', lastName: 'Schmidt', message: 'Please call me.' },
};

const FORMS: FormName[] = ['newsletter', 'download', 'contact'];

function fieldErrors(form: FormName, fields: Record<string, unknown>, ctx = {}): Record<string, string> {
  try {
    validateForm(form, fields, ctx);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).fields;
  }
  throw new Error('expected a ValidationError');
}

function withField(form: FormName, field: string, value: unknown): Record<string, unknown> {
  return { ...validInput[form], [field]: value };
}

describe('validateForm: newsletter', () => {
  it('normalises a complete JSON submission', () => {
    // Prepare
    const fields = {
      email: '  Anna.Schmidt@Example.COM ',
      firstName: ' Anna ',
      lastName: 'Schmidt',
      company: 'Acme GmbH',
      jobTitle: '',
      locale: 'en',
      marketingConsent: true,
      utm_source: 'linkedin',
      utm_medium: '',
      utm_campaign: 'q3-launch',
      page: 'https://www.example.com/newsletter',
      referrer: 'https://www.linkedin.com/',
      website: '',
      redirect: 'https://www.example.com/thanks',
    };

    // Act
    const valid = validateForm('newsletter', fields, { acceptLanguage: 'de-DE' });

    // Assess
    expect(valid).toStrictEqual({
      form: 'newsletter',
      email: 'anna.schmidt@example.com',
      firstName: 'Anna',
      lastName: 'Schmidt',
      company: 'Acme GmbH',
      locale: 'en',
      marketingConsent: true,
      attribution: {
        utm_source: 'linkedin',
        utm_campaign: 'q3-launch',
        page: 'https://www.example.com/newsletter',
        referrer: 'https://www.linkedin.com/',
      },
      honeypotFilled: false,
      redirect: 'https://www.example.com/thanks',
    });
  });

  it('normalises a urlencoded submission from parseFormBody', () => {
    // Prepare
    const { fields } = parseFormBody({
      contentType: 'application/x-www-form-urlencoded',
      body: 'email=Anna%40Example.com&firstName=J%C3%BCrgen&marketingConsent=on&website=&utm_source=newsletter+footer',
      isBase64Encoded: false,
    });

    // Act
    const valid = validateForm('newsletter', fields, {});

    // Assess
    expect(valid).toStrictEqual({
      form: 'newsletter',
      email: 'anna@example.com',
      firstName: 'Jürgen',
      locale: 'de',
      marketingConsent: true,
      attribution: { utm_source: 'newsletter footer' },
      honeypotFilled: false,
    });
  });

  it.each([[undefined], [false], ['false'], [''], [null]])('requires marketing consent (%j)', (consent) => {
    // Prepare
    const fields = { email: EMAIL, ...(consent === undefined ? {} : { marketingConsent: consent }) };

    // Act
    const errors = fieldErrors('newsletter', fields);

    // Assess
    expect(Object.keys(errors)).toEqual(['marketingConsent']);
    expect(errors.marketingConsent).toMatch(/marketingConsent/);
  });

  it('names every bad field at once', () => {
    // Prepare
    const fields = { email: 'not-an-address', firstName: 'A\nB', locale: 'fr' };

    // Act
    const errors = fieldErrors('newsletter', fields);

    // Assess
    expect(Object.keys(errors).sort()).toEqual(['email', 'firstName', 'locale', 'marketingConsent']);
  });

  it('lists the field names in the error message', () => {
    // Prepare
    const fields = {};

    // Act
    let error: unknown;
    try {
      validateForm('newsletter', fields, {});
    } catch (caught) {
      error = caught;
    }

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).statusCode).toBe(400);
    expect((error as ValidationError).message).toMatch(/email/);
    expect((error as ValidationError).message).toMatch(/marketingConsent/);
  });
});

describe('validateForm: email', () => {
  it.each(FORMS)('is required on the %s form', (form) => {
    // Prepare
    const { email: _email, ...fields } = validInput[form];

    // Act
    const errors = fieldErrors(form, fields);

    // Assess
    expect(errors).toEqual({ email: 'email is required' });
  });

  it.each(['', '   ', null])('treats %j as missing', (email) => {
    // Prepare
    const fields = withField('newsletter', 'email', email);

    // Act
    const errors = fieldErrors('newsletter', fields);

    // Assess
    expect(errors).toEqual({ email: 'email is required' });
  });

  it('is trimmed and lower-cased', () => {
    // Prepare
    const fields = withField('newsletter', 'email', ' \tMAX.Mustermann+Leads@Example.DE \n');

    // Act
    const valid = validateForm('newsletter', fields, {});

    // Assess
    expect(valid.email).toBe('max.mustermann+leads@example.de');
  });

  it.each([
    'anna@example.com',
    'anna.schmidt@sub.example.co.uk',
    "o'brien@example.ie",
    'a+b_c-d@example-domain.com',
    'x@xn--mnchen-3ya.de',
    '1@2.io',
  ])('accepts %s', (email) => {
    // Prepare
    const fields = withField('newsletter', 'email', email);

    // Act
    const valid = validateForm('newsletter', fields, {});

    // Assess
    expect(valid.email).toBe(email);
  });

  it.each([
    'anna',
    'anna@',
    '@example.com',
    'anna@example',
    'anna@example.c',
    'an na@example.com',
    'anna@exa mple.com',
    'anna@@example.com',
    'anna@example..com',
    '.anna@example.com',
    'anna.@example.com',
    'an..na@example.com',
    'anna@-example.com',
    'anna@example-.com',
    'anna@.example.com',
    'anna@example.com.',
    'anna@example.123',
    '"anna"@example.com',
    'anna(comment)@example.com',
    'anna@[127.0.0.1]',
    'änna@example.com',
    'anna@example.com,bob@example.com',
    `${'a'.repeat(65)}@example.com`,
  ])('rejects %j', (email) => {
    // Prepare
    const fields = withField('newsletter', 'email', email);

    // Act
    const errors = fieldErrors('newsletter', fields);

    // Assess
    expect(errors).toEqual({ email: 'email must be a valid email address' });
  });

  it.each(['anna@example.com\r\nBcc: all@example.com', 'an\u0000na@example.com', 'anna\u007f@example.com'])(
    'rejects control characters in %j',
    (email) => {
      // Prepare
      const fields = withField('newsletter', 'email', email);

      // Act
      const errors = fieldErrors('newsletter', fields);

      // Assess
      expect(Object.keys(errors)).toEqual(['email']);
    },
  );

  it('accepts 254 characters and rejects 255', () => {
    // Prepare
    const emailOf = (length: number) => {
      const head = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.`;
      return `${head}${'d'.repeat(length - head.length - 3)}.de`;
    };
    const longest = emailOf(254);
    const tooLong = emailOf(255);

    // Act
    const valid = validateForm('newsletter', withField('newsletter', 'email', longest), {});
    const errors = fieldErrors('newsletter', withField('newsletter', 'email', tooLong));

    // Assess
    expect(valid.email).toHaveLength(254);
    expect(tooLong).toHaveLength(255);
    expect(errors).toEqual({ email: 'email must be at most 254 characters' });
  });
});

describe('validateForm: optional text fields', () => {
  const optional = ['firstName', 'lastName', 'company', 'jobTitle'] as const;

  it.each(optional)('trims %s', (field) => {
    // Prepare
    const fields = withField('newsletter', field, '  Acme  ');

    // Act
    const valid = validateForm('newsletter', fields, {});

    // Assess
    expect(valid[field]).toBe('Acme');
  });

  it.each(optional)('drops an empty or blank %s', (field) => {
    // Prepare
    const empty = withField('newsletter', field, '');
    const blank = withField('newsletter', field, '   ');
    const nulled = withField('newsletter', field, null);

    // Act
    const results = [empty, blank, nulled].map((fields) => validateForm('newsletter', fields, {}));

    // Assess
    for (const valid of results) expect(valid).not.toHaveProperty(field);
  });

  it.each(optional)('accepts 100 characters of %s and rejects 101', (field) => {
    // Prepare
    const longest = withField('newsletter', field, 'x'.repeat(100));
    const tooLong = withField('newsletter', field, 'x'.repeat(101));

    // Act
    const valid = validateForm('newsletter', longest, {});
    const errors = fieldErrors('newsletter', tooLong);

    // Assess
    expect(valid[field]).toHaveLength(100);
    expect(errors).toEqual({ [field]: `${field} must be at most 100 characters` });
  });

  it.each(
    optional.flatMap((field) =>
      ['\r', '\n', '\r\n', '\t', '\u0000', '\u001b', '\u007f', '\u0085', '\u2028'].map((ch) => [field, ch] as const),
    ),
  )('rejects %s containing %j', (field, ch) => {
    // Prepare
    const fields = withField('newsletter', field, `Anna${ch}Bcc: x@example.com`);

    // Act
    const errors = fieldErrors('newsletter', fields);

    // Assess
    expect(errors).toEqual({ [field]: `${field} must not contain line breaks or control characters` });
  });

  it('keeps letters from any script', () => {
    // Prepare
    const fields = { ...validInput.newsletter, firstName: 'Zoë', lastName: 'Ørsted-Łukasiewicz', company: '株式会社' };

    // Act
    const valid = validateForm('newsletter', fields, {});

    // Assess
    expect(valid).toMatchObject({ firstName: 'Zoë', lastName: 'Ørsted-Łukasiewicz', company: '株式会社' });
  });
});

describe('validateForm: wrong types are field errors', () => {
  const stringFields = [
    'email',
    'firstName',
    'lastName',
    'company',
    'jobTitle',
    'utm_source',
    'utm_medium',
    'utm_campaign',
    'page',
    'referrer',
    'redirect',
    'message',
    'phone',
  ];
  const wrongValues: unknown[] = [42, 0, true, false, { value: 'x' }, ['anna@example.com'], []];

  it.each(stringFields.flatMap((field) => wrongValues.map((value) => [field, value] as const)))(
    'rejects %s = %j on the contact form',
    (field, value) => {
      // Prepare
      const fields = withField('contact', field, value);

      // Act
      const errors = fieldErrors('contact', fields);

      // Assess
      expect(errors).toEqual({ [field]: `${field} must be a string` });
    },
  );

  it.each(wrongValues)('rejects assetId = %j on the download form', (value) => {
    // Prepare
    const fields = withField('download', 'assetId', value);

    // Act
    const errors = fieldErrors('download', fields);

    // Assess
    expect(errors).toEqual({ assetId: 'assetId must be a string' });
  });

  it.each([42, true, { locale: 'de' }, ['de']])('rejects locale = %j', (value) => {
    // Prepare
    const fields = withField('newsletter', 'locale', value);

    // Act
    const errors = fieldErrors('newsletter', fields);

    // Assess
    expect(Object.keys(errors)).toEqual(['locale']);
  });
});

describe('validateForm: locale', () => {
  it('uses an explicit locale over the Accept-Language header', () => {
    // Prepare
    const fields = withField('newsletter', 'locale', 'en');

    // Act
    const valid = validateForm('newsletter', fields, { acceptLanguage: 'de-DE,de;q=0.9' });

    // Assess
    expect(valid.locale).toBe('en');
  });

  it('accepts an explicit locale in any case', () => {
    // Prepare
    const fields = withField('newsletter', 'locale', ' DE ');

    // Act
    const valid = validateForm('newsletter', fields, { acceptLanguage: 'en' });

    // Assess
    expect(valid.locale).toBe('de');
  });

  it.each(['fr', 'de-DE', 'english', 'e'])('rejects the explicit locale %j', (locale) => {
    // Prepare
    const fields = withField('newsletter', 'locale', locale);

    // Act
    const errors = fieldErrors('newsletter', fields);

    // Assess
    expect(errors).toEqual({ locale: 'locale must be one of: de, en' });
  });

  it.each([
    [undefined, undefined, 'de'],
    [undefined, 'en-US,en;q=0.9', 'en'],
    ['', 'en', 'en'],
    [null, 'fr-FR,fr;q=0.9', 'de'],
  ])('falls back from locale %j to Accept-Language %j', (locale, acceptLanguage, expected) => {
    // Prepare
    const fields = locale === undefined ? validInput.newsletter : withField('newsletter', 'locale', locale);

    // Act
    const valid = validateForm('newsletter', fields, { acceptLanguage });

    // Assess
    expect(valid.locale).toBe(expected);
  });

  it.each([
    [undefined, 'de'],
    ['', 'de'],
    ['en', 'en'],
    ['EN-gb', 'en'],
    ['de-AT', 'de'],
    ['en-US,en;q=0.9,de;q=0.8', 'en'],
    ['fr-FR, en;q=0.5, de;q=0.8', 'de'],
    ['fr, es;q=0.9', 'de'],
    ['de;q=0, en;q=0.1', 'en'],
    ['en;q=0', 'de'],
    ['en;q=0.5, de;q=0.5', 'en'],
    ['de;q=0.5, en;q=0.5', 'de'],
    ['*', 'de'],
    ['en;q=banana, de;q=0.4', 'de'],
    ['en;q=1.5, de;q=0.2', 'de'],
    ['en ; q = 0.9 , de ; q = 0.3', 'en'],
    [',,;;==', 'de'],
  ])('negotiates Accept-Language %j to %s', (header, expected) => {
    // Prepare: the header is in the table

    // Act
    const locale = negotiateLocale(header);

    // Assess
    expect(locale).toBe(expected);
  });

  it('copes with a huge Accept-Language header', () => {
    // Prepare
    const header = `${'fr;q=0.9,'.repeat(10_000)}en`;

    // Act
    const locale = negotiateLocale(header);

    // Assess
    expect(locale).toBe('de');
  });
});

describe('validateForm: marketingConsent', () => {
  it.each([[true], ['on'], ['true'], ['ON'], [' true ']])('reads %j as consent', (value) => {
    // Prepare
    const fields = withField('download', 'marketingConsent', value);

    // Act
    const valid = validateForm('download', fields, {});

    // Assess
    expect(valid.marketingConsent).toBe(true);
  });

  it.each([[undefined], [false], ['false'], [''], [null]])('reads %j as no consent', (value) => {
    // Prepare
    const fields = value === undefined ? validInput.download : withField('download', 'marketingConsent', value);

    // Act
    const valid = validateForm('download', fields, {});

    // Assess
    expect(valid.marketingConsent).toBe(false);
  });

  it.each([['yes'], ['off'], ['1'], [1], [0], [{}], [['on']]])('rejects %j', (value) => {
    // Prepare
    const fields = withField('download', 'marketingConsent', value);

    // Act
    const errors = fieldErrors('download', fields);

    // Assess
    expect(Object.keys(errors)).toEqual(['marketingConsent']);
    expect(errors.marketingConsent).toMatch(/^marketingConsent /);
  });
});

describe('validateForm: attribution', () => {
  it('collects the attribution fields and omits empty ones', () => {
    // Prepare
    const fields = {
      ...validInput.contact,
      utm_source: ' google ',
      utm_medium: 'cpc',
      utm_campaign: '',
      page: '   ',
      referrer: 'https://www.google.com/',
    };

    // Act
    const valid = validateForm('contact', fields, {});

    // Assess
    expect(valid.attribution).toStrictEqual({ utm_source: 'google', utm_medium: 'cpc', referrer: 'https://www.google.com/' });
  });

  it('is an empty object without attribution fields', () => {
    // Prepare
    const fields = validInput.download;

    // Act
    const valid = validateForm('download', fields, {});

    // Assess
    expect(valid.attribution).toStrictEqual({});
  });

  it.each([
    ['utm_source', 500],
    ['utm_medium', 500],
    ['utm_campaign', 500],
    ['page', 2048],
    ['referrer', 2048],
  ] as const)('accepts %s up to %i characters', (field, max) => {
    // Prepare
    const longest = withField('newsletter', field, 'x'.repeat(max));
    const tooLong = withField('newsletter', field, 'x'.repeat(max + 1));

    // Act
    const valid = validateForm('newsletter', longest, {});
    const errors = fieldErrors('newsletter', tooLong);

    // Assess
    expect(valid.attribution[field]).toHaveLength(max);
    expect(errors).toEqual({ [field]: `${field} must be at most ${max} characters` });
  });

  it.each(['utm_source', 'utm_medium', 'utm_campaign', 'page', 'referrer'])('rejects control characters in %s', (field) => {
    // Prepare
    const fields = withField('newsletter', field, 'abc\r\nSet-Cookie: x=1');

    // Act
    const errors = fieldErrors('newsletter', fields);

    // Assess
    expect(errors).toEqual({ [field]: `${field} must not contain line breaks or control characters` });
  });
});

describe('validateForm: honeypot and redirect', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['   ', false],
    [null, false],
    // A script posting JSON may send an empty hidden field as false, 0, [] or {}: no content, no bot.
    [false, false],
    [0, false],
    [[], false],
    [{}, false],
    ['https://spam.example', true],
    [' x ', true],
    [42, true],
    [true, true],
    [['x'], true],
    [{ a: 1 }, true],
  ])('reports website = %j as honeypotFilled %s without a field error', (website, filled) => {
    // Prepare
    const fields = website === undefined ? validInput.newsletter : withField('newsletter', 'website', website);

    // Act
    const valid = validateForm('newsletter', fields, {});

    // Assess
    expect(valid.honeypotFilled).toBe(filled);
    expect(valid).not.toHaveProperty('website');
  });

  it('keeps the redirect raw for the allowlist check', () => {
    // Prepare
    const fields = withField('newsletter', 'redirect', '//evil.example/ ');

    // Act
    const valid = validateForm('newsletter', fields, {});

    // Assess
    expect(valid.redirect).toBe('//evil.example/ ');
  });

  it.each([[''], [null], [undefined]])('omits a redirect of %j', (redirect) => {
    // Prepare
    const fields = withField('newsletter', 'redirect', redirect);

    // Act
    const valid = validateForm('newsletter', fields, {});

    // Assess
    expect(valid).not.toHaveProperty('redirect');
  });

  it('limits the redirect to 2048 characters', () => {
    // Prepare
    const fields = withField('newsletter', 'redirect', `https://example.com/${'a'.repeat(2048)}`);

    // Act
    const errors = fieldErrors('newsletter', fields);

    // Assess
    expect(errors).toEqual({ redirect: 'redirect must be at most 2048 characters' });
  });
});

describe('validateForm: unknown fields', () => {
  it.each(FORMS)('drops unknown fields on the %s form', (form) => {
    // Prepare
    const fields = JSON.parse(
      JSON.stringify({ ...validInput[form], isAdmin: true, leadId: 'L123', score: 100, lifecycle: 'sql' }).replace(
        /^\{/,
        '{"__proto__":{"isAdmin":true},',
      ),
    ) as Record<string, unknown>;

    // Act
    const valid = validateForm(form, fields, {});

    // Assess
    for (const key of ['isAdmin', 'leadId', 'score', 'lifecycle', '__proto__']) {
      expect(Object.hasOwn(valid, key)).toBe(false);
    }
    expect((valid as { isAdmin?: unknown }).isAdmin).toBeUndefined();
  });

  it('drops form-specific fields submitted to another form', () => {
    // Prepare
    const fields = { ...validInput.newsletter, assetId: 'pricing-guide', message: 'hi', phone: '123' };

    // Act
    const valid = validateForm('newsletter', fields, {});

    // Assess
    expect(valid).not.toHaveProperty('assetId');
    expect(valid).not.toHaveProperty('message');
    expect(valid).not.toHaveProperty('phone');
  });
});

describe('validateForm: download', () => {
  it.each(contentCatalogue.map((asset) => [asset.id, asset.funnelStage]))('records the funnel stage of %s (%s)', (assetId, funnelStage) => {
    // Prepare
    const fields = withField('download', 'assetId', ` ${assetId} `);

    // Act
    const valid = validateForm('download', fields, {});

    // Assess
    expect(valid).toStrictEqual({
      form: 'download',
      email: EMAIL,
      firstName: 'Anna',
      locale: 'de',
      marketingConsent: false,
      attribution: {},
      honeypotFilled: false,
      assetId,
      funnelStage,
    });
  });

  it.each(['firstName', 'assetId'])('requires %s', (field) => {
    // Prepare
    const { [field]: _removed, ...fields } = validInput.download;

    // Act
    const errors = fieldErrors('download', fields);

    // Assess
    expect(errors).toEqual({ [field]: `${field} is required` });
  });

  it.each(['whitepaper', 'PRICING-GUIDE', 'constructor', '__proto__', 'toString', '../pricing-guide'])(
    'rejects the unknown asset %j',
    (assetId) => {
      // Prepare
      const fields = withField('download', 'assetId', assetId);

      // Act
      const errors = fieldErrors('download', fields);

      // Assess
      expect(errors).toEqual({ assetId: 'assetId is not a known asset' });
    },
  );

  it('narrows the union on form', () => {
    // Prepare
    const fields = validInput.download;

    // Act
    const valid: ValidForm = validateForm('download', fields, {});

    // Assess
    expect(valid.form).toBe('download');
    if (valid.form === 'download') expect(valid.funnelStage).toBe('tofu');
  });
});

describe('validateForm: contact', () => {
  it('normalises a complete submission', () => {
    // Prepare
    const fields = {
      ...validInput.contact,
      company: 'Acme GmbH',
      jobTitle: 'Head of Sales',
      phone: ' +49 (0)30 123-456/78. ',
      message: '  Hello,\r\nplease call me.\rThanks\n  ',
      marketingConsent: 'on',
    };

    // Act
    const valid = validateForm('contact', fields, { acceptLanguage: 'en' });

    // Assess
    expect(valid).toStrictEqual({
      form: 'contact',
      email: EMAIL,
      firstName: 'Anna',
      lastName: 'Schmidt',
      company: 'Acme GmbH',
      jobTitle: 'Head of Sales',
      locale: 'en',
      marketingConsent: true,
      attribution: {},
      honeypotFilled: false,
      message: 'Hello,\nplease call me.\nThanks',
      phone: '+49 (0)30 123-456/78.',
    });
  });

  it.each(['firstName', 'lastName', 'message'])('requires %s', (field) => {
    // Prepare
    const fields = withField('contact', field, '  ');

    // Act
    const errors = fieldErrors('contact', fields);

    // Assess
    expect(errors).toEqual({ [field]: `${field} is required` });
  });

  it('accepts a message of 5000 characters and rejects 5001', () => {
    // Prepare
    const longest = withField('contact', 'message', `${'line\n'.repeat(999)}abcde`);
    const tooLong = withField('contact', 'message', 'x'.repeat(5001));

    // Act
    const valid = validateForm('contact', longest, {});
    const errors = fieldErrors('contact', tooLong);

    // Assess
    expect(valid.form === 'contact' && valid.message).toHaveLength(5000);
    expect(errors).toEqual({ message: 'message must be at most 5000 characters' });
  });

  it.each(['\t', '\u0000', '\u0007', '\u001b[31m', '\u007f', '\u0085'])('rejects %j in the message', (ch) => {
    // Prepare
    const fields = withField('contact', 'message', `Hello${ch}world`);

    // Act
    const errors = fieldErrors('contact', fields);

    // Assess
    expect(errors).toEqual({ message: 'message must not contain control characters' });
  });

  it('leaves the phone out when not given', () => {
    // Prepare
    const fields = withField('contact', 'phone', '');

    // Act
    const valid = validateForm('contact', fields, {});

    // Assess
    expect(valid).not.toHaveProperty('phone');
  });

  it.each(['+49 30 1234567', '(030) 123 45-67', '030/1234567', '0049.30.1234567', '1'])('accepts the phone %j', (phone) => {
    // Prepare
    const fields = withField('contact', 'phone', phone);

    // Act
    const valid = validateForm('contact', fields, {});

    // Assess
    expect(valid.form === 'contact' && valid.phone).toBe(phone);
  });

  it.each([
    ['call me', 'phone may only contain digits, spaces and + ( ) - / .'],
    ['+49 30 123 ext 5', 'phone may only contain digits, spaces and + ( ) - / .'],
    ['+49\n30', 'phone may only contain digits, spaces and + ( ) - / .'],
    ['+49 30 1234567#', 'phone may only contain digits, spaces and + ( ) - / .'],
    ['()-', 'phone must contain digits'],
    ['1'.repeat(41), 'phone must be at most 40 characters'],
  ])('rejects the phone %j', (phone, message) => {
    // Prepare
    const fields = withField('contact', 'phone', phone);

    // Act
    const errors = fieldErrors('contact', fields);

    // Assess
    expect(errors).toEqual({ phone: message });
  });

  it('accepts a phone of exactly 40 characters', () => {
    // Prepare
    const fields = withField('contact', 'phone', '1'.repeat(40));

    // Act
    const valid = validateForm('contact', fields, {});

    // Assess
    expect(valid.form === 'contact' && valid.phone).toHaveLength(40);
  });
});
