import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CONSENT_REQUESTS_PER_IP_PER_HOUR, OPT_IN_ADDRESSES_PER_MAILBOX_PER_HOUR } from '../../../shared/capture/rate-limits';
import { startTestStack, type DevMail, type TestStack } from '../../support/test-stack';
import { isOptInMail, optInMails, validBody } from './capture-helpers';
import { destroyAgents, postFrom, type RawResponse } from './post-from-address';

/** A fresh mailbox name per test, so the shared SES emulator needs no reset. */
function mailbox(label: string): string {
  return `${label}-${Math.random().toString(36).slice(2, 10)}`;
}

describe('opt-in rate limits', () => {
  let stack: TestStack;
  let nextSource = 1;
  /** A source address no other test of this file uses. */
  const freshSource = () => `127.0.2.${nextSource++}`;

  beforeAll(async () => {
    stack = await startTestStack();
  });
  beforeEach(() => {
    // Every test runs within one clock hour (the windows): if the hour is about to end, start in the next one.
    const minutesLeft = 60 - stack.stack.clock.now().getUTCMinutes();
    if (minutesLeft < 5) stack.stack.clock.advanceHours(minutesLeft / 60);
  });
  afterAll(async () => {
    destroyAgents();
    await stack?.stop();
  });

  function newsletter(
    source: string,
    email: string,
    extra: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ): Promise<RawResponse> {
    return postFrom(source, stack.url, '/forms/newsletter', JSON.stringify({ email, marketingConsent: true, ...extra }), headers);
  }

  /** Opt-in mails to any of the addresses, from one read of the emulator's mail. */
  async function optInMailsTo(addresses: string[]): Promise<number> {
    const all = (await (await fetch(`${stack.url}/_dev/mail`)).json()) as DevMail[];
    return all.filter((mail) => isOptInMail(mail) && mail.to.some((to) => addresses.includes(to))).length;
  }

  it(`victim+1 … victim+25 of one mailbox get at most ${OPT_IN_ADDRESSES_PER_MAILBOX_PER_HOUR} opt-in mails; \
the others are refused, nothing stored`, async () => {
    // Prepare: 25 variants, each from its own source address so only the mailbox limit applies
    const name = mailbox('victim');
    const variants = Array.from({ length: 25 }, (_, n) => `${name}+${n + 1}@acme-gmbh.example`);

    // Act
    const responses: RawResponse[] = [];
    for (const address of variants) responses.push(await newsletter(freshSource(), address));
    await stack.drain();

    // Assess
    expect(responses.map((response) => response.status)).toEqual([
      ...Array<number>(OPT_IN_ADDRESSES_PER_MAILBOX_PER_HOUR).fill(200),
      ...Array<number>(25 - OPT_IN_ADDRESSES_PER_MAILBOX_PER_HOUR).fill(429),
    ]);
    expect(await optInMailsTo(variants)).toBe(OPT_IN_ADDRESSES_PER_MAILBOX_PER_HOUR);
    const refusedLeads = await Promise.all(variants.slice(OPT_IN_ADDRESSES_PER_MAILBOX_PER_HOUR).map((refused) => stack.lead(refused)));
    expect(refusedLeads.filter((lead) => lead !== undefined)).toEqual([]);
    const refusal = responses.at(-1)!;
    expect(Number(refusal.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refusal.headers['retry-after'])).toBeLessThanOrEqual(3600);
    expect(JSON.parse(refusal.body)).toEqual({
      error: { code: 'too_many_requests', message: expect.stringMatching(/^Too many requests: please try again in \d+ minutes?$/) },
    });
  });

  it('treats Gmail dot and googlemail.com variants as one mailbox', async () => {
    // Prepare
    const name = mailbox('jane');
    const local = name.split('').join('.');
    const variants = [
      `${name}@gmail.com`,
      `${local}@gmail.com`,
      `${name}+x@googlemail.com`,
      `${local}+y@gmail.com`,
      `${name}@googlemail.com`,
    ];

    // Act
    const statuses: number[] = [];
    for (const address of variants) statuses.push((await newsletter(freshSource(), address)).status);
    await stack.drain();

    // Assess
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(await optInMailsTo(variants)).toBe(OPT_IN_ADDRESSES_PER_MAILBOX_PER_HOUR);
  });

  it('never refuses an address already admitted in the window: the person asking again is not locked out by the variants', async () => {
    // Prepare: the mailbox's three addresses are used up
    const name = mailbox('owner');
    const [own, ...others] = Array.from({ length: OPT_IN_ADDRESSES_PER_MAILBOX_PER_HOUR }, (_, n) => `${name}+${n}@acme-gmbh.example`);
    for (const address of [own!, ...others]) expect((await newsletter(freshSource(), address)).status).toBe(200);

    // Act: a fourth variant is refused, the first address may ask again, with a download and its consent box
    const fourth = await newsletter(freshSource(), `${name}+other@acme-gmbh.example`);
    const again = await postFrom(
      freshSource(),
      stack.url,
      '/forms/download',
      JSON.stringify({ ...validBody('download', own!), marketingConsent: true }),
    );
    await stack.drain();

    // Assess
    expect(fourth.status).toBe(429);
    expect(again.status).toBe(200);
    expect((await stack.lead(own!))!.interactions.map((interaction: { type: string }) => interaction.type)).toEqual([
      'newsletter_signup',
      'download',
    ]);
    // one opt-in mail per address and hour: the second request of the same address sends none
    expect(await optInMails(stack, own!)).toHaveLength(1);
  });

  it(`answers the ${CONSENT_REQUESTS_PER_IP_PER_HOUR + 1}st consent request from one IP within the hour with 429 and Retry-After: \
nothing stored, nothing mailed`, async () => {
    // Prepare: 20 consent requests from one source, each for another address
    const source = freshSource();
    const name = mailbox('ip');
    const accepted = Array.from({ length: CONSENT_REQUESTS_PER_IP_PER_HOUR }, (_, n) => `${name}-${n}@acme-gmbh.example`);
    for (const address of accepted) expect((await newsletter(source, address)).status).toBe(200);

    // Act
    const refusedAddress = `${name}-refused@acme-gmbh.example`;
    const refused = await newsletter(source, refusedAddress);
    const fromElsewhere = await newsletter(freshSource(), `${name}-elsewhere@acme-gmbh.example`);
    const withoutConsent = await postFrom(
      source,
      stack.url,
      '/forms/contact',
      JSON.stringify(validBody('contact', `${name}-contact@acme-gmbh.example`)),
    );
    await stack.drain();

    // Assess
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers['retry-after']);
    expect(Number.isInteger(retryAfter) && retryAfter > 0 && retryAfter <= 3600).toBe(true);
    expect(await stack.lead(refusedAddress)).toBeUndefined();
    expect(await stack.mailTo(refusedAddress)).toEqual([]);
    // the limit is per source and for consent requests only
    expect(fromElsewhere.status).toBe(200);
    expect(withoutConsent.status).toBe(200);
    expect(await optInMailsTo(accepted)).toBe(CONSENT_REQUESTS_PER_IP_PER_HOUR);
  });

  it("answers a refused plain HTML form post with a 429 page in the visitor's language, and Retry-After", async () => {
    // Prepare
    const source = freshSource();
    const name = mailbox('html');
    for (let n = 0; n < CONSENT_REQUESTS_PER_IP_PER_HOUR; n += 1)
      expect((await newsletter(source, `${name}-${n}@acme-gmbh.example`)).status).toBe(200);

    // Act
    const body = new URLSearchParams({ email: `${name}-x@acme-gmbh.example`, marketingConsent: 'on' }).toString();
    const german = await postFrom(source, stack.url, '/forms/newsletter', body, {
      'content-type': 'application/x-www-form-urlencoded',
      'accept-language': 'de-DE',
    });
    const english = await postFrom(source, stack.url, '/forms/newsletter', body, {
      'content-type': 'application/x-www-form-urlencoded',
      'accept-language': 'en-GB',
    });

    // Assess
    for (const response of [german, english]) {
      expect(response.status).toBe(429);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    }
    expect(german.body).toContain('Zu viele Anfragen');
    expect(german.body).toMatch(/Bitte versuchen Sie es in \d+ Minuten? erneut/);
    expect(english.body).toContain('Too many requests');
    expect(english.body).toMatch(/Please try again in \d+ minutes?\./);
    await stack.drain();
    expect(await stack.lead(`${name}-x@acme-gmbh.example`)).toBeUndefined();
  });
});
