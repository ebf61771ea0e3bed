import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { UnauthorizedError } from '../../../shared/http/http-errors';
import { signWebhook, verifyWebhookSignature } from '../../../shared/security/webhook-signature';

const SECRET = 'ingest-secret-0123456789';
const BODY = '{"type":"webinar_attended","email":"anna@example.com","webinarId":"w-42"}';
const NOW = '2025-03-01T10:00:00.000Z';
const NOW_SECONDS = Date.parse(NOW) / 1000;

function unauthorized(fn: () => unknown): UnauthorizedError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect((error as UnauthorizedError).statusCode).toBe(401);
    return error as UnauthorizedError;
  }
  throw new Error('expected an UnauthorizedError');
}

describe('webhook signatures', () => {
  it('signs in the documented format', () => {
    // Prepare
    const expected = createHmac('sha256', SECRET).update(`${NOW_SECONDS}.${BODY}`).digest('hex');

    // Act
    const header = signWebhook(BODY, SECRET, NOW_SECONDS);

    // Assess
    expect(header).toBe(`t=${NOW_SECONDS},v1=${expected}`);
  });

  it('accepts its own signature', () => {
    // Prepare
    const header = signWebhook(BODY, SECRET, NOW_SECONDS);

    // Act
    const verify = () => verifyWebhookSignature({ header, rawBody: BODY, secret: SECRET, now: NOW });

    // Assess
    expect(verify).not.toThrow();
  });

  it('accepts any one of several v1 values, spaces and other schemes', () => {
    // Prepare
    const good = signWebhook(BODY, SECRET, NOW_SECONDS).split('v1=')[1]!;
    const header = ` t=${NOW_SECONDS}, v0=abc, v1=${'0'.repeat(64)}, v1=${good.toUpperCase()} `;

    // Act
    const verify = () => verifyWebhookSignature({ header, rawBody: BODY, secret: SECRET, now: NOW });

    // Assess
    expect(verify).not.toThrow();
  });

  it.each([undefined, '', '   '])('rejects a missing header (%j)', (header) => {
    // Prepare: the header is in the table

    // Act
    const error = unauthorized(() => verifyWebhookSignature({ header, rawBody: BODY, secret: SECRET, now: NOW }));

    // Assess
    expect(error.message).toMatch(/missing/i);
  });

  it.each([
    'garbage',
    `t=${NOW_SECONDS}`,
    `v1=${'a'.repeat(64)}`,
    `t=abc,v1=${'a'.repeat(64)}`,
    `t=-5,v1=${'a'.repeat(64)}`,
    `t=1.5,v1=${'a'.repeat(64)}`,
    `t=${NOW_SECONDS},v1=xyz`,
    `t=${NOW_SECONDS},v1=${'a'.repeat(63)}`,
    `t=${NOW_SECONDS},t=${NOW_SECONDS},v1=${'a'.repeat(64)}`,
  ])('rejects the malformed header %j', (header) => {
    // Prepare: the header is in the table

    // Act
    const error = unauthorized(() => verifyWebhookSignature({ header, rawBody: BODY, secret: SECRET, now: NOW }));

    // Assess
    expect(error.message).toMatch(/malformed/i);
  });

  it.each([
    ['another secret', () => signWebhook(BODY, 'other-secret-0123456789', NOW_SECONDS)],
    ['another body', () => signWebhook(BODY.replace('w-42', 'w-43'), SECRET, NOW_SECONDS)],
    ['a re-dated timestamp', () => signWebhook(BODY, SECRET, NOW_SECONDS - 3600).replace(`t=${NOW_SECONDS - 3600}`, `t=${NOW_SECONDS}`)],
  ])('rejects a signature made with %s', (_label, makeHeader) => {
    // Prepare
    const header = makeHeader();

    // Act
    const error = unauthorized(() => verifyWebhookSignature({ header, rawBody: BODY, secret: SECRET, now: NOW }));

    // Assess
    expect(error.message).toMatch(/invalid signature/i);
  });

  it.each([
    ['exactly 5 minutes old', -300, true],
    ['exactly 5 minutes ahead', 300, true],
    ['stale by one second more', -301, false],
    ['one second further in the future', 301, false],
    ['a day old', -86_400, false],
  ])('treats a signature %s as valid: %s', (_label, offset, valid) => {
    // Prepare
    const header = signWebhook(BODY, SECRET, NOW_SECONDS + offset);

    // Act
    const verify = () => verifyWebhookSignature({ header, rawBody: BODY, secret: SECRET, now: NOW });

    // Assess
    if (valid) expect(verify).not.toThrow();
    else expect(unauthorized(verify).message).toMatch(/tolerance/);
  });

  it('honours a custom tolerance', () => {
    // Prepare
    const header = signWebhook(BODY, SECRET, NOW_SECONDS - 30);

    // Act
    const error = unauthorized(() => verifyWebhookSignature({ header, rawBody: BODY, secret: SECRET, now: NOW, toleranceSeconds: 10 }));

    // Assess
    expect(error.message).toMatch(/tolerance/);
  });

  it('signs the raw body byte for byte', () => {
    // Prepare
    const header = signWebhook(BODY, SECRET, NOW_SECONDS);
    const reformatted = JSON.stringify(JSON.parse(BODY), null, 2);

    // Act
    const verify = () => verifyWebhookSignature({ header, rawBody: reformatted, secret: SECRET, now: NOW });

    // Assess
    expect(unauthorized(verify).message).toMatch(/invalid signature/i);
  });
  it('returns the signed time it parsed, so no caller parses the header again', () => {
    // Prepare
    const header = signWebhook(BODY, SECRET, NOW_SECONDS - 60);

    // Act
    const verified = verifyWebhookSignature({ header, rawBody: BODY, secret: SECRET, now: NOW });

    // Assess
    expect(verified).toEqual({ signedAtSeconds: NOW_SECONDS - 60, signedAt: '2025-03-01T09:59:00.000Z' });
  });

  it.each([
    ['a space before =', String(NOW_SECONDS), (t: string, v1: string) => `t =${t},v1=${v1}`],
    ['spaces around = and ,', String(NOW_SECONDS), (t: string, v1: string) => `t = ${t} , v1 = ${v1}`],
    ['a leading zero', `0${NOW_SECONDS}`, (t: string, v1: string) => `t=${t},v1=${v1}`],
  ])('returns the signed time of a header with %s', (_label, t, format) => {
    // Prepare
    const v1 = createHmac('sha256', SECRET).update(`${t}.${BODY}`).digest('hex');

    // Act
    const verified = verifyWebhookSignature({ header: format(t, v1), rawBody: BODY, secret: SECRET, now: NOW });

    // Assess
    expect(verified).toEqual({ signedAtSeconds: NOW_SECONDS, signedAt: NOW });
  });

  it('accepts a signature made with the previous ingest secret during a rotation, and no other', () => {
    // Prepare
    const previous = 'previous-ingest-secret-0123';
    const byPrevious = signWebhook(BODY, previous, NOW_SECONDS);
    const byStranger = signWebhook(BODY, 'stranger-secret-0123456789', NOW_SECONDS);

    // Act
    const accepted = verifyWebhookSignature({ header: byPrevious, rawBody: BODY, secret: [SECRET, previous], now: NOW });
    const error = unauthorized(() => verifyWebhookSignature({ header: byStranger, rawBody: BODY, secret: [SECRET, previous], now: NOW }));

    // Assess
    expect(accepted.signedAt).toBe(NOW);
    expect(error.message).toMatch(/invalid signature/i);
    const afterRotation = unauthorized(() => verifyWebhookSignature({ header: byPrevious, rawBody: BODY, secret: [SECRET], now: NOW }));
    expect(afterRotation.message).toMatch(/invalid/i);
  });
});
