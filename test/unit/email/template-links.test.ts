/**
 * No email the stack sends carries a CTA to the bare start page: every template is rendered, in every
 * locale, with the variables the real code builds (the nurture mails through the dispatcher's own
 * nurtureEmailVars, for every step of the shipped tracks), and every link, in the HTML and the text part,
 * must point at the page that acts on it.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { signedDownloadUrl } from '../../../shared/capture/capture-submission';
import { defaultNurtureConfig } from '../../../shared/domain/nurture';
import { FUNNEL_STAGES, LOCALES, type Locale } from '../../../shared/domain/lead';
import {
  fileTemplateSource,
  MARKETING_TEMPLATE_IDS,
  TEMPLATE_IDS,
  type CommonVariables,
  type MarketingTemplateId,
  type RenderedEmail,
  type TemplateId,
  type TemplateVariables,
} from '../../../shared/email/email-templates';
import { renderEmail } from '../../../shared/email/render-email';
import { callManageLinks } from '../../../shared/links/journey-links';
import { nurtureEmailVars } from '../../../shared/nurture/offers';
import { resolveOffer } from '../../../shared/offers/offer-catalogue';
import { signToken, verifyToken } from '../../../shared/security/signed-token';

const source = fileTemplateSource(fileURLToPath(new URL('../../../', import.meta.url)));
const BASE = 'https://leads.example.com';
const KEY = 'template-links-test-signing-key';
const LEAD_ID = 'lead-0123456789abcdef';
const AT = '2026-12-01T08:00:00.000Z';
const SENDER = {
  companyName: 'Beispiel GmbH',
  senderName: 'Anna Berger, Beispiel GmbH',
  imprint: 'Beispiel GmbH, Musterstraße 1, 10115 Berlin',
};

/** Every URL a reader could follow: each href of the HTML part, and each URL written out in either part. */
function linksOf(mail: RenderedEmail): string[] {
  const hrefs = [...mail.html.matchAll(/href="([^"]*)"/g)].map((match) => decodeEntities(match[1]!));
  const written = [...`${mail.text}\n${decodeEntities(mail.html)}`.matchAll(/https?:\/\/[^\s"<>]+/g)].map((match) => match[0]);
  return [...new Set([...hrefs, ...written])].filter((link) => !link.startsWith('mailto:'));
}

/** What a mail client reads out of an attribute or text node (Handlebars writes `=` as `&#x3D;`). */
function decodeEntities(html: string): string {
  return html
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(Number.parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replaceAll('&quot;', '"')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}

/** The start page, with or without a query or fragment (e.g. the old `/?book=expert-call`). */
function isBareStartPage(link: string): boolean {
  const url = new URL(link);
  return url.origin === BASE && (url.pathname === '/' || url.pathname === '');
}

function pathOf(link: string): string {
  return new URL(link).pathname;
}

function tokenOf(link: string): string {
  return new URL(link).searchParams.get('token') ?? '';
}

function render<T extends TemplateId>(templateId: T, locale: Locale, vars: TemplateVariables[T] & CommonVariables): RenderedEmail {
  return renderEmail(templateId, locale, vars, source);
}

const link = (path: string, purpose: Parameters<typeof signToken>[0]['purpose'], data: Record<string, string> = {}) =>
  `${BASE}${path}?token=${encodeURIComponent(signToken({ purpose, leadId: LEAD_ID, expiresAt: '2027-01-01T00:00:00.000Z', data }, KEY))}`;

/** The system mails, with links built as the real senders build them (or the same shape where the builder is inline). */
function systemMail(templateId: Exclude<TemplateId, MarketingTemplateId>, locale: Locale): { mail: RenderedEmail; allowed: RegExp[] } {
  switch (templateId) {
    case 'opt-in':
      return {
        mail: render('opt-in', locale, { firstName: 'Jane', confirmUrl: link('/confirm', 'confirm'), ...SENDER }),
        allowed: [/^\/confirm$/],
      };
    case 'contact-acknowledgement':
      // Nothing to click: the requester only learns what happens next, and when.
      return {
        mail: render('contact-acknowledgement', locale, { firstName: 'Jane', ...SENDER, replyBy: 'Mittwoch, 3. Dezember 2026' }),
        allowed: [],
      };
    case 'download-link': {
      const downloadUrl = signedDownloadUrl(LEAD_ID, 'ebook-lead-types', AT, { signingKey: KEY, publicBaseUrl: BASE });
      return {
        mail: render('download-link', locale, { firstName: 'Jane', ...SENDER, assetTitle: 'E-Book', downloadUrl }),
        allowed: [/^\/downloads\/ebook-lead-types$/],
      };
    }
    case 'sales-notification': {
      const { icsUrl } = callManageLinks({ publicBaseUrl: BASE, signingKey: KEY, leadId: LEAD_ID, locale, bookingId: 'b1', at: AT });
      const mail = render('sales-notification', locale, {
        firstName: 'Sam',
        qualificationKind: 'MQL',
        lead: {
          fullName: 'Jane Doe',
          firstName: 'Jane',
          lastName: 'Doe',
          company: 'Acme GmbH',
          jobTitle: 'CMO',
          email: 'jane@acme.example',
          phone: '+49 30 1234567',
          locale,
          language: 'Deutsch',
        },
        score: 110,
        fitScore: 15,
        engagementScore: 95,
        qualification: 'qualified',
        funnelStage: 'bofu',
        scoreExplanation: [{ reason: 'expert call requested', points: 0, at: AT }],
        timeline: [{ at: AT, type: 'call_requested', detail: 'b1', attribution: '' }],
        contactMessage: '',
        acceptUrl: link('/sales/accept', 'sales-accept', { kind: 'MQL', seq: '1' }),
        recycleUrl: link('/sales/recycle', 'sales-recycle', { kind: 'MQL', seq: '1' }),
        leadUrl: '',
        leadViewCommand: 'npx leadpipe lead show jane@acme.example',
        callSlot: 'Di 08.12. 10:15',
        callIcsUrl: icsUrl,
      });
      return { mail, allowed: [/^\/sales\/accept$/, /^\/sales\/recycle$/, /^\/call\/event\.ics$/] };
    }
    case 'call-confirmation': {
      const links = callManageLinks({ publicBaseUrl: BASE, signingKey: KEY, leadId: LEAD_ID, locale, bookingId: 'b1', at: AT });
      const mail = render('call-confirmation', locale, {
        firstName: 'Jane',
        status: 'booked',
        slotLabel: 'Dienstag, 8. Dezember',
        ...SENDER,
        ...links,
      });
      return { mail, allowed: [/^\/call\/manage$/, /^\/call\/event\.ics$/] };
    }
  }
}

const NURTURE_STEPS = FUNNEL_STAGES.flatMap((track) =>
  defaultNurtureConfig.tracks[track].map((step, index) => ({ track, step: `${track}-${index + 1}`, ...step })),
);

describe('links in every email', () => {
  it('covers every template: each nurture template is a step of the shipped tracks, the rest are system mails', () => {
    // Prepare
    const nurtureTemplates = new Set(NURTURE_STEPS.map((step) => step.templateId));

    // Act
    const uncovered = MARKETING_TEMPLATE_IDS.filter((id) => !nurtureTemplates.has(id));

    // Assess
    expect(uncovered).toEqual([]);
    expect(TEMPLATE_IDS.length).toBeGreaterThan(MARKETING_TEMPLATE_IDS.length);
  });

  describe.each(LOCALES)('nurture mails (%s), with the dispatcher variables', (locale) => {
    it.each(NURTURE_STEPS)('$step ($templateId, offer $offer): one CTA to its own signed offer, and the unsubscribe link', (step) => {
      // Prepare
      const { vars } = nurtureEmailVars({
        leadId: LEAD_ID,
        firstName: 'Jane',
        locale,
        step: step.step,
        offer: step.offer,
        templateId: step.templateId,
        at: AT,
        publicBaseUrl: BASE,
        signingKey: KEY,
        imprint: 'Beispiel GmbH, Musterstraße 1, 10115 Berlin',
        senderName: 'Anna Berger, Beispiel GmbH',
      });

      // Act
      const mail = render(step.templateId as MarketingTemplateId, locale, vars);

      // Assess
      const links = linksOf(mail);
      expect(links.filter(isBareStartPage)).toEqual([]);
      const ctas = links.filter((candidate) => pathOf(candidate) !== '/unsubscribe');
      expect(ctas).toEqual([vars.offerUrl]);
      expect(links.filter((candidate) => pathOf(candidate) === '/unsubscribe')).toEqual([vars.unsubscribeUrl]);
      const expertCall = resolveOffer(step.offer)?.kind === 'expert-call';
      expect(pathOf(vars.offerUrl)).toBe(expertCall ? '/call' : '/offers');
      const token = verifyToken(tokenOf(vars.offerUrl), { purpose: expertCall ? 'call' : 'offer', now: AT }, KEY);
      expect(token.leadId).toBe(LEAD_ID);
      expect(token.data).toEqual({ ...(expertCall ? {} : { offer: step.offer }), ref: step.step, locale });
      expect(mail.text).toContain(vars.offerUrl);
      expect(vars.offerTitle.trim()).not.toBe('');
    });
  });

  describe.each(LOCALES)('system mails (%s)', (locale) => {
    const systemTemplates = TEMPLATE_IDS.filter(
      (id): id is Exclude<TemplateId, MarketingTemplateId> => !MARKETING_TEMPLATE_IDS.includes(id),
    );

    it.each(systemTemplates)('%s: every link goes to the page that acts on it, none to the start page', (templateId) => {
      // Prepare
      const { mail, allowed } = systemMail(templateId, locale);

      // Act
      const links = linksOf(mail);

      // Assess
      // A mail with an action has its link; one without (the contact acknowledgement) has none at all.
      expect(links.length > 0).toBe(allowed.length > 0);
      expect(links.filter(isBareStartPage)).toEqual([]);
      for (const found of links) {
        expect(new URL(found).origin).toBe(BASE);
        expect(
          allowed.some((path) => path.test(pathOf(found))),
          `${templateId} links to ${pathOf(found)}`,
        ).toBe(true);
        expect(tokenOf(found)).not.toBe('');
      }
    });
  });

  it('catches a CTA to the bare start page: the check itself can fail', () => {
    // Prepare
    const mail = { subject: '', preheader: '', html: `<a href="${BASE}/?book=expert-call">x</a>`, text: `${BASE}/` };

    // Act
    const bare = linksOf(mail).filter(isBareStartPage);

    // Assess
    expect(bare).toEqual([`${BASE}/?book=expert-call`, `${BASE}/`]);
  });
});
