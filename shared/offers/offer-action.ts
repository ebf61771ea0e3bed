/**
 * The use case behind a nurture mail's offer link (GET /offers shows, POST acts). Pressing the button
 * records what the lead did, with the mail it came from, and delivers the offer:
 * - a download records `download` {assetId, funnelStage, channel email, messageId} and hands over the signed download URL;
 * - a webinar records `webinar_registered` {externalId, channel email, messageId}, once per webinar;
 * - either way, the mail's `email_click` counts once per message (shared with SES click tracking, see emailClickOnce).
 * An erased or unknown lead gets nothing recorded. The expert call is booked on GET /call, never here.
 */
import { createHash, randomUUID } from 'node:crypto';
import { signedDownloadUrl } from '../capture/capture-submission';
import type { Interaction, Locale } from '../domain/lead';
import { emailClickOnce } from '../feedback/email-click';
import { ValidationError } from '../http/http-errors';
import type { TokenPayload } from '../security/signed-token';
import { resolveOffer, type Offer } from './offer-catalogue';
import type { OfferStore } from './offer-store';
import { webinarEndsAt, type Webinar } from './webinar-catalogue';

/** What a verified offer link says: whose it is, what it offers, and which mail (nurture step) carried it. */
export interface OfferRequest {
  leadId: string;
  offer: PageOffer;
  /** the nurture step of the mail, e.g. "tofu-1"; absent: no click is counted */
  ref?: string;
  locale: Locale;
  /** the request's time */
  at: string;
}

/** The offers this page delivers: the expert call has its own page. */
export type PageOffer = Exclude<Offer, { kind: 'expert-call' }>;

/**
 * The offer a verified token names. The signature makes a bad value unlikely, but a step removed from the
 * catalogues after its mail went out, or an expert-call token forged for this page, is a 400 naming the field.
 */
export function offerRequest(token: TokenPayload, locale: Locale, at: string): OfferRequest {
  const ref = token.data?.offer;
  if (ref === undefined || ref === '') throw new ValidationError({ offer: 'missing' });
  const offer = resolveOffer(ref);
  if (offer === undefined) throw new ValidationError({ offer: 'unknown offer' });
  if (offer.kind === 'expert-call') throw new ValidationError({ offer: 'the expert call is booked on its own page' });
  const step = token.data?.ref;
  return { leadId: token.leadId, offer, locale, at, ...(step ? { ref: step } : {}) };
}

export interface OfferDeps {
  store: OfferStore;
  signingKey: string;
  publicBaseUrl: string;
}

export type OfferView = { kind: 'gone' } | { kind: 'download'; offer: Extract<PageOffer, { kind: 'download' }> } | WebinarView;
type WebinarView = { kind: 'webinar'; webinar: Webinar; over: boolean };

/** What GET shows: never a write (mail scanners follow links). */
export async function viewOffer(request: OfferRequest, deps: Pick<OfferDeps, 'store'>): Promise<OfferView> {
  if (!(await deps.store.leadExists(request.leadId))) return { kind: 'gone' };
  const { offer } = request;
  if (offer.kind === 'download') return { kind: 'download', offer };
  return { kind: 'webinar', webinar: offer.webinar, over: isOver(offer.webinar, request.at) };
}

export type OfferOutcome =
  | { kind: 'gone' }
  | { kind: 'download'; downloadUrl: string; recorded: boolean; clickRecorded: boolean }
  | { kind: 'webinar-registered'; webinar: Webinar; firstTime: boolean; clickRecorded: boolean }
  | { kind: 'webinar-over'; webinar: Webinar; clickRecorded: boolean };

/** What the POST does: records (each part at most once) and says what to deliver. */
export async function takeOffer(request: OfferRequest, deps: OfferDeps): Promise<OfferOutcome> {
  const { leadId, offer, at } = request;
  // The mail the link came from; without it (sent before messages were recorded, say) the offer is still delivered.
  const messageId = request.ref ? await deps.store.sentMessageId(leadId, request.ref, at) : undefined;
  const fromMail = { channel: 'email' as const, ...(messageId ? { messageId } : {}) };

  let action: { result: 'recorded' | 'duplicate' | 'no-lead' | 'skipped' };
  if (offer.kind === 'download') {
    const interaction: Interaction = {
      // One download per mail and asset: a second press hands over the PDF again without a second record.
      id: messageId ? stableId(`download:${offer.asset.id}:${messageId}`) : randomUUID(),
      type: 'download',
      at,
      assetId: offer.asset.id,
      funnelStage: offer.asset.funnelStage,
      ...fromMail,
    };
    const onceKey = messageId ? `download:${offer.asset.id}:${messageId}` : undefined;
    action = { result: await deps.store.recordInteraction(leadId, interaction, onceKey) };
  } else if (isOver(offer.webinar, at)) {
    action = { result: (await deps.store.leadExists(leadId)) ? 'skipped' : 'no-lead' };
  } else {
    const key = `webinar_registered:${offer.webinar.id}`;
    const interaction: Interaction = { id: stableId(key), type: 'webinar_registered', at, externalId: offer.webinar.id, ...fromMail };
    action = { result: await deps.store.recordInteraction(leadId, interaction, key) };
  }
  if (action.result === 'no-lead') return { kind: 'gone' };

  const clickRecorded = messageId ? await recordClick(leadId, messageId, at, deps.store) : false;
  if (offer.kind === 'download') {
    const downloadUrl = signedDownloadUrl(leadId, offer.asset.id, at, deps);
    return { kind: 'download', downloadUrl, recorded: action.result === 'recorded', clickRecorded };
  }
  if (action.result === 'skipped') return { kind: 'webinar-over', webinar: offer.webinar, clickRecorded };
  return { kind: 'webinar-registered', webinar: offer.webinar, firstTime: action.result === 'recorded', clickRecorded };
}

async function recordClick(leadId: string, messageId: string, at: string, store: OfferStore): Promise<boolean> {
  const { id, onceKey } = emailClickOnce(messageId);
  return (await store.recordInteraction(leadId, { id, type: 'email_click', at, messageId, channel: 'email' }, onceKey)) === 'recorded';
}

function isOver(webinar: Webinar, at: string): boolean {
  return Date.parse(at) >= Date.parse(webinarEndsAt(webinar));
}

function stableId(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}
