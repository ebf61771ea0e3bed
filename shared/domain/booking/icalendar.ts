/**
 * The expert call as an iCalendar object (RFC 5545) with an iTIP method (RFC 5546), for the confirmation mail
 * to the lead and the same event to sales. REQUEST books or moves the call (raise `sequence` on every change of
 * the same `uid`), CANCEL withdraws it. Pure: `dtstamp` comes from the event that caused the mail.
 */

export interface CalendarParty {
  name: string;
  email: string;
}

export interface CallEvent {
  /** Stable per booking: a move or a cancel must reuse it, or calendars show a second event. */
  uid: string;
  /** ISO instant. */
  start: string;
  durationMinutes: number;
  summary: string;
  description: string;
  organizer: CalendarParty;
  attendee: CalendarParty;
  /** 0 for the first REQUEST; every later REQUEST or CANCEL of the same uid must carry a higher number. */
  sequence: number;
  method: 'REQUEST' | 'CANCEL';
  /** ISO instant at which this version was created. */
  dtstamp: string;
}

const CRLF = '\r\n';
const MAX_LINE_OCTETS = 75;
const PRODID = '-//leadpipe//expert-call//EN';

/**
 * TEXT escaping (RFC 5545 3.3.11): backslash, semicolon and comma are escaped, any line break becomes "\n".
 * Other control characters are not allowed in TEXT and would let a value end the line, so they are dropped.
 */
export function escapeText(value: string): string {
  return value
    .replace(/\r\n|\r|\n/g, '\n')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
    .replace(/[\\;,\n]/g, (ch) => (ch === '\n' ? '\\n' : `\\${ch}`));
}

/**
 * A parameter value, always quoted. RFC 5545 has no escape inside a quoted value, so quotes and line breaks use
 * RFC 6868's caret encoding (^' ^n ^^) and other control characters are dropped.
 */
function paramValue(value: string): string {
  const encoded = value
    .replace(/\r\n|\r|\n/g, '\n')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
    .replace(/[\^\n"]/g, (ch) => (ch === '^' ? '^^' : ch === '\n' ? '^n' : "^'"));
  return `"${encoded}"`;
}

/** A mailto URI; an address that could break out of the line or the URI is a caller bug, not something to repair. */
function calAddress(email: string): string {
  if (!/^[^\s@"<>\\]+@[^\s@"<>\\]+$/.test(email) || /[\u0000-\u001f\u007f]/.test(email)) {
    throw new RangeError(`not a plain email address: ${JSON.stringify(email)}`);
  }
  return `mailto:${email}`;
}

/** UTC DATE-TIME in the "Z" form, e.g. 20261209T091500Z (whole seconds: iCalendar has no fractions). */
function utcDateTime(iso: string, what: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`${what} is not an ISO instant: ${iso}`);
  return new Date(Math.floor(ms / 1000) * 1000)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

/** UTF-8 length of one code point (a lone surrogate is sent as U+FFFD: 3 octets). */
function utf8Length(char: string): number {
  const cp = char.codePointAt(0)!;
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/**
 * Folds one content line (RFC 5545 3.1): no physical line longer than 75 octets, continuation lines start with
 * a space, and the split never falls inside a UTF-8 sequence (iteration is by code point, so a surrogate pair
 * stays whole too). Returns the physical lines joined with CRLF, without a trailing CRLF. A line break inside the
 * line would end it early and let the rest read as a property of its own, so it is refused (values go through escapeText).
 */
export function foldLine(line: string): string {
  if (/[\r\n]/.test(line)) throw new RangeError('a content line cannot contain a line break; escape the value first');
  const physical: string[] = [];
  let current = '';
  let currentOctets = 0;
  for (const char of line) {
    const octets = utf8Length(char);
    if (currentOctets + octets > MAX_LINE_OCTETS) {
      physical.push(current);
      // The leading space counts toward the 75 octets of the continuation line.
      current = ' ';
      currentOctets = 1;
    }
    current += char;
    currentOctets += octets;
  }
  physical.push(current);
  return physical.join(CRLF);
}

/** The VCALENDAR text: CRLF after every line, including the last. */
export function buildCallEvent(event: CallEvent): string {
  if (!Number.isInteger(event.durationMinutes) || event.durationMinutes <= 0) {
    throw new RangeError(`durationMinutes must be a positive whole number, got ${event.durationMinutes}`);
  }
  if (!Number.isInteger(event.sequence) || event.sequence < 0) {
    throw new RangeError(`sequence must be a non-negative whole number, got ${event.sequence}`);
  }
  const startMs = Date.parse(event.start);
  if (Number.isNaN(startMs)) throw new RangeError(`start is not an ISO instant: ${event.start}`);
  const end = new Date(startMs + event.durationMinutes * 60_000).toISOString();
  const cancelled = event.method === 'CANCEL';
  // On a cancel the attendee needs no answer; on a request the calendar offers accept/decline.
  const rsvp = cancelled ? 'FALSE' : 'TRUE';
  const attendee = calAddress(event.attendee.email);

  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${PRODID}`,
    'CALSCALE:GREGORIAN',
    `METHOD:${event.method}`,
    'BEGIN:VEVENT',
    `UID:${escapeText(event.uid)}`,
    `DTSTAMP:${utcDateTime(event.dtstamp, 'dtstamp')}`,
    `SEQUENCE:${event.sequence}`,
    `DTSTART:${utcDateTime(event.start, 'start')}`,
    `DTEND:${utcDateTime(end, 'end')}`,
    `SUMMARY:${escapeText(event.summary)}`,
    `DESCRIPTION:${escapeText(event.description)}`,
    `ORGANIZER;CN=${paramValue(event.organizer.name)}:${calAddress(event.organizer.email)}`,
    `ATTENDEE;CN=${paramValue(event.attendee.name)};ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=${rsvp}:${attendee}`,
    `STATUS:${cancelled ? 'CANCELLED' : 'CONFIRMED'}`,
    'TRANSP:OPAQUE',
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map((line) => foldLine(line) + CRLF).join('');
}
