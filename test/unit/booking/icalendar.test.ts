import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildCallEvent, type CallEvent, escapeText, foldLine } from '../../../shared/domain/booking/icalendar';

const octets = (text: string) => Buffer.byteLength(text, 'utf8');
/** RFC 5545 3.1 unfolding: a CRLF followed by one space or tab is removed. */
const unfold = (text: string) => text.replace(/\r\n[ \t]/g, '');
/** The logical content lines of an iCalendar text. */
const contentLines = (ics: string) => unfold(ics).split('\r\n').slice(0, -1);
/** Inverse of TEXT escaping, written independently of the implementation. */
const unescapeText = (value: string) => value.replace(/\\([\\;,nN])/g, (_m, ch: string) => (ch === 'n' || ch === 'N' ? '\n' : ch));

/** What a value should read as after the round trip: line breaks as LF, other control characters but tab gone. */
const clean = (text: string) => text.replace(/\r\n|\r/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
/** RFC 6868 decoding of a parameter value. */
const decodeParam = (value: string) => value.replace(/\^(\^|n|')/g, (_m, ch: string) => (ch === 'n' ? '\n' : ch === "'" ? '"' : '^'));

const booking: CallEvent = {
  uid: 'booking-01JFXYZ@leadpipe',
  start: '2026-12-08T09:15:00.000Z',
  durationMinutes: 15,
  summary: '15 Minuten mit einem Experten',
  description: 'Wir rufen Sie an.',
  organizer: { name: 'Vertrieb', email: 'sales@example.com' },
  attendee: { name: 'Jane Doe', email: 'jane@acme.example' },
  sequence: 0,
  method: 'REQUEST',
  dtstamp: '2026-12-07T09:00:12.345Z',
};

describe('buildCallEvent', () => {
  it('builds the booked call as an RFC 5545 request', () => {
    // Act
    const ics = buildCallEvent(booking);

    // Assess
    expect(ics).toBe(
      [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'PRODID:-//leadpipe//expert-call//EN',
        'CALSCALE:GREGORIAN',
        'METHOD:REQUEST',
        'BEGIN:VEVENT',
        'UID:booking-01JFXYZ@leadpipe',
        'DTSTAMP:20261207T090012Z',
        'SEQUENCE:0',
        'DTSTART:20261208T091500Z',
        'DTEND:20261208T093000Z',
        'SUMMARY:15 Minuten mit einem Experten',
        'DESCRIPTION:Wir rufen Sie an.',
        'ORGANIZER;CN="Vertrieb":mailto:sales@example.com',
        // 75 octets, then the rest on a continuation line.
        'ATTENDEE;CN="Jane Doe";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE',
        ' :mailto:jane@acme.example',
        'STATUS:CONFIRMED',
        'TRANSP:OPAQUE',
        'END:VEVENT',
        'END:VCALENDAR',
        '',
      ].join('\r\n'),
    );
  });

  it('builds the cancellation with the same uid, a higher sequence and status CANCELLED', () => {
    // Act
    const ics = buildCallEvent({ ...booking, method: 'CANCEL', sequence: 1, dtstamp: '2026-12-07T15:00:00.000Z' });

    // Assess
    const lines = contentLines(ics);
    expect(lines).toContain('METHOD:CANCEL');
    expect(lines).toContain('UID:booking-01JFXYZ@leadpipe');
    expect(lines).toContain('SEQUENCE:1');
    expect(lines).toContain('STATUS:CANCELLED');
    expect(lines).toContain('DTSTAMP:20261207T150000Z');
    expect(lines).toContain('DTSTART:20261208T091500Z');
    expect(lines).not.toContain('STATUS:CONFIRMED');
    expect(lines.find((l) => l.startsWith('ATTENDEE'))).toContain(';RSVP=FALSE:');
  });

  it('ends every line, including the last, with CRLF and has no bare CR or LF', () => {
    // Act
    const ics = buildCallEvent({ ...booking, description: 'Zeile 1\nZeile 2\r\nZeile 3\rEnde', summary: 'x'.repeat(200) });

    // Assess
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('gives DTSTART and DTEND in UTC from start and duration, in whole seconds', () => {
    // Act
    const lines = contentLines(buildCallEvent({ ...booking, start: '2026-12-31T23:45:00.000Z', durationMinutes: 30 }));

    // Assess
    expect(lines).toContain('DTSTART:20261231T234500Z');
    expect(lines).toContain('DTEND:20270101T001500Z');
  });

  it('escapes backslash, semicolon, comma and line breaks in TEXT values', () => {
    // Act
    const lines = contentLines(
      buildCallEvent({ ...booking, summary: 'Rückruf; Jane, Acme \\ Co', description: 'Hallo,\nbis Di.\r\nGruß; Team', uid: 'a,b;c' }),
    );

    // Assess
    expect(lines).toContain('SUMMARY:Rückruf\\; Jane\\, Acme \\\\ Co');
    expect(lines).toContain('DESCRIPTION:Hallo\\,\\nbis Di.\\nGruß\\; Team');
    expect(lines).toContain('UID:a\\,b\\;c');
  });

  it('drops control characters, so a value cannot start a property of its own', () => {
    // Act
    const lines = contentLines(buildCallEvent({ ...booking, summary: 'Call\u0000\u0007\u001b now\u007f', description: 'a\tb' }));

    // Assess
    expect(lines).toContain('SUMMARY:Call now');
    expect(lines).toContain('DESCRIPTION:a\tb');
  });

  it('quotes names and encodes quotes and line breaks in them (RFC 6868)', () => {
    // Act
    const lines = contentLines(buildCallEvent({ ...booking, attendee: { name: 'Doe, Jane "JD"; ^x\n:y', email: 'jane@acme.example' } }));

    // Assess
    expect(lines.find((l) => l.startsWith('ATTENDEE'))).toBe(
      'ATTENDEE;CN="Doe, Jane ^\'JD^\'; ^^x^n:y";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:jane@acme.example',
    );
  });

  it('folds a long UTF-8 summary at 75 octets without splitting an umlaut', () => {
    // Prepare: "SUMMARY:" (8) + 66 × "a" = 74 octets; the next "ü" (2 octets) would make 76.
    const summary = `${'a'.repeat(66)}ü${'ö'.repeat(40)}Ende`;

    // Act
    const ics = buildCallEvent({ ...booking, summary });

    // Assess
    const physical = ics.split('\r\n');
    const first = physical.findIndex((l) => l.startsWith('SUMMARY:'));
    expect(physical[first]).toBe(`SUMMARY:${'a'.repeat(66)}`);
    expect(physical[first + 1]!.startsWith(' ü')).toBe(true);
    // " ü" (3) + 36 × "ö" (72) = 75 octets, then the rest.
    expect(physical[first + 1]).toBe(` ü${'ö'.repeat(36)}`);
    expect(physical[first + 2]).toBe(` ${'ö'.repeat(4)}Ende`);
    for (const line of physical) expect(octets(line)).toBeLessThanOrEqual(75);
    expect(contentLines(ics)).toContain(`SUMMARY:${summary}`);
  });

  it('keeps a four-octet character whole at the fold', () => {
    // Prepare: 8 + 65 = 73 octets; the emoji (4 octets) would make 77.
    const line = `SUMMARY:${'a'.repeat(65)}😀b`;

    // Act
    const folded = foldLine(line);

    // Assess
    expect(folded).toBe(`SUMMARY:${'a'.repeat(65)}\r\n 😀b`);
  });

  it('refuses a line with a line break in it', () => {
    expect(() => foldLine('SUMMARY:a\r\nATTENDEE:mailto:x@y')).toThrow(RangeError);
    expect(() => foldLine('SUMMARY:a\nb')).toThrow(RangeError);
  });

  it('leaves a line of exactly 75 octets alone and folds one of 76', () => {
    expect(foldLine('x'.repeat(75))).toBe('x'.repeat(75));
    expect(foldLine('x'.repeat(76))).toBe(`${'x'.repeat(75)}\r\n x`);
  });

  it.each([
    ['a zero duration', { durationMinutes: 0 }],
    ['a fractional duration', { durationMinutes: 7.5 }],
    ['a negative sequence', { sequence: -1 }],
    ['a start that is no instant', { start: 'Tuesday' }],
    ['a dtstamp that is no instant', { dtstamp: '' }],
    ['an email with a line break', { attendee: { name: 'Jane', email: 'jane@acme.example\r\nBCC:x@y' } }],
    ['an email with a space', { organizer: { name: 'Sales', email: 'sales @example.com' } }],
    ['no email at all', { attendee: { name: 'Jane', email: 'jane' } }],
  ])('refuses %s', (_what, change) => {
    expect(() => buildCallEvent({ ...booking, ...change } as CallEvent)).toThrow(RangeError);
  });
});

describe('foldLine and escapeText, for any text', () => {
  const anyText = fc.string({ unit: 'binary', maxLength: 300 });

  it('never yields a physical line over 75 octets, continues with a space, and unfolds to the original', () => {
    // A content line has no line breaks: values reach foldLine escaped.
    const anyLine = anyText.map((text) => text.replace(/[\r\n]/g, ''));
    fc.assert(
      fc.property(anyLine, (line) => {
        const folded = foldLine(line);
        const physical = folded.split('\r\n');
        for (const [i, part] of physical.entries()) {
          expect(octets(part)).toBeLessThanOrEqual(75);
          if (i > 0) expect(part.startsWith(' ')).toBe(true);
          // The fold is at a character boundary: each physical line is valid UTF-8 on its own.
          expect(new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(part, 'utf8'))).toBe(part);
        }
        expect(unfold(folded)).toBe(line);
      }),
      { numRuns: 500 },
    );
  });

  it('escapes so that the value has no raw delimiter and unescapes to the text with normalised line breaks', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const escaped = escapeText(text);
        expect(escaped).not.toMatch(/[\r\n]|(^|[^\\])(\\\\)*[;,]/);
        expect(unescapeText(escaped)).toBe(clean(text));
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips any summary, description and name through a whole event', () => {
    fc.assert(
      fc.property(anyText, anyText, fc.string({ unit: 'binary', maxLength: 60 }), (summary, description, name) => {
        const ics = buildCallEvent({ ...booking, summary, description, attendee: { name, email: 'jane@acme.example' } });
        for (const line of ics.split('\r\n')) expect(octets(line)).toBeLessThanOrEqual(75);
        expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
        const lines = contentLines(ics);
        // Exactly the fixed set of properties: nothing in the values started a line of its own.
        expect(lines.map((l) => l.split(/[:;]/)[0])).toEqual([
          'BEGIN',
          'VERSION',
          'PRODID',
          'CALSCALE',
          'METHOD',
          'BEGIN',
          'UID',
          'DTSTAMP',
          'SEQUENCE',
          'DTSTART',
          'DTEND',
          'SUMMARY',
          'DESCRIPTION',
          'ORGANIZER',
          'ATTENDEE',
          'STATUS',
          'TRANSP',
          'END',
          'END',
        ]);
        expect(unescapeText(lines.find((l) => l.startsWith('SUMMARY:'))!.slice('SUMMARY:'.length))).toBe(clean(summary));
        expect(unescapeText(lines.find((l) => l.startsWith('DESCRIPTION:'))!.slice('DESCRIPTION:'.length))).toBe(clean(description));
        const attendee = lines.find((l) => l.startsWith('ATTENDEE;CN="'))!;
        const cn = attendee.slice('ATTENDEE;CN="'.length, attendee.indexOf('"', 'ATTENDEE;CN="'.length));
        expect(decodeParam(cn)).toBe(clean(name));
        expect(attendee.endsWith('";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:jane@acme.example')).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
