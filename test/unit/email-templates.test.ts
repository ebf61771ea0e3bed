import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LOCALES, type Locale } from '../../shared/domain/lead';
import {
  MARKETING_TEMPLATE_IDS,
  TEMPLATE_IDS,
  fileTemplateSource,
  isMarketingTemplate,
  sanitizeHeaderValue,
  type CommonVariables,
  type SalesNotificationVariables,
  type TemplateId,
  type TemplateSource,
  type TemplateVariables,
} from '../../shared/email/email-templates';
import { renderEmail } from '../../shared/email/render-email';
import { escapeHtml } from '../../shared/email/escape-html';
import { renderActionPage, renderFieldErrorsPage, renderMessagePage } from '../../shared/http/html-pages';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const source = fileTemplateSource(repoRoot);

const SCRIPT = '<script>alert(1)</script>';
const ATTR_BREAKOUT = '"><img src=x onerror=alert(1)>';
const HEADER_INJECTION = '\r\nBcc: x@y';
const IMPRINT = 'Beispiel GmbH\nMusterstraße 1, 10115 Berlin\nGeschäftsführer: Max Muster & Erika Muster';
/** IMPRINT as the HTML footer shows it: escaped, line breaks as <br>. */
const IMPRINT_HTML = 'Beispiel GmbH<br>\nMusterstraße 1, 10115 Berlin<br>\nGeschäftsführer: Max Muster &amp; Erika Muster';
const UNSUBSCRIBE_URL = 'https://leads.example.com/unsubscribe?token=abc123&l=de';

type Vars<T extends TemplateId> = TemplateVariables[T] & CommonVariables;

function salesVars(overrides: Partial<SalesNotificationVariables> = {}): Vars<'sales-notification'> {
  return {
    firstName: 'Sam',
    qualificationKind: 'MQL',
    lead: {
      fullName: 'Jane Doe',
      firstName: 'Jane',
      lastName: 'Doe',
      company: 'Acme GmbH',
      jobTitle: 'Head of Marketing',
      email: 'jane@acme.example',
      phone: '+49 30 1234567',
      locale: 'de',
      language: 'Deutsch',
    },
    score: 72,
    fitScore: 30,
    engagementScore: 42,
    qualification: 'Qualifiziert',
    funnelStage: 'BoFu',
    scoreExplanation: [
      { reason: 'Job title matches target role', points: 15, at: '2025-01-02T10:00:00.000Z' },
      { reason: 'Contact request', points: 30, at: '2025-01-03T09:00:00.000Z' },
    ],
    timeline: [
      {
        at: '2025-01-02T10:00:00.000Z',
        type: 'download',
        detail: 'E-Book Lead-Typen',
        attribution: 'utm_source=linkedin, page=/ebook',
      },
      { at: '2025-01-03T09:00:00.000Z', type: 'contact', detail: '', attribution: '' },
    ],
    contactMessage: 'Bitte rufen Sie mich an.\nAm liebsten vormittags.',
    acceptUrl: 'https://leads.example.com/sales/accept?token=t1',
    recycleUrl: 'https://leads.example.com/sales/recycle?token=t2',
    leadUrl: '',
    leadViewCommand: 'npx leadpipe lead show jane@acme.example',
    callSlot: '',
    callIcsUrl: '',
    ...overrides,
  };
}

const SENDER = { companyName: 'Beispiel GmbH', senderName: 'Anna Berger, Beispiel GmbH', imprint: IMPRINT };

function marketing() {
  return { firstName: 'Jane', unsubscribeUrl: UNSUBSCRIBE_URL, imprint: IMPRINT, senderName: 'Anna Berger, Beispiel GmbH' };
}

