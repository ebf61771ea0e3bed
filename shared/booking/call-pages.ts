/**
 * The pages of the expert call: the slot list (with the call-back alternative), the confirmation, and the manage
 * page. Pure HTML in the frame of html-pages (same CSP-allowed style, no script); every value is escaped here.
 * Radios are grouped per day in a fieldset whose legend names the day, so screen readers announce "Tuesday, … 10:15";
 * the times of a day are a grid of pills, not one radio per line.
 */
import type { BookingConfig } from '../domain/booking/booking-config';
import { slotDay, slotLabelLong } from '../domain/booking/slots';
import type { Locale } from '../domain/lead';
import { escapeHtml } from '../email/escape-html';
import { isSafePageUrl, renderCustomPage } from '../http/html-pages';
import type { Booking } from './booking-store';
import type { FieldProblem } from './call-request';

const TEXTS = {
  de: {
    title: '15 Minuten mit einem Experten',
    intro: 'Wählen Sie einen freien Termin. Wir rufen Sie zur gewählten Zeit an.',
    known: (name: string) => `Wir buchen den Termin für ${name}.`,
    zone: (zone: string) => `Alle Zeiten in der Zeitzone ${zone}.`,
    none: 'Zurzeit sind keine Termine frei. Lassen Sie sich gern zurückrufen.',
    taken: 'Dieser Termin wurde gerade vergeben. Bitte wählen Sie einen anderen der freien Termine.',
    slotsLegend: 'Freie Termine',
    book: 'Termin buchen',
    contactNote: 'Dies ist eine Kontaktanfrage, keine Anmeldung zum Newsletter: Wir verwenden Ihre Angaben nur für dieses Gespräch.',
    callbackTitle: 'Lieber zurückrufen lassen?',
    callbackIntro: 'Nennen Sie uns Ihre Telefonnummer, wir melden uns in den nächsten Werktagen.',
    callback: 'Rückruf anfordern',
    optional: '(optional)',
    errorsIntro: 'Bitte prüfen Sie Ihre Angaben:',
    labels: {
      email: 'E-Mail',
      firstName: 'Vorname',
      lastName: 'Nachname',
      company: 'Unternehmen',
      phone: 'Telefon',
      slot: 'Termin',
      action: 'Aktion',
    } as Record<string, string>,
    problems: {
      required: 'fehlt',
      invalid: 'ist ungültig',
      malformed: 'ist keiner der angebotenen Termine',
      past: 'liegt in der Vergangenheit',
      'too-soon': 'ist zu kurzfristig',
      'outside-hours': 'liegt außerhalb der Geschäftszeiten',
      'off-grid': 'ist keiner der angebotenen Termine',
      'not-a-working-day': 'liegt nicht an einem Werktag',
      'beyond-horizon': 'liegt zu weit in der Zukunft',
    } satisfies Record<FieldProblem, string>,
    bookedTitle: 'Ihr Termin ist gebucht',
    bookedIntro: 'Wir rufen Sie an am:',
    movedTitle: 'Ihr Termin ist verschoben',
    cancelledTitle: 'Ihr Termin ist abgesagt',
    cancelledIntro: 'Dieser Termin ist abgesagt:',
    confirmationMail: 'Sie erhalten gleich eine Bestätigung per E-Mail.',
    ics: 'In den Kalender übernehmen (.ics)',
    manage: 'Termin verschieben oder absagen',
    callbackDoneTitle: 'Wir rufen Sie zurück',
    callbackDone: 'Danke! Wir melden uns in den nächsten Werktagen telefonisch bei Ihnen.',
    manageTitle: 'Ihr Termin',
    manageIntro: 'Gebucht für:',
    cancel: 'Termin absagen',
    cancelTitle: 'Absagen',
    moveTitle: 'Auf einen anderen Termin verschieben',
    move: 'Termin verschieben',
    bookAgain: 'Neuen Termin wählen',
    stale: 'Der Termin wurde inzwischen geändert. Bitte prüfen Sie den aktuellen Stand.',
  },
  en: {
    title: '15 minutes with an expert',
    intro: 'Choose a free time. We will call you at the time you choose.',
    known: (name: string) => `We will book the call for ${name}.`,
    zone: (zone: string) => `All times in the ${zone} time zone.`,
    none: 'There are no free times at the moment. Ask for a call back instead.',
    taken: 'That time was just taken. Please choose another of the free times.',
    slotsLegend: 'Free times',
    book: 'Book this time',
    contactNote: 'This is a request for contact, not a newsletter sign-up: we use your details only for this call.',
    callbackTitle: 'Rather have us call you back?',
    callbackIntro: 'Leave your phone number and we will call you within the next working days.',
    callback: 'Request a call back',
    optional: '(optional)',
    errorsIntro: 'Please check your details:',
    labels: {
      email: 'Email',
      firstName: 'First name',
      lastName: 'Last name',
      company: 'Company',
      phone: 'Phone',
      slot: 'Time',
      action: 'Action',
    } as Record<string, string>,
    problems: {
      required: 'is missing',
      invalid: 'is not valid',
      malformed: 'is not one of the offered times',
      past: 'is in the past',
      'too-soon': 'is too soon',
      'outside-hours': 'is outside business hours',
      'off-grid': 'is not one of the offered times',
      'not-a-working-day': 'is not on a working day',
      'beyond-horizon': 'is too far ahead',
    } satisfies Record<FieldProblem, string>,
    bookedTitle: 'Your call is booked',
    bookedIntro: 'We will call you on:',
    movedTitle: 'Your call has been moved',
    cancelledTitle: 'Your call is cancelled',
    cancelledIntro: 'This call is cancelled:',
    confirmationMail: 'You will receive a confirmation by email shortly.',
    ics: 'Add to your calendar (.ics)',
    manage: 'Move or cancel the call',
    callbackDoneTitle: 'We will call you back',
    callbackDone: 'Thank you! We will call you within the next working days.',
    manageTitle: 'Your call',
    manageIntro: 'Booked for:',
    cancel: 'Cancel the call',
    cancelTitle: 'Cancel',
    moveTitle: 'Move to another time',
    move: 'Move the call',
    bookAgain: 'Choose a new time',
    stale: 'The booking has changed in the meantime. Please check where it stands now.',
  },
} as const;

