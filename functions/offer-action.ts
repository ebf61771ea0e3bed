import { readEnv } from '../shared/config/read-env';
import { FUNCTION_ENV } from '../shared/wiring/function-config';
import { slotLabelLong } from '../shared/domain/booking/slots';
import type { Locale } from '../shared/domain/lead';
import { html, httpHandler, seeOther } from '../shared/http/http-handler';
import { renderActionPage, renderMessagePage } from '../shared/http/html-pages';
import { selfUrl, verifiedLink } from '../shared/http/token-page';
import { logger } from '../shared/observability/logger';
import { offerRequest, takeOffer, viewOffer, type OfferView } from '../shared/offers/offer-action';
import { WEBINAR_TIME_ZONE, type Webinar } from '../shared/offers/webinar-catalogue';
import { loadAppSecrets } from '../shared/security/app-secrets';
import { dynamoOfferStore } from '../shared/storage/dynamo-offer-store';

const config = readEnv(FUNCTION_ENV['offer-action']);
const store = dynamoOfferStore(config.TABLE_NAME);

const COPY = {
  de: {
    downloadAsk: 'Ihr persönliches Exemplar liegt bereit. Ein Klick auf die Schaltfläche lädt das PDF herunter.',
    downloadButton: 'PDF herunterladen',
    webinarAsk: (when: string) => `Live-Webinar am ${when}. Mit einem Klick sind Sie angemeldet.`,
    webinarButton: 'Jetzt anmelden',
    registeredTitle: 'Sie sind angemeldet',
    registered: (title: string, when: string) => `Vielen Dank! Sie sind für „${title}“ angemeldet: ${when}. Wir freuen uns auf Sie.`,
    alreadyRegistered: (title: string, when: string) => `Sie sind bereits für „${title}“ angemeldet: ${when}. Wir freuen uns auf Sie.`,
    over: (title: string) => `„${title}“ hat bereits stattgefunden. Eine Anmeldung ist nicht mehr möglich.`,
    goneTitle: 'Angebot nicht verfügbar',
    gone: 'Dieses Angebot ist nicht mehr verfügbar.',
  },
  en: {
    downloadAsk: 'Your personal copy is ready. The button below downloads the PDF.',
    downloadButton: 'Download the PDF',
    webinarAsk: (when: string) => `Live webinar on ${when}. One click registers you.`,
    webinarButton: 'Register now',
    registeredTitle: "You're registered",
    registered: (title: string, when: string) => `Thank you! You are registered for “${title}”: ${when}. We look forward to seeing you.`,
    alreadyRegistered: (title: string, when: string) =>
      `You are already registered for “${title}”: ${when}. We look forward to seeing you.`,
    over: (title: string) => `“${title}” has already taken place. Registration is closed.`,
    goneTitle: 'Offer not available',
    gone: 'This offer is no longer available.',
  },
} as const;

/** When the webinar runs, in the lead's language and the webinar's zone. */
function webinarTime(webinar: Webinar, locale: Locale): string {
  return slotLabelLong(webinar.starts, locale, WEBINAR_TIME_ZONE, webinar.durationMinutes);
}

/** Nothing about the lead is shown: an erased lead's link must not tell anyone what was offered to whom. */
function gonePage(locale: Locale) {
  const copy = COPY[locale];
  return html(200, renderMessagePage({ locale, title: copy.goneTitle, message: copy.gone, status: 'info' }));
}

function offerPage(view: Exclude<OfferView, { kind: 'gone' }>, locale: Locale, actionUrl: string) {
  const copy = COPY[locale];
  if (view.kind === 'download') {
    const title = view.offer.asset.title[locale];
    return html(200, renderActionPage({ locale, title, message: copy.downloadAsk, actionUrl, buttonLabel: copy.downloadButton }));
  }
  const title = view.webinar.title[locale];
  if (view.over) return html(200, renderMessagePage({ locale, title, message: copy.over(title), status: 'info' }));
  const message = copy.webinarAsk(webinarTime(view.webinar, locale));
  return html(200, renderActionPage({ locale, title, message, actionUrl, buttonLabel: copy.webinarButton }));
}

/**
 * A nurture mail's offer link. GET shows the offer with one button (mail scanners follow links, so GET
 * stores nothing); POST records the click and the action and delivers: a 303 to the download, or the
 * webinar registration page.
 */
export const handler = httpHandler(async (event) => {
  const { token, at, locale, isGet } = await verifiedLink(event, 'offer', () => loadAppSecrets(process.env));
  const request = offerRequest(token, locale, at);
  if (isGet) {
    const view = await viewOffer(request, { store });
    return view.kind === 'gone' ? gonePage(locale) : offerPage(view, locale, selfUrl(config.PUBLIC_BASE_URL, event));
  }

  const { signingKey } = await loadAppSecrets(process.env);
  const outcome = await takeOffer(request, { store, signingKey, publicBaseUrl: config.PUBLIC_BASE_URL });
  logger.info('offer taken', {
    leadId: token.leadId,
    offer: request.offer.ref,
    ref: request.ref,
    outcome: outcome.kind,
    ...('clickRecorded' in outcome ? { clickRecorded: outcome.clickRecorded } : {}),
  });
  if (outcome.kind === 'gone') return gonePage(locale);
  if (outcome.kind === 'download') return seeOther(outcome.downloadUrl);
  const copy = COPY[locale];
  const title = outcome.webinar.title[locale];
  if (outcome.kind === 'webinar-over') return html(200, renderMessagePage({ locale, title, message: copy.over(title), status: 'info' }));
  const when = webinarTime(outcome.webinar, locale);
  const message = outcome.firstTime ? copy.registered(title, when) : copy.alreadyRegistered(title, when);
  return html(200, renderMessagePage({ locale, title: copy.registeredTitle, message, status: 'success' }));
});