const SAMPLES: { [K in TemplateId]: Vars<K> } = {
  'opt-in': { firstName: 'Jane', confirmUrl: 'https://leads.example.com/confirm?token=abc&x=1', ...SENDER },
  'download-link': {
    firstName: 'Jane',
    assetTitle: 'Lead-Typen kompakt',
    downloadUrl: 'https://downloads.example.com/ebook.pdf?X-Amz-Signature=abc',
    ...SENDER,
  },
  'sales-notification': salesVars(),
  'call-confirmation': {
    firstName: 'Jane',
    status: 'booked',
    slotLabel: 'Dienstag, 8. Dezember 2026, 10:15–10:30 Uhr (Europe/Berlin)',
    manageUrl: 'https://leads.example.com/call/manage?token=m1',
    icsUrl: 'https://leads.example.com/call/event.ics?token=m1',
    ...SENDER,
  },
  'contact-acknowledgement': { firstName: 'Jane', ...SENDER, replyBy: 'Mittwoch, 3. Dezember 2026' },
  'tofu-1': { ...marketing(), offerUrl: 'https://leads.example.com/offers?token=o1', offerTitle: 'E-Book: Lead-Typen' },
  'tofu-2': { ...marketing(), offerUrl: 'https://leads.example.com/offers?token=o2', offerTitle: 'Fallstudie' },
  'mofu-1': { ...marketing(), offerUrl: 'https://leads.example.com/offers?token=o3', offerTitle: 'Webinar' },
  'mofu-2': { ...marketing(), offerUrl: 'https://leads.example.com/offers?token=o4', offerTitle: 'Preisleitfaden' },
  'bofu-1': { ...marketing(), offerUrl: 'https://leads.example.com/call?token=o5', offerTitle: '15 Minuten mit einem Experten' },
};

const ALL = TEMPLATE_IDS.flatMap((id) => LOCALES.map((locale) => [id, locale] as [TemplateId, Locale]));