function safeUrl(url: string): string {
  if (!isSafePageUrl(url)) throw new Error('call pages: links must be http(s) URLs or paths');
  return escapeHtml(url);
}

/** "Dienstag, 9. Dezember 2026" from the long label: the day heading uses the pure core's names, not Intl's. */
function dayLabel(slot: string, locale: Locale, config: BookingConfig): string {
  return slotLabelLong(slot, locale, config.timeZone, config.slotMinutes).split(', ').slice(0, 2).join(', ');
}

/** "10:15" */
function timeLabel(slot: string, locale: Locale, config: BookingConfig): string {
  const long = slotLabelLong(slot, locale, config.timeZone, config.slotMinutes);
  return long.split(', ')[2]!.slice(0, 5);
}

/**
 * Per day a fieldset whose legend names the day, then its times as a compact grid of pills: each a real radio (hidden
 * from sight, not from keyboard or screen reader) with its label right after it, so the style can show the radio's
 * checked and focused state on the label (`input:checked+label`, see PAGE_STYLE's `.times`).
 */
function slotRadios(prefix: string, slots: readonly string[], locale: Locale, config: BookingConfig): string {
  const days = new Map<string, string[]>();
  for (const slot of slots) {
    const day = slotDay(slot, config.timeZone);
    days.set(day, [...(days.get(day) ?? []), slot]);
  }
  let index = 0;
  return [...days.values()]
    .map((daySlots) => {
      const radios = daySlots
        .map((slot) => {
          const id = `${prefix}-slot-${index++}`;
          // `required` on one radio of the group makes the whole group required in the browser.
          return `<input type="radio" id="${id}" name="slot" value="${escapeHtml(slot)}" required><label for="${id}">${escapeHtml(
            timeLabel(slot, locale, config),
          )}</label>`;
        })
        .join('\n');
      const legend = `<legend>${escapeHtml(dayLabel(daySlots[0]!, locale, config))}</legend>`;
      return `<fieldset class="day">\n${legend}\n<div class="times">\n${radios}\n</div>\n</fieldset>`;
    })
    .join('\n');
}

function textInput(
  prefix: string,
  name: string,
  locale: Locale,
  options: { type?: string; required: boolean; autocomplete: string; value?: string | undefined; invalid?: boolean },
): string {
  const texts = TEXTS[locale];
  const id = `${prefix}-${name}`;
  const label = `${texts.labels[name] ?? name}${options.required ? '' : ` ${texts.optional}`}`;
  const attributes = [
    `type="${options.type ?? 'text'}"`,
    `id="${id}"`,
    `name="${name}"`,
    `autocomplete="${options.autocomplete}"`,
    options.required ? 'required aria-required="true"' : '',
    options.invalid ? 'aria-invalid="true"' : '',
    options.value !== undefined ? `value="${escapeHtml(options.value)}"` : '',
  ].filter(Boolean);
  return `<label for="${id}">${escapeHtml(label)}</label>\n<p><input ${attributes.join(' ')}></p>`;
}

