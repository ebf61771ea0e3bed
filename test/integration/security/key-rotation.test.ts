import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_INGEST_SECRET, DEV_SIGNING_KEY } from '../../../local/local-environment';
import { leadIdFor } from '../../../shared/security/lead-id';
import { signToken, verifyToken } from '../../../shared/security/signed-token';
import { linkIn, startTestStack, uniqueEmail, type TestStack } from '../../support/test-stack';
import { optInMails, pressConfirmButton, tokenOf } from '../capture/capture-helpers';
import { jsonOf, sendSignal } from '../sales/sales-helpers';

/**
 * A stack in the middle of a rotation of both the token-signing key and the ingest secret: the keys in
 * use before (the development defaults) are now the previous ones, and the lead-id key is pinned to the
 * key every stored lead id was derived from.
 */
const ROTATION = {
  LEADPIPE_LEAD_ID_KEY: DEV_SIGNING_KEY,
  LEADPIPE_SIGNING_KEY: 'rotated-signing-key-0123456789',
  LEADPIPE_PREVIOUS_SIGNING_KEY: DEV_SIGNING_KEY,
  LEADPIPE_INGEST_SECRET: 'rotated-ingest-secret-0123456789',
  LEADPIPE_PREVIOUS_INGEST_SECRET: DEV_INGEST_SECRET,
};

describe('key rotation on a running stack', () => {
  let stack: TestStack;
  beforeAll(async () => {
    Object.assign(process.env, ROTATION);
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack?.stop();
    for (const name of Object.keys(ROTATION)) delete process.env[name];
  });

  it('keeps lead ids: a lead is stored under the id derived with the lead-id key, not with the new signing key', async () => {
    // Prepare
    const email = uniqueEmail('rotation-id');

    // Act
    expect((await stack.postJson('/forms/newsletter', { email, marketingConsent: true })).status).toBe(200);
    await stack.drain();

    // Assess
    const lead = await stack.lead(email);
    expect(lead!.leadId).toBe(leadIdFor(email, DEV_SIGNING_KEY));
    expect(lead!.leadId).not.toBe(leadIdFor(email, ROTATION.LEADPIPE_SIGNING_KEY));
  });

  it('signs new links with the current key, still accepts a link signed with the previous key, and rejects any other key', async () => {
    // Prepare: the opt-in mail sent now, and the same lead's confirm link as a mail from before the rotation carried it
    const email = uniqueEmail('rotation-token');
    expect((await stack.postJson('/forms/newsletter', { email, marketingConsent: true })).status).toBe(200);
    await stack.drain();
    const newToken = tokenOf(linkIn((await optInMails(stack, email))[0]!, '/confirm?token='));
    const lead = (await stack.lead(email))!;
    const payload = {
      purpose: 'confirm' as const,
      leadId: lead.leadId as string,
      expiresAt: new Date(Date.parse(lead.interactions[0].at) + 7 * 86_400_000).toISOString(),
      data: { locale: 'de' },
    };
    const oldLink = `${stack.url}/confirm?token=${signToken(payload, DEV_SIGNING_KEY)}`;
    const strangerLink = `${stack.url}/confirm?token=${signToken(payload, 'a-key-nobody-configured-0123')}`;
    const now = new Date().toISOString();

    // Act
    const stranger = await pressConfirmButton(strangerLink);
    const old = await pressConfirmButton(oldLink);

    // Assess
    expect(() => verifyToken(newToken, { purpose: 'confirm', now }, ROTATION.LEADPIPE_SIGNING_KEY)).not.toThrow();
    expect(() => verifyToken(newToken, { purpose: 'confirm', now }, DEV_SIGNING_KEY)).toThrow();
    expect(stranger.status).toBe(400);
    expect(old.status).toBe(200);
    expect(await old.text()).toContain('Vielen Dank! Ihre Anmeldung ist bestätigt.');
    expect((await stack.lead(email))!.consent.marketing).toBe('confirmed');
  });

  it('accepts signals signed with the current or the previous ingest secret, and no other', async () => {
    // Prepare
    const email = uniqueEmail('rotation-ingest');

    // Act
    const byPrevious = await sendSignal(stack, { email, type: 'webinar_attended', id: 'w-old-secret' }, { secret: DEV_INGEST_SECRET });
    const byCurrent = await sendSignal(stack, { email, type: 'webinar_attended', id: 'w-new-secret' });
    const stranger = { secret: 'a-secret-nobody-configured-01' };
    const byStranger = await sendSignal(stack, { email, type: 'webinar_attended', id: 'w-stranger' }, stranger);
    await stack.drain();

    // Assess
    expect([byPrevious.status, byCurrent.status, byStranger.status]).toEqual([202, 202, 401]);
    expect([await jsonOf(byPrevious), await jsonOf(byCurrent)]).toEqual([{ status: 'recorded' }, { status: 'recorded' }]);
    const recorded = (await stack.lead(email))!.interactions.map((interaction: { externalId: string }) => interaction.externalId);
    expect(recorded.sort()).toEqual(['w-new-secret', 'w-old-secret']);
  });
});
