import { describe, expect, it } from 'vitest';
import type { Interaction } from '../../../shared/domain/lead';
import { ValidationError } from '../../../shared/http/http-errors';
import { offerRequest, takeOffer, viewOffer, type OfferRequest } from '../../../shared/offers/offer-action';
import type { OfferStore } from '../../../shared/offers/offer-store';
import { findWebinar } from '../../../shared/offers/webinar-catalogue';
import { verifyToken, type TokenPayload } from '../../../shared/security/signed-token';

const KEY = 'offer-action-unit-test-key';
const BASE = 'https://leads.example.com';
const LEAD = 'lead-1';
const AT = '2026-12-03T09:00:00.000Z';
const WEBINAR = findWebinar('lead-scoring-praxis')!;

/** The store's contract, in memory: a claim key is held once, a lead must exist for anything to be stored. */
function memoryStore(
  options: { leads?: string[]; mails?: Array<{ leadId: string; step: string; sentAt: string; messageId: string }> } = {},
) {
  const leads = new Set(options.leads ?? [LEAD]);
  const mails = options.mails ?? [];
  const interactions: Array<Interaction & { leadId: string }> = [];
  const claims = new Set<string>();
  let writes = 0;
  const store: OfferStore = {
    async leadExists(leadId) {
      return leads.has(leadId);
    },
    async sentMessageId(leadId, step, before) {
      const sent = mails.filter((mail) => mail.leadId === leadId && mail.step === step && mail.sentAt <= before);
      return sent.sort((a, b) => b.sentAt.localeCompare(a.sentAt))[0]?.messageId;
    },
    async recordInteraction(leadId, interaction, onceKey) {
      writes += 1;
      if (!leads.has(leadId)) return 'no-lead';
      const claim = onceKey === undefined ? undefined : `${leadId}|${onceKey}`;
      if (claim !== undefined && claims.has(claim)) return 'duplicate';
      if (interactions.some((stored) => stored.leadId === leadId && stored.id === interaction.id && stored.at === interaction.at)) {
        return 'duplicate';
      }
      if (claim !== undefined) claims.add(claim);
      interactions.push({ ...interaction, leadId });
      return 'recorded';
    },
  };
  return { store, interactions, writes: () => writes };
}

function token(data: Record<string, string>, leadId = LEAD): TokenPayload {
  return { purpose: 'offer', leadId, data: { locale: 'de', ...data } };
}

const deps = (store: OfferStore) => ({ store, signingKey: KEY, publicBaseUrl: BASE });
const mailFor = (step: string, messageId: string) => ({ leadId: LEAD, step, sentAt: '2026-12-01T08:00:00.000Z', messageId });

describe('offerRequest', () => {
  it.each([
    ['the expert call (booked on /call, never here)', { offer: 'expert-call', ref: 'bofu-1' }],
    ['an offer no catalogue knows', { offer: 'ebook-retired', ref: 'tofu-1' }],
    ['no offer at all', { ref: 'tofu-1' }],
  ])('rejects %s with a 400 naming the offer field', (_name, data) => {
    // Act
    const build = () => offerRequest(token(data), 'de', AT);

    // Assess
    expect(build).toThrow(ValidationError);
    try {
      build();
    } catch (error) {
      expect((error as ValidationError).statusCode).toBe(400);
      expect(Object.keys((error as ValidationError).fields)).toEqual(['offer']);
    }
  });

  it('carries the lead, the resolved offer and the step', () => {
    // Act
    const request = offerRequest(token({ offer: 'case-study-b2b', ref: 'tofu-2' }), 'en', AT);

    // Assess
    expect(request).toMatchObject({
      leadId: LEAD,
      ref: 'tofu-2',
      locale: 'en',
      at: AT,
      offer: { kind: 'download', asset: { id: 'case-study-b2b' } },
    });
  });
});

describe('viewOffer (GET)', () => {
  it('shows the offer without writing anything', async () => {
    // Prepare
    const { store, writes } = memoryStore();
    const request = offerRequest(token({ offer: 'ebook-lead-types', ref: 'tofu-1' }), 'de', AT);

    // Act
    const view = await viewOffer(request, { store });

    // Assess
    expect(view).toMatchObject({ kind: 'download', offer: { asset: { id: 'ebook-lead-types' } } });
    expect(writes()).toBe(0);
  });

  it('shows a webinar as over once it has ended, and a neutral view for an erased lead', async () => {
    // Prepare
    const { store } = memoryStore();
    const after = offerRequest(token({ offer: 'webinar:lead-scoring-praxis', ref: 'mofu-1' }), 'de', '2027-06-17T08:45:00.000Z');
    const erased = offerRequest(token({ offer: 'ebook-lead-types', ref: 'tofu-1' }, 'lead-erased'), 'de', AT);

    // Act
    const over = await viewOffer(after, { store });
    const gone = await viewOffer(erased, { store });

    // Assess
    expect(over).toEqual({ kind: 'webinar', webinar: WEBINAR, over: true });
    expect(gone).toEqual({ kind: 'gone' });
  });
});