function identityInputs(prefix: string, locale: Locale, values: Record<string, string>, problems: Record<string, FieldProblem>): string {
  const field = (name: string, type: string, required: boolean, autocomplete: string) =>
    textInput(prefix, name, locale, { type, required, autocomplete, value: values[name], invalid: problems[name] !== undefined });
  return [
    field('email', 'email', true, 'email'),
    field('firstName', 'text', true, 'given-name'),
    field('lastName', 'text', true, 'family-name'),
    field('company', 'text', false, 'organization'),
  ].join('\n');
}

function problemList(locale: Locale, problems: Record<string, FieldProblem>): string {
  const entries = Object.entries(problems);
  if (entries.length === 0) return '';
  const texts = TEXTS[locale];
  const items = entries
    .map(
      ([field, problem]) => `<li><strong>${escapeHtml(texts.labels[field] ?? field)}</strong>: ${escapeHtml(texts.problems[problem])}</li>`,
    )
    .join('\n');
  return `<div role="alert">\n<p>${escapeHtml(texts.errorsIntro)}</p>\n<ul>\n${items}\n</ul>\n</div>`;
}

export interface SlotsPageInput {
  locale: Locale;
  config: BookingConfig;
  /** where both forms POST: /call, with the token when the lead came from a mail */
  actionUrl: string;
  slots: readonly string[];
  /** the lead from the token: no identity fields are asked */
  knownName?: string | undefined;
  taken?: boolean;
  problems?: Record<string, FieldProblem>;
  /** what was posted, to fill the form again after an error (never the slot: it is chosen again) */
  values?: Record<string, string>;
  status?: number;
}

export function renderSlotsPage(input: SlotsPageInput): string {
  const { locale, config } = input;
  const texts = TEXTS[locale];
  const problems = input.problems ?? {};
  const values = input.values ?? {};
  const action = safeUrl(input.actionUrl);
  const known = input.knownName !== undefined;
  const notices = [
    input.taken ? `<p role="alert"><strong>${escapeHtml(texts.taken)}</strong></p>` : '',
    problemList(locale, problems),
  ].join('\n');
  const identity = known ? '' : `${identityInputs('book', locale, values, problems)}\n<p>${escapeHtml(texts.contactNote)}</p>`;
  const booking =
    input.slots.length === 0
      ? `<p>${escapeHtml(texts.none)}</p>`
      : `<form method="post" action="${action}" aria-label="${escapeHtml(texts.book)}">
<input type="hidden" name="action" value="book">
<p>${escapeHtml(texts.zone(config.timeZone))}</p>
<div role="group" aria-label="${escapeHtml(texts.slotsLegend)}">
${slotRadios('book', input.slots, locale, config)}
</div>
${identity}
<p><button type="submit">${escapeHtml(texts.book)}</button></p>
</form>`;
  const callbackIdentity = known ? '' : `${identityInputs('callback', locale, values, problems)}\n<p>${escapeHtml(texts.contactNote)}</p>`;
  const phoneInput = textInput('callback', 'phone', locale, {
    type: 'tel',
    required: true,
    autocomplete: 'tel',
    value: values.phone,
    invalid: problems.phone !== undefined,
  });
  const callback = `<h2>${escapeHtml(texts.callbackTitle)}</h2>
<p>${escapeHtml(texts.callbackIntro)}</p>
<form method="post" action="${action}" aria-label="${escapeHtml(texts.callback)}">
<input type="hidden" name="action" value="callback">
${phoneInput}
${callbackIdentity}
<p><button type="submit">${escapeHtml(texts.callback)}</button></p>
</form>`;
  const intro = [`<p>${escapeHtml(texts.intro)}</p>`, known ? `<p>${escapeHtml(texts.known(input.knownName!))}</p>` : ''].join('\n');
  return renderCustomPage({
    locale,
    title: texts.title,
    bodyHtml: [notices, intro, booking, callback].filter(Boolean).join('\n'),
    status: input.status ?? 'info',
  });
}

