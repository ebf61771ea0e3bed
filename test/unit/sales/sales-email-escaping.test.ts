import { describe, expect, it } from 'vitest';
import type { Interaction, Locale } from '../../../shared/domain/lead';
import { renderEmail } from '../../../shared/email/render-email';
import { salesNotificationContent } from '../../../shared/sales/sales-notification-content';
import type { LeadItem } from '../../../shared/storage/lead-item';

const SCRIPT = '<script>alert(1)</script>';
const IMG = '"><img src=x onerror=alert(1)>';
const ESCAPED_SCRIPT = '&lt;script&gt;alert(1)&lt;/script&gt;';
const ESCAPED_IMG = '&quot;&gt;&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;';
const VIEW = { locale: 'de', timeZone: 'Europe/Berlin' } as const;
const LINKS = {
  acceptUrl: 'https://leadpipe.example/sales/accept?token=a.b',
  recycleUrl: 'https://leadpipe.example/sales/recycle?token=c.d',
  leadUrl: 'https://console.leadpipe.example/#/leads/lead%40acme.example',
};

/** A value carrying both payloads, tagged so each field can be found on its own. */
function hostile(field: string): string {
  return `${field} ${SCRIPT} ${IMG} end`;
}

function escaped(field: string): string {
  return `${field} ${ESCAPED_SCRIPT} ${ESCAPED_IMG} end`;
}

function lead(overrides: Partial<LeadItem> = {}): LeadItem {
  return {
    pk: 'LEAD#L1',
    sk: 'PROFILE',
    leadId: 'L1',
    email: 'hanna@acme-gmbh.example',
    firstName: hostile('first'),
    lastName: hostile('last'),
    company: hostile('company'),
    jobTitle: hostile('job'),
    phone: '+49 30 1234567',
    locale: 'en',
    createdAt: '2026-11-01T09:00:00.000Z',
    updatedAt: '2026-11-02T09:00:00.000Z',
    version: 3,
    lifecycle: 'mql',
    qualification: 'qualified',
    funnelStage: 'bofu',
    pql: false,
    score: 45,
    fitScore: 15,
    engagementScore: 30,
    scoreExplanation: [
      { reason: 'business email domain', points: 10, at: '2026-11-01T09:00:00.000Z' },
      { reason: 'company given', points: 5, at: '2026-11-01T09:00:00.000Z' },
      { reason: `webinar attended: ${hostile('webinar')}`, points: 30, at: '2026-11-01T10:00:00.000Z' },
    ],
    ...overrides,
  };
}

const interactions: Interaction[] = [
  {
    id: 'i-1',
    type: 'webinar_attended',
    at: '2026-11-01T10:00:00.000Z',
    externalId: hostile('webinar'),
  },
  {
    id: 'i-2',
    type: 'contact',
    at: '2026-11-02T09:00:00.000Z',
    message: hostile('message'),
    attribution: {
      utm_source: hostile('source'),
      utm_medium: 'cpc',
      utm_campaign: hostile('campaign'),
      page: hostile('page'),
      referrer: hostile('referrer'),
    },
  },
];

function render(locale: Locale, item: LeadItem = lead()) {
  return renderEmail('sales-notification', locale, { firstName: '', ...salesNotificationContent(item, interactions, 'MQL', LINKS, VIEW) });
}

describe('sales notification email: lead values are untrusted', () => {
  it.each(['de', 'en'] as const)('contains the hostile values of every field only HTML-escaped (%s)', (locale) => {
    // Prepare
    const fields = ['first', 'last', 'company', 'job', 'message', 'webinar', 'source', 'campaign', 'page', 'referrer'];

    // Act
    const { html } = render(locale);

    // Assess
    expect(html).not.toContain(SCRIPT);
    expect(html).not.toContain(IMG);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/onerror=/i);
    for (const field of fields) expect(html, `field ${field}`).toContain(escaped(field));
    expect(html).toContain(`<strong>${escaped('first')} ${escaped('last')}</strong>`);
  });

  it('keeps the plain-text part verbatim, where no markup is interpreted', () => {
    // Act
    const { text } = render('en');

    // Assess
    expect(text).toContain(`Company:       ${hostile('company')}`);
    expect(text).toContain(`Job title:     ${hostile('job')}`);
    expect(text).toContain(hostile('message'));
    expect(text).not.toContain('&lt;');
  });

  it('keeps CR/LF from the lead out of the subject and preheader', () => {
    // Prepare
    const item = lead({ firstName: 'Eve\r\nBcc: x@y', lastName: 'Mallory\nX-Injected: 1', company: 'Evil\r\n\r\nCorp' });

    // Act
    const rendered = render('de', item);

    // Assess
    expect(rendered.subject).not.toMatch(/[\r\n]/);
    expect(rendered.preheader).not.toMatch(/[\r\n]/);
    expect(rendered.subject).toBe('MQL: Eve Bcc: x@y Mallory X-Injected: 1 (Evil Corp)');
  });

  it('puts the kind first in the subject, then name and company', () => {
    // Act
    const mql = renderEmail('sales-notification', 'en', {
      firstName: '',
      ...salesNotificationContent(lead({ firstName: 'Hanna', lastName: 'Raiser', company: 'Acme GmbH' }), [], 'MQL', LINKS, VIEW),
    });
    const pql = renderEmail('sales-notification', 'de', {
      firstName: '',
      ...salesNotificationContent(lead({ firstName: 'Hanna', lastName: 'Raiser', company: 'Acme GmbH' }), [], 'PQL', LINKS, VIEW),
    });

    // Assess
    expect(mql.subject).toBe('MQL: Hanna Raiser (Acme GmbH)');
    expect(pql.subject).toBe('PQL: Hanna Raiser (Acme GmbH)');
  });

  it('lists the attribution UTM first, then page and referrer, whatever order the stored map has', () => {
    // Prepare
    const shuffled: Interaction = {
      id: 'i-3',
      type: 'download',
      at: '2026-11-03T09:00:00.000Z',
      assetId: 'case-study-b2b',
      funnelStage: 'mofu',
      attribution: { referrer: 'https://r.example/', page: '/p', utm_campaign: 'c', utm_source: 's', utm_medium: 'm' },
    };

    // Act
    const content = salesNotificationContent(lead(), [shuffled], 'MQL', LINKS, VIEW);

    // Assess
    expect(content.timeline).toEqual([
      {
        at: 'Di, 03.11.2026, 10:00',
        type: 'Download',
        detail: 'Fallstudie: Lead-Qualifizierung in einem B2B-Softwarehaus (MoFu)',
        attribution: 'utm_source=s, utm_medium=m, utm_campaign=c, page=/p, referrer=https://r.example/',
      },
    ]);
  });
});