describe('email templates', () => {
  it.each(ALL)('renders %s in %s with a complete variable set', (templateId, locale) => {
    // Prepare
    const vars = SAMPLES[templateId];

    // Act
    const email = renderEmail(templateId, locale, vars, source);

    // Assess
    expect(email.subject.length).toBeGreaterThan(0);
    expect(email.preheader.length).toBeGreaterThan(0);
    expect(email.html).toContain(`<html lang="${locale}">`);
    expect(email.html).toContain(escapeHtml(email.preheader));
    const greeting = `${locale === 'de' ? 'Hallo' : 'Hello'} ${vars.firstName},`;
    expect(email.html).toContain(greeting);
    expect(email.text.startsWith(greeting)).toBe(true);
    expect(email.html).not.toMatch(/\{\{|\}\}/);
    expect(email.text).not.toMatch(/\{\{|\}\}/);
  });

  it.each(ALL)('renders %s in %s with a neutral greeting when firstName is empty', (templateId, locale) => {
    // Prepare
    const vars = { ...SAMPLES[templateId], firstName: '' };

    // Act
    const email = renderEmail(templateId, locale, vars, source);

    // Assess
    const greeting = locale === 'de' ? 'Hallo,' : 'Hello,';
    expect(email.text.startsWith(greeting)).toBe(true);
    expect(email.html).toContain(`>${greeting}</p>`);
  });

  it('renders through the default source (cwd is the repo root)', () => {
    // Prepare
    const vars = SAMPLES['opt-in'];

    // Act
    const email = renderEmail('opt-in', 'de', vars);

    // Assess
    expect(email.subject).toBe('Bitte bestätigen Sie Ihre Anmeldung');
    expect(email.text).toContain('7 Tage');
  });

  it.each(LOCALES)('states validity and the harmlessness of ignoring the opt-in mail (%s)', (locale) => {
    // Prepare
    const vars = SAMPLES['opt-in'];

    // Act
    const email = renderEmail('opt-in', locale, vars, source);

    // Assess
    expect(email.text).toContain(locale === 'de' ? '7 Tage' : '7 days');
    expect(email.text).toContain(locale === 'de' ? 'ignorieren' : 'ignore');
    expect(email.text).toContain(vars.confirmUrl);
    expect(email.html).toContain(`href="${escapeHtml(vars.confirmUrl)}"`);
  });

  it.each(LOCALES)('the opt-in mail names the company and what the reader signs up for, with imprint and a signature (%s)', (locale) => {
    // Act
    const email = renderEmail('opt-in', locale, SAMPLES['opt-in'], source);

    // Assess
    for (const part of [email.text, email.html]) {
      expect(part).toContain(locale === 'de' ? 'Interesse an Beispiel GmbH' : 'interest in Beispiel GmbH');
      expect(part).toContain(
        locale === 'de'
          ? 'Tipps und Inhalte zu B2B-Lead-Management, etwa alle ein bis zwei Wochen'
          : 'tips and content on B2B lead management, about every one to two weeks',
      );
      expect(part).toContain('Anna Berger, Beispiel GmbH');
      expect(part).not.toMatch(/Ihr Team|Your team/);
    }
    expect(email.text).toContain(IMPRINT);
    expect(email.html).toContain(IMPRINT_HTML);
  });

  it.each(LOCALES)(
    'the contact acknowledgement says what happens next and by when, signed, with imprint, no unsubscribe (%s)',
    (locale) => {
      // Prepare
      const replyBy = locale === 'de' ? 'Mittwoch, 3. Dezember 2026' : 'Wednesday, 3 December 2026';

      // Act
      const email = renderEmail('contact-acknowledgement', locale, { ...SAMPLES['contact-acknowledgement'], replyBy }, source);

      // Assess
      expect(email.subject).toBe(
        locale === 'de' ? 'Ihre Anfrage bei Beispiel GmbH ist angekommen' : 'We have received your request to Beispiel GmbH',
      );
      expect(email.preheader).toContain(replyBy);
      expect(email.text).toContain(locale === 'de' ? 'innerhalb eines Werktags' : 'within one working day');
      expect(email.text).toContain(replyBy);
      expect(email.html).toContain(`<strong>${replyBy}</strong>`);
      expect(email.text).toContain('Anna Berger, Beispiel GmbH');
      expect(email.text).toContain(IMPRINT);
      expect(email.text).not.toMatch(/unsubscribe|abmelden/i);
    },
  );

  it.each(LOCALES.flatMap((locale) => (['download-link', 'call-confirmation'] as const).map((id) => [id, locale] as const)))(
    '%s (%s) is signed by the configured sender and carries the imprint, not "Ihr Team"',
    (templateId, locale) => {
      // Act
      const email = renderEmail(templateId, locale, SAMPLES[templateId], source);

      // Assess
      for (const part of [email.text, email.html]) {
        expect(part).toContain('Anna Berger, Beispiel GmbH');
        expect(part).not.toMatch(/Ihr Team|Your team/);
      }
      expect(email.text).toContain(IMPRINT);
      expect(email.html).toContain(IMPRINT_HTML);
      expect(email.text).not.toMatch(/unsubscribe|abmelden/i);
    },
  );

  it.each(LOCALES)('mentions the 24-hour expiry of the download link (%s)', (locale) => {
    // Act
    const email = renderEmail('download-link', locale, SAMPLES['download-link'], source);

    // Assess
    expect(email.text).toContain(locale === 'de' ? '24 Stunden' : '24 hours');
    expect(email.subject).toContain('Lead-Typen kompakt');
  });

  it.each([
    ['opt-in', 'confirmUrl'],
    ['opt-in', 'senderName'],
    ['download-link', 'senderName'],
    ['call-confirmation', 'imprint'],
    ['contact-acknowledgement', 'replyBy'],
    ['contact-acknowledgement', 'senderName'],
    ['download-link', 'downloadUrl'],
    ['sales-notification', 'contactMessage'],
    ['sales-notification', 'funnelStage'],
    ['tofu-1', 'imprint'],
    ['bofu-1', 'offerUrl'],
    ['mofu-2', 'firstName'],
  ] as const)('throws naming the template, locale and missing variable (%s without %s)', (templateId, name) => {
    // Prepare
    const vars: Record<string, unknown> = { ...SAMPLES[templateId] };
    delete vars[name];

    // Act
    const act = () => renderEmail(templateId, 'en', vars as never, source);

    // Assess
    expect(act).toThrow(new RegExp(`"${templateId}".*"en".*missing variable "${name}"`));
  });

  it('throws naming a missing nested variable (strict mode)', () => {
    // Prepare
    const vars = salesVars();
    const { fullName: _omitted, ...lead } = vars.lead;

    // Act
    const act = () => renderEmail('sales-notification', 'de', { ...vars, lead: lead as never }, source);

    // Assess
    expect(act).toThrow(/"sales-notification".*"de".*missing variable "fullName"/);
  });

  it('throws naming the variable when a custom template references an unknown one', () => {
    // Prepare
    const files: Record<string, string> = {
      'opt-in/de/subject.txt': 'Hallo {{nickname}}',
      'opt-in/de/preheader.txt': 'x',
      'opt-in/de/body.html': '<p>{{confirmUrl}}</p>',
      'opt-in/de/body.txt': '{{confirmUrl}}',
      '_layout/body.html': '{{{content}}}',
      '_layout/body.txt': '{{{content}}}',
    };
    const memory: TemplateSource = {
      id: 'memory:unknown-variable',
      read: (p) => {
        const content = files[p];
        if (content === undefined) throw new Error(`no such file ${p}`);
        return content;
      },
    };

    // Act
    const act = () => renderEmail('opt-in', 'de', SAMPLES['opt-in'], memory);

    // Assess
    expect(act).toThrow(/"opt-in".*"de".*subject\.txt.*missing variable "nickname"/);
  });

  it.each(MARKETING_TEMPLATE_IDS.flatMap((id) => LOCALES.map((locale) => [id, locale] as [TemplateId, Locale])))(
    '%s (%s) carries the imprint and the unsubscribe link in html and text',
    (templateId, locale) => {
      // Prepare
      const vars = SAMPLES[templateId];

      // Act
      const email = renderEmail(templateId, locale, vars, source);

      // Assess
      expect(isMarketingTemplate(templateId)).toBe(true);
      expect(email.text).toContain(IMPRINT);
      expect(email.text).toContain(UNSUBSCRIBE_URL);
      expect(email.html).toContain(IMPRINT_HTML);
      expect(email.html).toContain(`href="${escapeHtml(UNSUBSCRIBE_URL)}"`);
      expect(email.html).toContain(locale === 'de' ? '>Abmelden</a>' : '>Unsubscribe</a>');
    },
  );

  it.each(MARKETING_TEMPLATE_IDS.flatMap((id) => LOCALES.map((locale) => [id, locale] as [TemplateId, Locale])))(
    '%s (%s) is signed by the configured sender name, not "Ihr Team"',
    (templateId, locale) => {
      // Act
      const email = renderEmail(templateId, locale, { ...SAMPLES[templateId], senderName: 'Anna Berger, Beispiel GmbH' } as never, source);

      // Assess
      for (const part of [email.text, email.html]) {
        expect(part).toContain('Anna Berger, Beispiel GmbH');
        expect(part).not.toMatch(/Ihr Team|Your team/);
      }
    },
  );

  it('refuses to render a marketing mail with an empty unsubscribe URL', () => {
    // Prepare
    const vars = { ...SAMPLES['tofu-1'], unsubscribeUrl: ' ' };

    // Act
    const act = () => renderEmail('tofu-1', 'de', vars, source);

    // Assess
    expect(act).toThrow(/"tofu-1".*"unsubscribeUrl"/);
  });

  it('system templates carry no unsubscribe link', () => {
    // Act
    const email = renderEmail('opt-in', 'en', SAMPLES['opt-in'], source);

    // Assess
    expect(isMarketingTemplate('opt-in')).toBe(false);
    expect(email.html).not.toContain('Unsubscribe');
    expect(email.text).toContain('This email was sent automatically.');
  });

  it.each(ALL)('%s (%s) escapes lead-provided values in HTML', (templateId, locale) => {
    // Prepare
    const vars = { ...SAMPLES[templateId], firstName: `${SCRIPT}${ATTR_BREAKOUT}` };

    // Act
    const email = renderEmail(templateId, locale, vars, source);

    // Assess
    expect(email.html).not.toContain(SCRIPT);
    expect(email.html).not.toContain(ATTR_BREAKOUT);
    expect(email.html).not.toContain('<img');
    expect(email.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(email.html).toContain(escapeHtml(ATTR_BREAKOUT));
  });

  it.each(LOCALES)('escapes hostile lead values in the sales notification (%s)', (locale) => {
    // Prepare
    const base = salesVars();
    const vars = salesVars({
      lead: {
        ...base.lead,
        fullName: `Jane ${SCRIPT}`,
        firstName: SCRIPT,
        lastName: ATTR_BREAKOUT,
        company: `Acme ${ATTR_BREAKOUT}`,
        jobTitle: SCRIPT,
        email: `x${ATTR_BREAKOUT}@acme.example`,
        phone: SCRIPT,
      },
      contactMessage: `Hi\n${SCRIPT}\n${ATTR_BREAKOUT}`,
      timeline: [{ at: '2025-01-02T10:00:00.000Z', type: 'download', detail: SCRIPT, attribution: `page=${ATTR_BREAKOUT}` }],
      scoreExplanation: [{ reason: SCRIPT, points: 5, at: '2025-01-02T10:00:00.000Z' }],
    });

    // Act
    const email = renderEmail('sales-notification', locale, vars, source);

    // Assess
    expect(email.html).not.toContain(SCRIPT);
    expect(email.html).not.toContain(ATTR_BREAKOUT);
    expect(email.html).not.toContain('<img');
    expect(email.html).not.toContain('<script');
    expect(email.html).toContain(`Jane &lt;script&gt;alert(1)&lt;/script&gt;`);
    expect(email.html).toContain(`Acme ${escapeHtml(ATTR_BREAKOUT)}`);
    expect(email.html).toContain(`Hi<br>\n&lt;script&gt;alert(1)&lt;/script&gt;<br>\n${escapeHtml(ATTR_BREAKOUT)}`);
    expect(email.html).toContain(`page&#x3D;${escapeHtml(ATTR_BREAKOUT)}`);
    expect(email.subject).toBe(`MQL: Jane ${SCRIPT} (Acme ${ATTR_BREAKOUT})`);
  });

  it.each(LOCALES)('builds the sales subject from qualification kind, name and company (%s)', (locale) => {
    // Act
    const withCompany = renderEmail('sales-notification', locale, salesVars({ qualificationKind: 'PQL' }), source);
    const withoutCompany = renderEmail('sales-notification', locale, salesVars({ lead: { ...salesVars().lead, company: '' } }), source);

    // Assess
    expect(withCompany.subject).toBe('PQL: Jane Doe (Acme GmbH)');
    expect(withoutCompany.subject).toBe('MQL: Jane Doe');
    expect(withCompany.text).toContain('npx leadpipe lead show jane@acme.example');
    expect(withCompany.text).toContain('utm_source=linkedin, page=/ebook');
    expect(withCompany.html).toContain(escapeHtml('https://leads.example.com/sales/accept?token=t1'));
    expect(withCompany.html).toContain(escapeHtml('https://leads.example.com/sales/recycle?token=t2'));
  });

  it.each(ALL)('%s (%s) never puts CR/LF into the subject', (templateId, locale) => {
    // Prepare
    const vars: Record<string, unknown> = { ...SAMPLES[templateId], firstName: `Jane${HEADER_INJECTION}` };
    if (templateId === 'download-link') vars.assetTitle = `E-Book${HEADER_INJECTION}`;
    if (templateId === 'sales-notification') {
      vars.lead = { ...salesVars().lead, fullName: `Jane${HEADER_INJECTION}`, company: `Acme\r\n\tX-Evil: 1` };
    }

    // Act
    const email = renderEmail(templateId, locale, vars as never, source);

    // Assess
    expect(email.subject).not.toMatch(/[\r\n]/);
    expect(email.preheader).not.toMatch(/[\r\n]/);
    // eslint-disable-next-line no-control-regex
    expect(email.subject).not.toMatch(/[\u0000-\u001f\u007f]/);
  });

  it('puts a personalised subject on one line', () => {
    // Act
    const email = renderEmail('bofu-1', 'en', { ...SAMPLES['bofu-1'], firstName: `Jane${HEADER_INJECTION}` }, source);

    // Assess
    expect(email.subject).toBe('Jane Bcc: x@y, do you have 15 minutes?');
  });

  it('sanitizeHeaderValue strips CR, LF and other control characters', () => {
    // Act
    const cleaned = sanitizeHeaderValue('  Acme\r\nBcc: x@y\u0000\u0007\u007f\u0085\u2028Sales\t Team ');

    // Assess
    expect(cleaned).toBe('Acme Bcc: x@y Sales Team');
  });
});

describe('html pages', () => {
  it('renders an action page whose button POSTs and escapes every input', () => {
    // Prepare
    const input = {
      locale: 'de' as const,
      title: SCRIPT,
      message: `Bitte bestätigen.\n${ATTR_BREAKOUT}`,
      actionUrl: 'https://leads.example.com/confirm?token=a"b&c=1',
      buttonLabel: SCRIPT,
      extraFields: [
        {
          name: 'reason"x',
          label: SCRIPT,
          options: [{ value: ATTR_BREAKOUT, label: SCRIPT }],
        },
      ],
    };

    // Act
    const html = renderActionPage(input);

    // Assess
    expect(html).toContain('<html lang="de">');
    expect(html).toContain(`<form method="post" action="${escapeHtml(input.actionUrl)}">`);
    expect(html).toContain('<button type="submit">&lt;script&gt;alert(1)&lt;/script&gt;</button>');
    expect(html).toContain(`<option value="${escapeHtml(ATTR_BREAKOUT)}">`);
    expect(html).toContain('name="reason&quot;x"');
    expect(html).not.toContain(SCRIPT);
    expect(html).not.toContain(ATTR_BREAKOUT);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script');
  });

  it('refuses a javascript: action URL', () => {
    // Act
    const act = () => renderActionPage({ locale: 'en', title: 't', message: 'm', actionUrl: 'javascript:alert(1)', buttonLabel: 'b' });

    // Assess
    expect(act).toThrow(/actionUrl/);
  });

  it('renders a message page and escapes its inputs', () => {
    // Act
    const html = renderMessagePage({ locale: 'en', title: ATTR_BREAKOUT, message: SCRIPT, status: 'error' });

    // Assess
    expect(html).toContain('<html lang="en">');
    expect(html).toContain(`<h1>${escapeHtml(ATTR_BREAKOUT)}</h1>`);
    expect(html).toContain('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
    expect(html).not.toContain(SCRIPT);
    expect(html).not.toContain(ATTR_BREAKOUT);
    expect(html).not.toContain('<form');
    expect(html).toContain('<main class="error">');
  });

  it('accepts an HTTP status code as page status', () => {
    // Act
    const html = renderMessagePage({ locale: 'de', title: 'Fehler', message: 'Link abgelaufen', status: 410 });

    // Assess
    expect(html).toContain('<main class="error">');
    expect(html).toContain('<p>Link abgelaufen</p>');
  });

  it.each(LOCALES)("lists field errors in %s in the visitor's words, never echoing a raw message or field name", (locale) => {
    // Act
    const html = renderFieldErrorsPage({
      locale,
      fields: { email: SCRIPT, [ATTR_BREAKOUT]: 'invalid' },
      backUrl: 'javascript:alert(1)',
    });

    // Assess
    expect(html).toContain(locale === 'de' ? 'Bitte prüfen Sie Ihre Eingaben' : 'Please check your input');
    const check = locale === 'de' ? 'Bitte prüfen Sie diese Angabe.' : 'Please check this entry.';
    expect(html).toContain(`<li><strong>${locale === 'de' ? 'E-Mail' : 'Email'}</strong>: ${check}</li>`);
    // an unknown field is named generically: its name is whatever was posted
    expect(html).toContain(`<li><strong>${locale === 'de' ? 'Angabe' : 'Entry'}</strong>: ${check}</li>`);
    expect(html).not.toContain('alert(1)');
    expect(html).not.toContain(SCRIPT);
    expect(html).not.toContain(ATTR_BREAKOUT);
    expect(html).not.toContain('javascript:');
  });

  it('links back to the form when a safe back URL is given', () => {
    // Act
    const html = renderFieldErrorsPage({ locale: 'en', fields: { email: 'Invalid' }, backUrl: '/contact?x=1' });

    // Assess
    expect(html).toContain(`href="${escapeHtml('/contact?x=1')}"`);
    expect(html).toContain('Back to the form');
  });
});
