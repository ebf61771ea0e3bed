import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { bookCall, CallLeadGoneError, freeSlots, manageLinksFor } from '../shared/booking/book-call';
import { callCalendar } from '../shared/booking/call-calendar';
import { renderBookedPage, renderCallbackPage, renderManagePage, renderSlotsPage } from '../shared/booking/call-pages';
import { CallFormError, parseCallPost, parseManagePost } from '../shared/booking/call-request';
import { changeCall, managedBooking } from '../shared/booking/manage-call';
import { negotiateLocale } from '../shared/capture/form-schemas';
import { parseFormBody } from '../shared/capture/parse-form-body';
import { readEnv } from '../shared/config/read-env';
import { defaultBookingConfig } from '../shared/domain/booking/booking-config';
import type { Locale } from '../shared/domain/lead';
import { NotFoundError } from '../shared/http/http-errors';
import { html, httpHandler, json, type HttpResult } from '../shared/http/http-handler';
import { header, requestTime } from '../shared/http/request-info';
import { selfUrl, verifiedLink } from '../shared/http/token-page';
import { logger } from '../shared/observability/logger';
import { loadAppSecrets } from '../shared/security/app-secrets';
import { dynamoBookingStore } from '../shared/storage/dynamo-booking-store';
import type { LeadItem } from '../shared/storage/lead-item';
import { FUNCTION_ENV } from '../shared/wiring/function-config';

const config = readEnv(FUNCTION_ENV['expert-call']);
const store = dynamoBookingStore(config.TABLE_NAME);
const bookingConfig = defaultBookingConfig;
const secrets = () => loadAppSecrets(process.env);

type Event = APIGatewayProxyEventV2;

/** The lead a `call` link names, its locale, and the link's own URL (the forms post back to it); none on the public page. */
async function visitor(event: Event): Promise<{ at: string; locale: Locale; lead?: LeadItem }> {
  if (!event.queryStringParameters?.token) {
    return { at: requestTime(event), locale: negotiateLocale(header(event, 'accept-language')) };
  }
  const link = await verifiedLink(event, 'call', secrets);
  const lead = await store.getLead(link.token.leadId);
  if (!lead) throw new CallLeadGoneError();
  return { at: link.at, locale: link.locale, lead };
}

function displayName(lead: LeadItem): string {
  return [lead.firstName, lead.lastName].filter(Boolean).join(' ') || lead.email;
}

/** What was posted, as strings, to fill the form again after an error. */
function postedValues(fields: Record<string, unknown>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of ['email', 'firstName', 'lastName', 'company', 'phone']) {
    if (typeof fields[name] === 'string') values[name] = fields[name] as string;
  }
  return values;
}

async function showSlots(event: Event): Promise<HttpResult> {
  const { at, locale, lead } = await visitor(event);
  const slots = await freeSlots({ store, config: bookingConfig }, at);
  return html(
    200,
    renderSlotsPage({
      locale,
      config: bookingConfig,
      actionUrl: selfUrl(config.PUBLIC_BASE_URL, event),
      slots,
      knownName: lead ? displayName(lead) : undefined,
    }),
  );
}

async function book(event: Event): Promise<HttpResult> {
  const body = parseFormBody({ contentType: header(event, 'content-type'), body: event.body, isBase64Encoded: event.isBase64Encoded });
  const { at, locale: pageLocale, lead } = await visitor(event);
  const page = (input: { slots: string[]; status: number; taken?: boolean; problems?: CallFormError['problems']; locale?: Locale }) =>
    html(
      input.status,
      renderSlotsPage({
        locale: input.locale ?? pageLocale,
        config: bookingConfig,
        actionUrl: selfUrl(config.PUBLIC_BASE_URL, event),
        slots: input.slots,
        knownName: lead ? displayName(lead) : undefined,
        values: postedValues(body.fields),
        ...(input.taken ? { taken: true } : {}),
        ...(input.problems ? { problems: input.problems } : {}),
      }),
    );
  let post: ReturnType<typeof parseCallPost>;
  try {
    post = parseCallPost(body.fields, {
      known: lead !== undefined,
      config: bookingConfig,
      now: new Date(at),
      acceptLanguage: header(event, 'accept-language'),
    });
  } catch (error) {
    if (!(error instanceof CallFormError) || body.format !== 'form') throw error;
    return page({ slots: await freeSlots({ store, config: bookingConfig }, at), status: 400, problems: error.problems });
  }
  const { leadIdKey, signingKey } = await secrets();
  const result = await bookCall(
    post,
    { at, ...(lead ? { known: lead, locale: pageLocale } : {}) },
    {
      store,
      config: bookingConfig,
      publicBaseUrl: config.PUBLIC_BASE_URL,
      signingKey,
      leadIdKey,
    },
  );
  logger.info('expert call', { outcome: result.outcome, known: lead !== undefined });
  switch (result.outcome) {
    case 'booked': {
      const { booking, links } = result;
      if (body.format === 'json') return json(201, { ok: true, bookingId: booking.bookingId, slot: booking.slot, ...links });
      return html(200, renderBookedPage({ locale: result.locale, config: bookingConfig, booking, ...links, status: 'booked' }));
    }
    case 'callback-requested':
      return body.format === 'json' ? json(201, { ok: true }) : html(200, renderCallbackPage(result.locale));
    case 'slot-taken':
      if (body.format === 'json') {
        return json(409, { error: { code: 'slot_taken', message: 'The slot was just taken' }, availableSlots: result.freeSlots });
      }
      return page({ slots: result.freeSlots, status: 409, taken: true, locale: result.locale });
  }
}