export interface BookedPageInput {
  locale: Locale;
  config: BookingConfig;
  booking: Booking;
  manageUrl: string;
  icsUrl: string;
  /** the change just made; 'current' for the manage page's own view */
  status: 'booked' | 'moved' | 'cancelled';
}

/** What the lead sees right after booking, moving or cancelling. */
export function renderBookedPage(input: BookedPageInput): string {
  const texts = TEXTS[input.locale];
  const label = slotLabelLong(input.booking.slot!, input.locale, input.config.timeZone, input.config.slotMinutes);
  const title = input.status === 'booked' ? texts.bookedTitle : input.status === 'moved' ? texts.movedTitle : texts.cancelledTitle;
  const intro = input.status === 'cancelled' ? texts.cancelledIntro : texts.bookedIntro;
  const links =
    input.status === 'cancelled'
      ? `<p><a class="button" href="/call">${escapeHtml(texts.bookAgain)}</a></p>`
      : `<p><a class="button" href="${safeUrl(input.icsUrl)}">${escapeHtml(texts.ics)}</a></p>
<p><a href="${safeUrl(input.manageUrl)}">${escapeHtml(texts.manage)}</a></p>`;
  const body = `<p>${escapeHtml(intro)}</p>
<p><strong>${escapeHtml(label)}</strong></p>
<p>${escapeHtml(texts.confirmationMail)}</p>
${links}`;
  return renderCustomPage({ locale: input.locale, title, bodyHtml: body, status: input.status === 'cancelled' ? 'info' : 'success' });
}

export function renderCallbackPage(locale: Locale): string {
  const texts = TEXTS[locale];
  return renderCustomPage({
    locale,
    title: texts.callbackDoneTitle,
    bodyHtml: `<p>${escapeHtml(texts.callbackDone)}</p>`,
    status: 'success',
  });
}

export interface ManagePageInput {
  locale: Locale;
  config: BookingConfig;
  booking: Booking;
  /** the manage URL itself: both forms POST back to it */
  actionUrl: string;
  icsUrl: string;
  slots: readonly string[];
  notice?: 'taken' | 'stale';
  problems?: Record<string, FieldProblem>;
  status?: number;
}

/** The booking with "cancel" and "move to another time"; a cancelled booking only says so. */
export function renderManagePage(input: ManagePageInput): string {
  const { locale, config, booking } = input;
  const texts = TEXTS[locale];
  const label = slotLabelLong(booking.slot!, locale, config.timeZone, config.slotMinutes);
  if (booking.status === 'cancelled') {
    return renderCustomPage({
      locale,
      title: texts.cancelledTitle,
      bodyHtml: `<p>${escapeHtml(texts.cancelledIntro)}</p>\n<p><strong>${escapeHtml(label)}</strong></p>
<p><a class="button" href="/call">${escapeHtml(texts.bookAgain)}</a></p>`,
      status: input.status ?? 'info',
    });
  }
  const action = safeUrl(input.actionUrl);
  const notice =
    input.notice === 'taken'
      ? `<p role="alert"><strong>${escapeHtml(texts.taken)}</strong></p>`
      : input.notice === 'stale'
        ? `<p role="alert"><strong>${escapeHtml(texts.stale)}</strong></p>`
        : '';
  const move =
    input.slots.length === 0
      ? `<p>${escapeHtml(texts.none)}</p>`
      : `<form method="post" action="${action}" aria-label="${escapeHtml(texts.move)}">
<input type="hidden" name="action" value="move">
<p>${escapeHtml(texts.zone(config.timeZone))}</p>
${slotRadios('move', input.slots, locale, config)}
<p><button type="submit">${escapeHtml(texts.move)}</button></p>
</form>`;
  const body = `${notice}
${problemList(locale, input.problems ?? {})}
<p>${escapeHtml(texts.manageIntro)}</p>
<p><strong>${escapeHtml(label)}</strong></p>
<p><a href="${safeUrl(input.icsUrl)}">${escapeHtml(texts.ics)}</a></p>
<h2>${escapeHtml(texts.cancelTitle)}</h2>
<form method="post" action="${action}" aria-label="${escapeHtml(texts.cancel)}">
<input type="hidden" name="action" value="cancel">
<p><button type="submit">${escapeHtml(texts.cancel)}</button></p>
</form>
<h2>${escapeHtml(texts.moveTitle)}</h2>
${move}`;
  return renderCustomPage({ locale, title: texts.manageTitle, bodyHtml: body, status: input.status ?? 'info' });
}
