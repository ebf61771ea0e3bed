import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_SIGNING_KEY } from '../../../local/local-environment';
import { leadIdFor } from '../../../shared/security/lead-id';
import { startTestStack, uniqueEmail, type TestStack } from '../../support/test-stack';
import { downloadMails, expectNothingStoredOrSent, optInMails, RawTable, validBody, validFormFields } from './capture-helpers';
import { thankYouLocation } from './thank-you-location';

type FormName = 'newsletter' | 'download' | 'contact';
const FORMS: FormName[] = ['newsletter', 'download', 'contact'];
const MAX_BODY_BYTES = 16_384;

function postRaw(
  stack: TestStack,
  path: string,
  body: Uint8Array | string,
  contentType?: string,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${stack.url}${path}`, {
    method: 'POST',
    headers: { ...(contentType ? { 'content-type': contentType } : {}), ...headers },
    body,
    redirect: 'manual',
  });
}

/** A JSON body of exactly `bytes` bytes, padded with an unknown field. */
function jsonBodyOfSize(fields: Record<string, unknown>, bytes: number): string {
  const empty = JSON.stringify({ ...fields, padding: '' });
  const body = JSON.stringify({ ...fields, padding: 'p'.repeat(bytes - Buffer.byteLength(empty)) });
  expect(Buffer.byteLength(body)).toBe(bytes);
  return body;
}

/** A urlencoded body of exactly `bytes` bytes, padded with an unknown field. */
function formBodyOfSize(fields: Record<string, string>, bytes: number): string {
  const empty = new URLSearchParams({ ...fields, padding: '' }).toString();
  const body = new URLSearchParams({ ...fields, padding: 'p'.repeat(bytes - empty.length) }).toString();
  expect(Buffer.byteLength(body)).toBe(bytes);
  return body;
}

describe('abuse and malformed input', () => {
  let stack: TestStack;
  let table: RawTable;
  beforeAll(async () => {
    stack = await startTestStack();
    table = new RawTable(stack);
  });
  afterAll(async () => {
    table?.destroy();
    await stack?.stop();
  });

  async function expectPartitionEmpty(email: string): Promise<void> {
    await expectNothingStoredOrSent(stack, email);
    expect(await table.partition(leadIdFor(email.trim().toLowerCase(), DEV_SIGNING_KEY))).toEqual([]);
  }

  describe('the website honeypot', () => {
    it.each(FORMS)('%s as JSON: answered exactly like a success, nothing stored or sent', async (form) => {
      // Prepare
      const human = uniqueEmail(`human-${form}`);
      const bot = uniqueEmail(`bot-${form}`);

      // Act
      const success = await stack.postJson(`/forms/${form}`, { ...validBody(form, human), marketingConsent: true, website: '' });
      const trapped = await stack.postJson(`/forms/${form}`, {
        ...validBody(form, bot),
        marketingConsent: true,
        website: 'https://spam.example',
      });

      // Assess
      expect(trapped.status).toBe(success.status);
      expect(trapped.headers.get('content-type')).toBe(success.headers.get('content-type'));
      const successBody = (await success.json()) as Record<string, unknown>;
      const trappedBody = (await trapped.json()) as Record<string, unknown>;
      expect(Object.keys(trappedBody).sort()).toEqual(Object.keys(successBody).sort());
      expect(trappedBody.ok).toBe(true);
      if (form === 'download') expect(trappedBody.downloadUrl).toMatch(new RegExp(`^${stack.url}/downloads/ebook-lead-types\\?token=`));
      await expectPartitionEmpty(bot);
      // the human twin did get through, so the trap really is the only difference
      expect(await stack.lead(human)).toBeDefined();
      expect((await stack.mailTo(human)).length).toBeGreaterThan(0);
    });

    it.each(FORMS)('%s as a form post: the same 303 as a success, nothing stored or sent', async (form) => {
      // Prepare
      const human = uniqueEmail(`human-form-${form}`);
      const bot = uniqueEmail(`bot-form-${form}`);

      // Act
      const success = await stack.postForm(`/forms/${form}`, { ...validFormFields(form, human), marketingConsent: 'on', website: '' });
      const trapped = await stack.postForm(`/forms/${form}`, {
        ...validFormFields(form, bot),
        marketingConsent: 'on',
        website: 'Buy cheap pills',
      });

      // Assess
      expect(success.status).toBe(303);
      expect(trapped.status).toBe(303);
      const successLocation = thankYouLocation(success.headers.get('location'));
      const trappedLocation = thankYouLocation(trapped.headers.get('location'));
      // the same page with the same parameters; only a download link differs, as it is signed for each lead
      expect(trappedLocation).toEqual({ ...successLocation, ...(form === 'download' ? { downloadUrl: trappedLocation.downloadUrl } : {}) });
      expect(trappedLocation).toMatchObject({ target: `${stack.url}/thanks`, form, lang: 'de', optIn: '1' });
      if (form === 'download') expect(trappedLocation.downloadUrl).toMatch(new RegExp(`^${stack.url}/downloads/ebook-lead-types\\?token=`));
      expect(await trapped.text()).toBe(await success.text());
      await expectPartitionEmpty(bot);
      expect(await stack.lead(human)).toBeDefined();
    });

    it('a trapped form post still follows an allowed redirect like a real one', async () => {
      // Prepare
      const bot = uniqueEmail('bot-redirect');
      const target = `${stack.url}/danke`;

      // Act
      const trapped = await stack.postForm('/forms/newsletter', { email: bot, marketingConsent: 'on', website: 'x', redirect: target });

      // Assess
      expect(trapped.status).toBe(303);
      expect(trapped.headers.get('location')).toBe(`${target}?form=newsletter&lang=de&optIn=1`);
      await expectPartitionEmpty(bot);
    });

    it('a whitespace-only honeypot (autofill noise) is not a trap', async () => {
      // Prepare
      const email = uniqueEmail('honeypot-blank');

      // Act
      await stack.postJson('/forms/newsletter', { email, marketingConsent: true, website: '   ' });
      await stack.drain();

      // Assess
      expect(await stack.lead(email)).toBeDefined();
      expect(await optInMails(stack, email)).toHaveLength(1);
    });
  });

  describe('body size: 413 above 16 KB', () => {
    it('accepts a JSON body of exactly 16384 bytes and rejects one of 16385', async () => {
      // Prepare
      const fits = uniqueEmail('size-fits');
      const tooBig = uniqueEmail('size-big');

      // Act
      const accepted = await stack.postJson('/forms/newsletter', jsonBodyOfSize({ email: fits, marketingConsent: true }, MAX_BODY_BYTES));
      const rejected = await stack.postJson(
        '/forms/newsletter',
        jsonBodyOfSize({ email: tooBig, marketingConsent: true }, MAX_BODY_BYTES + 1),
      );

      // Assess
      expect(accepted.status).toBe(200);
      expect(rejected.status).toBe(413);
      expect(await rejected.json()).toEqual({ error: { code: 'payload_too_large', message: expect.stringContaining('16384') } });
      await expectPartitionEmpty(tooBig);
    });

    it('counts bytes, not characters: 16385 bytes of multi-byte UTF-8 are too many', async () => {
      // Prepare
      const email = uniqueEmail('size-utf8');
      const base = JSON.stringify({ email, marketingConsent: true, padding: '' });
      const euros = Math.ceil((MAX_BODY_BYTES + 1 - Buffer.byteLength(base)) / 3);
      const body = JSON.stringify({ email, marketingConsent: true, padding: '€'.repeat(euros) });

      // Act
      const response = await stack.postJson('/forms/newsletter', body);

      // Assess
      expect(body.length).toBeLessThan(MAX_BODY_BYTES);
      expect(Buffer.byteLength(body)).toBeGreaterThan(MAX_BODY_BYTES);
      expect(response.status).toBe(413);
      await expectPartitionEmpty(email);
    });

    it('accepts a form post of exactly 16384 bytes and answers one of 16385 with a 413 page', async () => {
      // Prepare
      const fits = uniqueEmail('size-form-fits');
      const tooBig = uniqueEmail('size-form-big');

      // Act
      const accepted = await postRaw(
        stack,
        '/forms/newsletter',
        formBodyOfSize({ email: fits, marketingConsent: 'on' }, MAX_BODY_BYTES),
        'application/x-www-form-urlencoded',
      );
      const rejected = await postRaw(
        stack,
        '/forms/newsletter',
        formBodyOfSize({ email: tooBig, marketingConsent: 'on' }, MAX_BODY_BYTES + 1),
        'application/x-www-form-urlencoded',
      );

      // Assess
      expect(accepted.status).toBe(303);
      expect(rejected.status).toBe(413);
      expect(rejected.headers.get('content-type')).toMatch(/^text\/html/);
      const page = await rejected.text();
      expect(page).toContain('<h1>Zu viel Text</h1>');
      expect(page).toContain('höchstens 16 KB');
      await expectPartitionEmpty(tooBig);
    });

    it('rejects a megabyte with 413 on every form', async () => {
      // Prepare
      const email = uniqueEmail('size-mb');
      const message = 'm'.repeat(1024 * 1024);

      // Act
      const responses = await Promise.all(FORMS.map((form) => stack.postJson(`/forms/${form}`, { ...validBody(form, email), message })));

      // Assess
      expect(responses.map((response) => response.status)).toEqual([413, 413, 413]);
      await expectPartitionEmpty(email);
    });
  });

  describe('content type: 415 for anything but JSON and urlencoded', () => {
    it.each([
      ['text/plain', 'text/plain;charset=UTF-8'],
      ['application/xml', 'application/xml'],
      ['a JSON look-alike', 'application/jsonp'],
      ['application/octet-stream', 'application/octet-stream'],
      ['no content type', undefined],
    ])('%s → 415, nothing stored', async (_label, contentType) => {
      // Prepare
      const email = uniqueEmail('media');
      const body = new TextEncoder().encode(JSON.stringify({ email, marketingConsent: true }));

      // Act
      const response = await postRaw(stack, '/forms/newsletter', body, contentType);

      // Assess
      expect(response.status).toBe(415);
      expect(await response.json()).toEqual({
        error: { code: 'unsupported_media_type', message: expect.stringContaining('application/json') },
      });
      await expectPartitionEmpty(email);
    });

    it('multipart/form-data → 415, nothing stored', async () => {
      // Prepare
      const email = uniqueEmail('media-multipart');
      const body = new FormData();
      body.set('email', email);
      body.set('marketingConsent', 'on');

      // Act
      const response = await fetch(`${stack.url}/forms/newsletter`, { method: 'POST', body, redirect: 'manual' });

      // Assess
      expect(response.headers.get('content-type')).not.toBeNull();
      expect(response.status).toBe(415);
      await expectPartitionEmpty(email);
    });

    it('accepts media types case-insensitively and with parameters', async () => {
      // Prepare
      const json = uniqueEmail('media-json-params');
      const form = uniqueEmail('media-form-params');

      // Act
      const jsonResponse = await postRaw(
        stack,
        '/forms/newsletter',
        JSON.stringify({ email: json, marketingConsent: true }),
        'Application/JSON; charset=utf-8',
      );
      const formResponse = await postRaw(
        stack,
        '/forms/newsletter',
        new URLSearchParams({ email: form, marketingConsent: 'on' }).toString(),
        'application/x-www-form-urlencoded; charset=UTF-8',
      );

      // Assess
      expect(jsonResponse.status).toBe(200);
      expect(formResponse.status).toBe(303);
    });
  });

  describe('malformed bodies: 400, never 5xx', () => {
    it.each([
      ['truncated JSON', (email: string) => `{"email":"${email}","marketingConsent":true`, 'invalid JSON'],
      ['trailing garbage', (email: string) => `{"email":"${email}","marketingConsent":true} x`, 'invalid JSON'],
      ['single quotes', (email: string) => `{'email':'${email}','marketingConsent':true}`, 'invalid JSON'],
      ['a JSON array', (email: string) => `[{"email":"${email}","marketingConsent":true}]`, 'not an object'],
      ['JSON null', () => 'null', 'not an object'],
      ['a JSON string', (email: string) => JSON.stringify(email), 'not an object'],
      ['a JSON number', () => '42', 'not an object'],
    ])('%s → 400 malformed_body', async (_label, bodyFor, problem) => {
      // Prepare
      const email = uniqueEmail('malformed');

      // Act
      const response = await stack.postJson('/forms/newsletter', bodyFor(email));

      // Assess
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error: { code: 'malformed_body', message: `Malformed request body: ${problem}` } });
      await expectPartitionEmpty(email);
    });

    it('invalid UTF-8 bytes in a form post → 400 page', async () => {
      // Prepare
      const email = uniqueEmail('bad-utf8-form');
      const body = Buffer.concat([
        Buffer.from(`email=${encodeURIComponent(email)}&marketingConsent=on&firstName=`),
        Buffer.from([0xc3, 0x28, 0xff]),
      ]);

      // Act
      const response = await postRaw(stack, '/forms/newsletter', body, 'application/x-www-form-urlencoded', { 'accept-language': 'en' });

      // Assess
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      const page = await response.text();
      expect(page).toContain('<h1>Request could not be read</h1>');
      expect(page).toContain('bad encoding, expected UTF-8');
      expect(page).not.toContain('percent-encoding');
      await expectPartitionEmpty(email);
    });

    it('invalid UTF-8 bytes in a JSON body → 400 malformed_body, nothing stored', async () => {
      // Prepare
      const email = uniqueEmail('bad-utf8-json');
      const body = Buffer.concat([
        Buffer.from(`{"email":"${email}","marketingConsent":true,"firstName":"Ma`),
        Buffer.from([0xc3, 0x28, 0xff]),
        Buffer.from('x"}'),
      ]);

      // Act
      const response = await postRaw(stack, '/forms/newsletter', body, 'application/json');

      // Assess
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        error: { code: 'malformed_body', message: 'Malformed request body: bad encoding (expected UTF-8)' },
      });
      await expectPartitionEmpty(email);
    });

    it('a JSON-escaped lone surrogate → 400, never 5xx, nothing stored', async () => {
      // Prepare
      const email = uniqueEmail('lone-surrogate');
      const body = `{"email":"${email}","marketingConsent":true,"firstName":"Max\\ud800"}`;

      // Act
      const response = await stack.postJson('/forms/newsletter', body);

      // Assess
      expect(response.status).toBe(400);
      await expectPartitionEmpty(email);
    });

    it.each([
      ['an invalid escape', 'firstName=%ZZ'],
      ['a truncated escape', 'firstName=%E0%A4%A'],
      ['an escape that is not UTF-8', 'firstName=%FF'],
      ['a lone percent sign', 'firstName=100%'],
    ])('%s in a form post → 400 page, nothing stored', async (_label, badPair) => {
      // Prepare
      const email = uniqueEmail('bad-percent');
      const body = `email=${encodeURIComponent(email)}&marketingConsent=on&${badPair}`;

      // Act
      const response = await postRaw(stack, '/forms/newsletter', body, 'application/x-www-form-urlencoded');

      // Assess
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      const page = await response.text();
      expect(page).toContain('<html lang="de">');
      expect(page).toContain('<h1>Anfrage nicht lesbar</h1>');
      expect(page).toContain('ungültige Prozent-Kodierung');
      expect(page).not.toContain('UTF-8');
      await expectPartitionEmpty(email);
    });

    it.each([
      ['arrays', (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`],
      ['objects', (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`],
    ])('deeply nested %s in an unknown field are ignored, not a 5xx', async (_label, nested) => {
      // Prepare
      const email = uniqueEmail('deep');
      const prefix = `{"email":"${email}","marketingConsent":true,"junk":`;
      const depth = Math.floor((MAX_BODY_BYTES - prefix.length - 1) / (nested(2).length / 2));
      const body = `${prefix}${nested(depth)}}`;

      // Act
      const response = await stack.postJson('/forms/newsletter', body);

      // Assess
      expect(Buffer.byteLength(body)).toBeLessThanOrEqual(MAX_BODY_BYTES);
      expect(depth).toBeGreaterThan(2000);
      expect(response.status).toBe(200);
      const lead = await stack.lead(email);
      expect(JSON.stringify(await table.partition(lead!.leadId))).not.toContain('junk');
    });

    it('a "__proto__" key cannot smuggle in the consent', async () => {
      // Prepare
      const email = uniqueEmail('proto');

      // Act
      const response = await stack.postJson('/forms/newsletter', `{"email":"${email}","__proto__":{"marketingConsent":true}}`);

      // Assess
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { fields: Record<string, string> } }).error.fields.marketingConsent).toBeDefined();
      await expectPartitionEmpty(email);
    });

    it(`invalid base64 from API Gateway → 400 (the handler is given the event directly: \
the local server always encodes correctly)`, async () => {
      // Prepare
      const email = uniqueEmail('bad-base64');
      const valid = Buffer.from(`email=${encodeURIComponent(email)}&marketingConsent=on`).toString('base64');
      const { handler } = await import('../../../functions/capture-form');
      const event = (body: string): APIGatewayProxyEventV2 => ({
        version: '2.0',
        routeKey: 'POST /forms/newsletter',
        rawPath: '/forms/newsletter',
        rawQueryString: '',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'test' },
        requestContext: {
          accountId: '000000000000',
          apiId: 'local',
          domainName: 'localhost',
          domainPrefix: 'localhost',
          http: { method: 'POST', path: '/forms/newsletter', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
          requestId: crypto.randomUUID(),
          routeKey: 'POST /forms/newsletter',
          stage: '$default',
          time: new Date().toUTCString(),
          timeEpoch: stack.stack.clock.now().getTime(),
        },
        body,
        isBase64Encoded: true,
      });

      // Act
      const corrupted = (await handler(
        event(`${valid.slice(0, 8)}*${valid.slice(8)}`),
        {} as Context,
      )) as APIGatewayProxyStructuredResultV2;
      const notBase64 = (await handler(event('this is not base64!'), {} as Context)) as APIGatewayProxyStructuredResultV2;

      // Assess
      expect(corrupted.statusCode).toBe(400);
      expect(notBase64.statusCode).toBe(400);
      expect(corrupted.body).toContain('kein gültiges UTF-8');
      expect(notBase64.body).toContain('kein gültiges UTF-8');
      await expectPartitionEmpty(email);
      // the same event with the valid body is stored: the corruption was the only problem
      const accepted = (await handler(event(valid), {} as Context)) as APIGatewayProxyStructuredResultV2;
      expect(accepted.statusCode).toBe(303);
      expect(await stack.lead(email)).toBeDefined();
    });
  });

  describe('double-clicks: the same submission within 10 minutes counts once', () => {
    it('JSON newsletter twice → one interaction, one mail', async () => {
      // Prepare
      const email = uniqueEmail('dbl-json');
      const body = { email, marketingConsent: true, firstName: 'Doppel', utm_source: 'x' };

      // Act
      const first = await stack.postJson('/forms/newsletter', body);
      const second = await stack.postJson('/forms/newsletter', body);
      await stack.drain();

      // Assess
      expect([first.status, second.status]).toEqual([200, 200]);
      expect(await second.json()).toEqual({ ok: true });
      expect((await stack.lead(email))!.interactions).toHaveLength(1);
      expect(await stack.mailTo(email)).toHaveLength(1);
    });

    it('the same form post twice, even with another redirect and other letter case → one interaction, one download mail', async () => {
      // Prepare
      const email = uniqueEmail('dbl-form');
      const fields = { ...validFormFields('download', email), utm_campaign: 'spring' };

      // Act
      const first = await stack.postForm('/forms/download', fields);
      const second = await stack.postForm('/forms/download', {
        ...fields,
        email: ` ${email.toUpperCase()} `,
        redirect: `${stack.url}/danke`,
      });
      await stack.drain();

      // Assess
      expect(first.status).toBe(303);
      expect(second.status).toBe(303);
      const firstLocation = thankYouLocation(first.headers.get('location'));
      const secondLocation = thankYouLocation(second.headers.get('location'));
      expect(firstLocation).toMatchObject({ target: `${stack.url}/thanks`, form: 'download', lang: 'de' });
      // the double-click follows its own redirect and still gets the document link, though nothing new is stored or mailed
      expect(secondLocation).toEqual({ ...firstLocation, target: `${stack.url}/danke`, downloadUrl: secondLocation.downloadUrl });
      expect(secondLocation.downloadUrl).toMatch(new RegExp(`^${stack.url}/downloads/ebook-lead-types\\?token=`));
      expect((await stack.lead(email))!.interactions).toHaveLength(1);
      expect(await downloadMails(stack, email)).toHaveLength(1);
    });

    it('two simultaneous identical posts → both answered as success, one interaction, one mail', async () => {
      // Prepare
      const email = uniqueEmail('dbl-race');
      const body = { ...validBody('download', email), assetId: 'pricing-guide' };

      // Act
      const responses = await Promise.all([stack.postJson('/forms/download', body), stack.postJson('/forms/download', body)]);
      await stack.drain();

      // Assess
      expect(responses.map((response) => response.status)).toEqual([200, 200]);
      expect((await stack.lead(email))!.interactions).toHaveLength(1);
      expect(await downloadMails(stack, email)).toHaveLength(1);
    });

    it('simultaneous different posts for one address are all stored', async () => {
      // Prepare
      const email = uniqueEmail('dbl-race-diff');

      // Act
      const responses = await Promise.all(
        ['a', 'b', 'c'].map((utm_source) => stack.postJson('/forms/newsletter', { email, marketingConsent: true, utm_source })),
      );
      await stack.drain();

      // Assess
      expect(responses.map((response) => response.status)).toEqual([200, 200, 200]);
      expect((await stack.lead(email))!.interactions).toHaveLength(3);
      expect(await optInMails(stack, email)).toHaveLength(1);
    });

    it('the same submission after 10 minutes counts again (runs last in this block: moves the clock)', async () => {
      // Prepare
      const email = uniqueEmail('dbl-later');
      const body = { ...validBody('contact', email) };
      await stack.postJson('/forms/contact', body);

      // Act
      await stack.tick(9 / 60);
      await stack.postJson('/forms/contact', body);
      const withinWindow = (await stack.lead(email))!.interactions.length;
      await stack.tick(2 / 60);
      await stack.postJson('/forms/contact', body);

      // Assess
      expect(withinWindow).toBe(1);
      expect((await stack.lead(email))!.interactions).toHaveLength(2);
    });
  });

  describe('CORS', () => {
    function preflight(origin: string | undefined, path = '/forms/newsletter'): Promise<Response> {
      return fetch(`${stack.url}${path}`, {
        method: 'OPTIONS',
        headers: {
          ...(origin ? { origin } : {}),
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
    }

    it.each(['/forms/newsletter', '/forms/download', '/forms/contact'])(
      'a preflight for %s from an allowed origin is allowed',
      async (path) => {
        // Prepare
        const origin = stack.url;

        // Act
        const response = await preflight(origin, path);

        // Assess
        expect(response.status).toBe(204);
        expect(response.headers.get('access-control-allow-origin')).toBe(origin);
        expect(response.headers.get('access-control-allow-methods')).toContain('POST');
        expect(response.headers.get('access-control-allow-headers')?.split(',')).toContain('content-type');
        expect(response.headers.get('vary')?.toLowerCase()).toContain('origin');
      },
    );

    it.each([
      ['an evil origin', () => 'https://evil.example'],
      ['a look-alike host', (url: string) => `${url}.evil.example`],
      ['the allowed origin with a path', (url: string) => `${url}/`],
      ['the allowed host on https', (url: string) => url.replace('http://', 'https://')],
      ['the "null" origin', () => 'null'],
    ])('a preflight from %s gets no CORS headers', async (_label, originFor) => {
      // Prepare
      const origin = originFor(stack.url);

      // Act
      const response = await preflight(origin);

      // Assess
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(response.headers.get('access-control-allow-methods')).toBeNull();
    });

    it('a preflight without an Origin gets no CORS headers', async () => {
      // Act
      const response = await preflight(undefined);

      // Assess
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('the actual POST carries access-control-allow-origin for an allowed origin only, on success and on error', async () => {
      // Prepare
      const allowed = uniqueEmail('cors-ok');
      const evil = uniqueEmail('cors-evil');

      // Act
      const allowedSuccess = await stack.postJson('/forms/newsletter', { email: allowed, marketingConsent: true }, { origin: stack.url });
      const allowedError = await stack.postJson('/forms/newsletter', { email: 'broken' }, { origin: stack.url });
      const evilSuccess = await stack.postJson(
        '/forms/newsletter',
        { email: evil, marketingConsent: true },
        { origin: 'https://evil.example' },
      );

      // Assess
      expect(allowedSuccess.status).toBe(200);
      expect(allowedSuccess.headers.get('access-control-allow-origin')).toBe(stack.url);
      expect(allowedError.status).toBe(400);
      expect(allowedError.headers.get('access-control-allow-origin')).toBe(stack.url);
      expect(evilSuccess.headers.get('access-control-allow-origin')).toBeNull();
    });
  });
});