async function showManage(event: Event): Promise<HttpResult> {
  const link = await verifiedLink(event, 'call-manage', secrets);
  const booking = await managedBooking(store, link.token);
  const { signingKey } = await secrets();
  const { icsUrl } = manageLinksFor(booking, link.locale, link.at, { publicBaseUrl: config.PUBLIC_BASE_URL, signingKey });
  const slots = await freeSlots({ store, config: bookingConfig }, link.at);
  return html(
    200,
    renderManagePage({
      locale: link.locale,
      config: bookingConfig,
      booking,
      actionUrl: selfUrl(config.PUBLIC_BASE_URL, event),
      icsUrl,
      slots,
    }),
  );
}

async function manage(event: Event): Promise<HttpResult> {
  const body = parseFormBody({ contentType: header(event, 'content-type'), body: event.body, isBase64Encoded: event.isBase64Encoded });
  const link = await verifiedLink(event, 'call-manage', secrets);
  const booking = await managedBooking(store, link.token);
  const { signingKey } = await secrets();
  const deps = { store, config: bookingConfig };
  const links = manageLinksFor(booking, link.locale, link.at, { publicBaseUrl: config.PUBLIC_BASE_URL, signingKey });
  const managePage = (input: Omit<Parameters<typeof renderManagePage>[0], 'locale' | 'config' | 'actionUrl' | 'icsUrl'>) =>
    renderManagePage({
      locale: link.locale,
      config: bookingConfig,
      actionUrl: selfUrl(config.PUBLIC_BASE_URL, event),
      icsUrl: links.icsUrl,
      ...input,
    });
  let post: ReturnType<typeof parseManagePost>;
  try {
    post = parseManagePost(body.fields, { config: bookingConfig, now: new Date(link.at) });
  } catch (error) {
    if (!(error instanceof CallFormError) || body.format !== 'form') throw error;
    return html(400, managePage({ booking, slots: await freeSlots(deps, link.at), problems: error.problems, status: 400 }));
  }
  const result = await changeCall(booking, post, { at: link.at, locale: link.locale }, deps);
  logger.info('expert call changed', { outcome: result.outcome });
  switch (result.outcome) {
    case 'cancelled':
    case 'moved':
    case 'unchanged': {
      if (body.format === 'json') return json(200, { ok: true, status: result.booking.status, slot: result.booking.slot });
      const status = result.outcome === 'unchanged' ? 'booked' : result.outcome;
      return html(200, renderBookedPage({ locale: link.locale, config: bookingConfig, booking: result.booking, ...links, status }));
    }
    case 'already-cancelled':
      if (body.format === 'json') return json(409, { error: { code: 'booking_cancelled', message: 'The booking is cancelled' } });
      return html(409, managePage({ booking: result.booking, slots: [], status: 409 }));
    case 'slot-taken':
    case 'stale':
      if (body.format === 'json') {
        const code = result.outcome === 'slot-taken' ? 'slot_taken' : 'booking_changed';
        return json(409, { error: { code, message: 'The booking could not be changed' }, availableSlots: result.freeSlots });
      }
      return html(
        409,
        managePage({
          booking: result.booking,
          slots: result.freeSlots,
          notice: result.outcome === 'slot-taken' ? 'taken' : 'stale',
          status: 409,
        }),
      );
  }
}

async function calendar(event: Event): Promise<HttpResult> {
  const link = await verifiedLink(event, 'call-manage', secrets);
  const booking = await managedBooking(store, link.token);
  const lead = await store.getLead(booking.leadId);
  if (!lead) throw new CallLeadGoneError();
  const { signingKey } = await secrets();
  const { manageUrl } = manageLinksFor(booking, link.locale, link.at, { publicBaseUrl: config.PUBLIC_BASE_URL, signingKey });
  return {
    statusCode: 200,
    headers: {
      'content-type': 'text/calendar; charset=utf-8',
      'content-disposition': 'attachment; filename=expert-call.ics',
      // The event changes with every move or cancel: never serve a stale copy.
      'cache-control': 'no-store',
    },
    body: callCalendar(booking, lead, { config: bookingConfig, publicBaseUrl: config.PUBLIC_BASE_URL, locale: link.locale, manageUrl }),
  };
}

/** One function behind the /call routes (see HTTP_ROUTES): GET shows, POST acts, the .ics is a GET of the booking's state. */
export const handler = httpHandler(async (event) => {
  const route = `${event.requestContext.http.method} ${event.rawPath}`;
  switch (route) {
    case 'GET /call':
      return showSlots(event);
    case 'POST /call':
      return book(event);
    case 'GET /call/manage':
      return showManage(event);
    case 'POST /call/manage':
      return manage(event);
    case 'GET /call/event.ics':
      return calendar(event);
    default:
      throw new NotFoundError(`No route ${route}`);
  }
});