describe('takeOffer (POST)', () => {
  const download = (at = AT): OfferRequest => offerRequest(token({ offer: 'pricing-guide', ref: 'mofu-2' }), 'de', at);

  it('records the download from the mail and its click, and hands over a signed download URL of that asset', async () => {
    // Prepare
    const { store, interactions } = memoryStore({ mails: [mailFor('mofu-2', 'msg-mofu-2'), mailFor('tofu-1', 'msg-tofu-1')] });

    // Act
    const outcome = await takeOffer(download(), deps(store));

    // Assess
    expect(outcome).toMatchObject({ kind: 'download', recorded: true, clickRecorded: true });
    expect(interactions).toEqual([
      expect.objectContaining({
        type: 'download',
        at: AT,
        assetId: 'pricing-guide',
        funnelStage: 'bofu',
        channel: 'email',
        messageId: 'msg-mofu-2',
      }),
      expect.objectContaining({ type: 'email_click', at: AT, messageId: 'msg-mofu-2' }),
    ]);
    const url = new URL((outcome as { downloadUrl: string }).downloadUrl);
    expect(url.origin + url.pathname).toBe(`${BASE}/downloads/pricing-guide`);
    const payload = verifyToken(url.searchParams.get('token')!, { purpose: 'download', now: AT }, KEY);
    expect(payload).toMatchObject({ leadId: LEAD, data: { assetId: 'pricing-guide' } });
  });

  it('records nothing more on a second press a minute later, but delivers again', async () => {
    // Prepare
    const { store, interactions } = memoryStore({ mails: [mailFor('mofu-2', 'msg-mofu-2')] });
    await takeOffer(download(), deps(store));

    // Act
    const again = await takeOffer(download('2026-12-03T09:01:00.000Z'), deps(store));

    // Assess
    expect(again).toMatchObject({ kind: 'download', recorded: false, clickRecorded: false });
    expect(interactions.map((interaction) => interaction.type)).toEqual(['download', 'email_click']);
  });

  it('without a sent mail for the step counts no click, but records the download and delivers', async () => {
    // Prepare
    const { store, interactions } = memoryStore({ mails: [mailFor('tofu-1', 'msg-tofu-1')] });

    // Act
    const outcome = await takeOffer(download(), deps(store));

    // Assess
    expect(outcome).toMatchObject({ kind: 'download', recorded: true, clickRecorded: false });
    expect(interactions).toHaveLength(1);
    expect(interactions[0]).toMatchObject({ type: 'download', channel: 'email' });
    expect(interactions[0]).not.toHaveProperty('messageId');
  });

  it('ignores a mail of the step sent after the request (the link cannot come from it)', async () => {
    // Prepare
    const later = { leadId: LEAD, step: 'mofu-2', sentAt: '2026-12-04T08:00:00.000Z', messageId: 'msg-later' };
    const { store, interactions } = memoryStore({ mails: [mailFor('mofu-2', 'msg-earlier'), later] });

    // Act
    await takeOffer(download(), deps(store));

    // Assess
    expect(interactions.map((interaction) => interaction.messageId)).toEqual(['msg-earlier', 'msg-earlier']);
  });

  it('registers for a webinar once per webinar, whichever mail the link came from', async () => {
    // Prepare
    const { store, interactions } = memoryStore({ mails: [mailFor('mofu-1', 'msg-a'), mailFor('tofu-2', 'msg-b')] });
    const fromMofu = offerRequest(token({ offer: 'webinar:lead-scoring-praxis', ref: 'mofu-1' }), 'de', AT);
    const fromOther = offerRequest(token({ offer: 'webinar:lead-scoring-praxis', ref: 'tofu-2' }), 'de', '2026-12-05T09:00:00.000Z');

    // Act
    const first = await takeOffer(fromMofu, deps(store));
    const second = await takeOffer(fromOther, deps(store));

    // Assess
    expect(first).toEqual({ kind: 'webinar-registered', webinar: WEBINAR, firstTime: true, clickRecorded: true });
    expect(second).toEqual({ kind: 'webinar-registered', webinar: WEBINAR, firstTime: false, clickRecorded: true });
    const registrations = interactions.filter((interaction) => interaction.type === 'webinar_registered');
    expect(registrations).toEqual([
      expect.objectContaining({ externalId: 'lead-scoring-praxis', channel: 'email', messageId: 'msg-a', at: AT }),
    ]);
    expect(interactions.filter((interaction) => interaction.type === 'email_click').map((click) => click.messageId)).toEqual([
      'msg-a',
      'msg-b',
    ]);
  });

  it('registers nobody for a webinar that has ended', async () => {
    // Prepare
    const { store, interactions } = memoryStore();
    const late = offerRequest(token({ offer: 'webinar:lead-scoring-praxis' }), 'de', '2027-06-18T08:00:00.000Z');

    // Act
    const outcome = await takeOffer(late, deps(store));

    // Assess
    expect(outcome).toEqual({ kind: 'webinar-over', webinar: WEBINAR, clickRecorded: false });
    expect(interactions).toEqual([]);
  });

  it.each([
    ['a download', 'pricing-guide'],
    ['a webinar', 'webinar:lead-scoring-praxis'],
  ])('stores nothing for an erased lead (%s)', async (_name, offer) => {
    // Prepare
    const { store, interactions } = memoryStore({ leads: [], mails: [{ ...mailFor('mofu-2', 'msg'), leadId: LEAD }] });

    // Act
    const outcome = await takeOffer(offerRequest(token({ offer, ref: 'mofu-2' }), 'de', AT), deps(store));

    // Assess
    expect(outcome).toEqual({ kind: 'gone' });
    expect(interactions).toEqual([]);
  });
});
