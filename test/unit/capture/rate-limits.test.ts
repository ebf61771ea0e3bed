import { describe, expect, it } from 'vitest';
import {
  consentRateLimits,
  CONSENT_REQUESTS_PER_IP_PER_HOUR,
  OPT_IN_ADDRESSES_PER_MAILBOX_PER_HOUR,
  rateWindow,
} from '../../../shared/capture/rate-limits';
import { rateLimitClaims } from '../../../shared/storage/rate-limit-items';

const KEY = 'a-test-key-that-is-long-enough-1234';

describe('rate-limit windows', () => {
  it('are clock hours; Retry-After is the time left in the hour, at least one second', () => {
    expect(rateWindow('2026-05-04T10:15:30.000Z')).toEqual({
      start: '2026-05-04T10:00:00.000Z',
      end: '2026-05-04T11:00:00.000Z',
      retryAfterSeconds: 2670,
    });
    expect(rateWindow('2026-05-04T10:00:00.000Z').retryAfterSeconds).toBe(3600);
    expect(rateWindow('2026-05-04T10:59:59.900Z').retryAfterSeconds).toBe(1);
  });
});

describe('consentRateLimits, as conditional counters in the submission transaction', () => {
  const input = {
    at: '2026-05-04T10:15:30.000Z',
    sourceIp: '203.0.113.7',
    email: 'jane+news@acme.example',
    leadId: 'Labc',
  };

  it('puts one conditional counter per limit into the transaction, keyed by a hash, never the IP or address', () => {
    const [ip, mailbox] = rateLimitClaims('t', consentRateLimits(input, KEY));
    expect(ip!.name).toBe('consent-requests-per-ip');
    expect(mailbox!.name).toBe('opt-in-addresses-per-mailbox');
    const text = JSON.stringify([ip!.item, mailbox!.item], (_key, value: unknown) => (value instanceof Set ? [...value] : value));
    expect(text).not.toContain('203.0.113.7');
    expect(text).not.toContain('jane');
    expect(ip!.item.Update!.ExpressionAttributeValues![':limit']).toBe(CONSENT_REQUESTS_PER_IP_PER_HOUR);
    expect(mailbox!.item.Update!.ExpressionAttributeValues![':limit']).toBe(OPT_IN_ADDRESSES_PER_MAILBOX_PER_HOUR);
    expect(ip!.item.Update!.Key).toEqual({ pk: expect.stringMatching(/^RATE#consent-ip#/), sk: 'WINDOW#2026-05-04T10:00:00.000Z' });
    expect(ip!.retryAfterSeconds).toBe(2670);
  });

  it('counts address variants of one mailbox on one item, and separate mailboxes and IPs on separate items', () => {
    const key = (email: string, sourceIp = input.sourceIp) =>
      rateLimitClaims('t', consentRateLimits({ ...input, email, sourceIp }, KEY)).map((claim) => claim.item.Update!.Key);
    expect(key('jane+1@acme.example')[1]).toEqual(key('jane+2@acme.example')[1]);
    expect(key('j.a.n.e@gmail.com')[1]).toEqual(key('jane+x@googlemail.com')[1]);
    expect(key('john@acme.example')[1]).not.toEqual(key('jane@acme.example')[1]);
    expect(key('jane@acme.example', '198.51.100.1')[0]).not.toEqual(key('jane@acme.example')[0]);
  });
});
