import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueEmail, type TestStack, startTestStack } from '../../support/test-stack';
import {
  attendWebinars,
  decisionLink,
  decodeHtmlAttribute,
  eventsFor,
  leadIdOf,
  SALES_INBOX,
  salesMailsAbout,
  tokenPayload,
} from './sales-helpers';

const DAY_MS = 86_400_000;

describe('sales notification content', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  describe('for a hand-raiser with a history', () => {
    const email = uniqueEmail('content');
    const profile = { firstName: 'Hanna', lastName: 'Raiser', company: 'Müller & <Söhne> GmbH', jobTitle: 'Head of "Ops"', locale: 'en' };
    const message = 'Please call me\nabout pricing & <terms>.';

    beforeAll(async () => {
      // Prepare: a download from a paid campaign, a webinar, then the contact form from the newsletter
      const download = await stack.postJson('/forms/download', {
        email,
        ...profile,
        assetId: 'case-study-b2b',
        utm_source: 'linkedin',
        utm_medium: 'paid',
        utm_campaign: 'q4-launch',
        page: '/resources/case-study',
      });
      expect(download.status).toBe(200);
      await stack.drain();
      // A signal without `at` is timed by its signature, to the second: let that second come after the download.
      await stack.tick(0.01);
      await attendWebinars(stack, email, ['webinar-2026-11']);
      await stack.drain();
      expect(await salesMailsAbout(stack, email)).toEqual([]);

      // Act
      const contact = await stack.postJson('/forms/contact', {
        email,
        ...profile,
        phone: '+49 30 1234567',
        message,
        utm_source: 'newsletter',
        page: '/contact',
      });
      expect(contact.status).toBe(200);
      await stack.drain();
    });

    it('is one mail to sales with the kind, name and company in the subject and the lead as Reply-To', async () => {
      // Assess
      const mails = await salesMailsAbout(stack, email);
      expect(mails).toHaveLength(1);
      const [mail] = mails;
      expect(mail!.to).toEqual([SALES_INBOX]);
      expect(mail!.replyTo).toEqual([email]);
      expect(mail!.subject).toBe('MQL: Hanna Raiser (Müller & <Söhne> GmbH)');
      expect(mail!.subject).not.toMatch(/[\r\n]/);
      const lead = await stack.lead(email);
      expect(lead!.salesNotifiedAt).not.toBeNull();
      expect(lead!.emails.filter((sent: { category: string }) => sent.category === 'sales')).toEqual([
        expect.objectContaining({ templateId: 'sales-notification' }),
      ]);
    });

    it('lists who the lead is, the score with its explanation, qualification, funnel stage and the contact message', async () => {
      // Prepare
      const [mail] = await salesMailsAbout(stack, email);
      const lead = await stack.lead(email);
      expect(lead).toMatchObject({ lifecycle: 'mql', qualification: 'qualified', funnelStage: 'bofu' });

      // Assess: the plain-text part carries every value as it was entered
      const text = mail!.text;
      expect(text).toMatch(/Name:\s+Hanna Raiser\n/);
      expect(text).toMatch(/Unternehmen:\s+Müller & <Söhne> GmbH\n/);
      expect(text).toMatch(/Position:\s+Head of "Ops"\n/);
      expect(text).toMatch(new RegExp(`E-Mail:\\s+${email.replace(/[.]/g, '\\.')}\\n`));
      expect(text).toMatch(/Telefon:\s+\+49 30 1234567\n/);
      expect(text).toMatch(/Sprache:\s+Englisch\n/);
      expect(text).toMatch(new RegExp(`Score:\\s+${lead!.score} \\(Fit ${lead!.fitScore}, Engagement ${lead!.engagementScore}\\)\\n`));
      expect(lead!.score).toBe(10 + 5 + 25 + 30);
      expect(text).toMatch(/Qualifizierung:\s+Qualifiziert\n/);
      expect(text).toMatch(/Funnel-Phase:\s+BoFu\n/);
      // Stored in classification's words, shown in the sales locale with Berlin times.
      const reasons = (lead!.scoreExplanation as Array<{ reason: string; points: number }>).map((entry) => entry.reason);
      expect(reasons).toContain('business email domain');
      const explanation = text.slice(text.indexOf('So kam der Score zustande:'), text.indexOf('Verlauf:'));
      expect(explanation).toMatch(/- (Mo|Di|Mi|Do|Fr|Sa|So), \d\d\.\d\d\.\d{4}, \d\d:\d\d {2}geschäftliche E-Mail-Adresse: 10\n/);
      expect(explanation).toContain('Unternehmen angegeben: 5');
      expect(explanation).toContain('Download: Fallstudie: Lead-Qualifizierung in einem B2B-Softwarehaus (MoFu): 25');
      expect(explanation).toContain('Webinar besucht: ');
      expect(explanation).not.toMatch(/\d{4}-\d\d-\d\dT|business email|company given|webinar attended/);
      expect(text).toContain(`Nachricht des Leads:\n${message}\n`);

      // Assess: the HTML part escapes every lead value
      const html = mail!.html;
      expect(html).toContain('<strong>Hanna Raiser</strong>');
      expect(html).toContain('Müller &amp; &lt;Söhne&gt; GmbH');
      expect(html).toContain('Head of &quot;Ops&quot;');
      expect(html).toContain('+49 30 1234567');
      expect(html).toContain('Please call me<br>\nabout pricing &amp; &lt;terms&gt;.');
      expect(html).not.toContain('<Söhne>');
      expect(html).not.toContain('<terms>');
      expect(html).not.toContain('"Ops"');
    });

    it('shows the interaction timeline with the attribution of each interaction', async () => {
      // Prepare
      const [mail] = await salesMailsAbout(stack, email);

      // Assess
      const timeline = mail!.text.slice(mail!.text.indexOf('Verlauf:'));
      const lines = timeline.split('\n').filter((line) => line.startsWith('- '));
      expect(lines).toEqual([
        expect.stringMatching(
          new RegExp(
            String.raw`^- (Mo|Di|Mi|Do|Fr|Sa|So), \d\d\.\d\d\.\d{4}, \d\d:\d\d {2}` +
              String.raw`Download: Fallstudie: Lead-Qualifizierung in einem B2B-Softwarehaus \(MoFu\) ` +
              String.raw`\(utm_source=linkedin, utm_medium=paid, utm_campaign=q4-launch, page=\/resources\/case-study\)$`,
          ),
        ),
        // A webinar the catalogue does not know (a webhook's own id) keeps its id.
        expect.stringMatching(/^- \S+, \S+, \d\d:\d\d {2}Webinar besucht: webinar-2026-11$/),
        expect.stringMatching(/^- \S+, \S+, \d\d:\d\d {2}Kontaktanfrage \(utm_source=newsletter, page=\/contact\)$/),
      ]);
      expect(mail!.html).toContain(
        'utm_source&#x3D;linkedin, utm_medium&#x3D;paid, utm_campaign&#x3D;q4-launch, page&#x3D;/resources/case-study',
      );
      expect(mail!.html).toContain('utm_source&#x3D;newsletter, page&#x3D;/contact');
    });

    it('carries an Accept and a Not-now link, signed for this lead and qualification and valid for 30 days', async () => {
      // Prepare
      const [mail] = await salesMailsAbout(stack, email);
      const [qualified] = await eventsFor(stack, 'Lead Qualified', email);

      // Act
      const accept = decisionLink(mail!, '/sales/accept');
      const recycle = decisionLink(mail!, '/sales/recycle');

      // Assess
      expect(accept.startsWith(`${stack.url}/sales/accept?token=`)).toBe(true);
      expect(recycle.startsWith(`${stack.url}/sales/recycle?token=`)).toBe(true);
      const hrefs = [...mail!.html.matchAll(/href="([^"]*\/sales\/[^"]*)"/g)].map((match) => decodeHtmlAttribute(match[1]!));
      expect(hrefs).toEqual([accept, recycle]);
      const expected = {
        leadId: leadIdOf(stack, email),
        data: { kind: 'MQL', seq: String(qualified!.detail.qualificationSeq), by: SALES_INBOX },
      };
      expect(tokenPayload(accept)).toMatchObject({ purpose: 'sales-accept', ...expected });
      expect(tokenPayload(recycle)).toMatchObject({ purpose: 'sales-recycle', ...expected });
      expect(Date.parse(tokenPayload(accept).expiresAt) - Date.parse(qualified!.time)).toBe(30 * DAY_MS);
      expect(Date.parse(tokenPayload(recycle).expiresAt) - Date.parse(qualified!.time)).toBe(30 * DAY_MS);
    });

    it("links the lead's page in the console instead of a terminal command, in HTML and text", async () => {
      // Prepare
      const [mail] = await salesMailsAbout(stack, email);

      // Act
      const consoleLink = `${stack.url}/console/#/leads/${encodeURIComponent(email)}`;

      // Assess
      expect(mail!.html).toContain(`href="${consoleLink.replaceAll('=', '&#x3D;')}"`);
      expect(mail!.text).toContain(consoleLink);
      expect(`${mail!.html}${mail!.text}`).not.toContain('npx leadpipe');
    });
  });

  it('names an MQL by score by its address and has no message section when the lead never wrote one', async () => {
    // Prepare: an address known only from webinar signals, 10 + 4 × 30 points
    const email = uniqueEmail('by-score');

    // Act
    await attendWebinars(stack, email, ['w-1', 'w-2', 'w-3', 'w-4']);
    await stack.drain();

    // Assess
    const mails = await salesMailsAbout(stack, email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe(`MQL: ${email}`);
    expect(mails[0]!.text).toMatch(/Unternehmen:\s+–\n/);
    expect(mails[0]!.text).not.toContain('Nachricht des Leads');
    expect(mails[0]!.text).toMatch(/Score:\s+130 \(Fit 10, Engagement 120\)\n/);
    expect(mails[0]!.text).toMatch(/Funnel-Phase:\s+MoFu\n/);
  });
});
