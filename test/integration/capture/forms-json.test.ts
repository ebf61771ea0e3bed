import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, uniqueEmail, type TestStack } from '../../support/test-stack';
import { CONSENT_TEXT_VERSION, downloadMails, optInMails, RawTable, validBody } from './capture-helpers';

describe('capture forms answered in JSON', () => {
  let stack: TestStack;
  let table: RawTable;
  beforeAll(async () => {
    stack = await startTestStack();
    table = new RawTable(stack);
  });
  afterAll(async () => {
    table?.destroy();
    await stack?.stop();
  });

  describe('POST /forms/newsletter', () => {
    it('stores a pending lead with a newsletter_signup interaction and answers {ok:true}', async () => {
      // Prepare
      const email = uniqueEmail('nl-json');

      // Act
      const response = await stack.postJson('/forms/newsletter', {
        email,
        marketingConsent: true,
        firstName: 'Nina',
        company: 'Acme GmbH',
      });
      await stack.drain();

      // Assess
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await response.json()).toEqual({ ok: true });
      const lead = await stack.lead(email);
      expect(lead).toMatchObject({ email, firstName: 'Nina', company: 'Acme GmbH', locale: 'de', consent: { marketing: 'pending' } });
      expect(lead!.consent.confirmedAt).toBeUndefined();
      expect(lead!.interactions).toEqual([expect.objectContaining({ type: 'newsletter_signup', at: expect.any(String) })]);
      expect(lead!.interactions[0].assetId).toBeUndefined();
      expect(await optInMails(stack, email)).toHaveLength(1);
    });

    it('trims and lower-cases the address and trims the names', async () => {
      // Prepare
      const email = uniqueEmail('nl-norm');

      // Act
      const response = await stack.postJson('/forms/newsletter', {
        email: `   ${email.toUpperCase()}  `,
        marketingConsent: true,
        firstName: '  Jörg  ',
        lastName: '\tMüller ',
      });
      await stack.drain();

      // Assess
      expect(response.status).toBe(200);
      const lead = await stack.lead(email);
      expect(lead).toMatchObject({ email, firstName: 'Jörg', lastName: 'Müller' });
      const mails = await stack.mailTo(email);
      expect(mails).toHaveLength(1);
      expect(mails[0]!.to).toEqual([email]);
    });

    it('sends the opt-in mail in German by default and shows the first name', async () => {
      // Prepare
      const email = uniqueEmail('nl-de');

      // Act
      await stack.postJson('/forms/newsletter', { email, marketingConsent: true, firstName: 'Greta' });
      await stack.drain();

      // Assess
      const [mail] = await optInMails(stack, email);
      expect(mail!.subject).toBe('Bitte bestätigen Sie Ihre Anmeldung');
      expect(mail!.text).toContain('Greta');
      expect((await stack.lead(email))!.locale).toBe('de');
    });

    it('takes the locale from Accept-Language: en gets an English opt-in mail', async () => {
      // Prepare
      const email = uniqueEmail('nl-en');

      // Act
      await stack.postJson('/forms/newsletter', { email, marketingConsent: true }, { 'accept-language': 'en-GB,en;q=0.9' });
      await stack.drain();

      // Assess
      expect((await stack.lead(email))!.locale).toBe('en');
      const [mail] = await optInMails(stack, email);
      expect(mail!.subject).toBe('Please confirm your subscription');
    });

    it('weighs Accept-Language by q-value and falls back to de for unsupported languages', async () => {
      // Prepare
      const preferEn = uniqueEmail('nl-q-en');
      const preferDe = uniqueEmail('nl-q-de');
      const french = uniqueEmail('nl-fr');

      // Act
      await stack.postJson(
        '/forms/newsletter',
        { email: preferEn, marketingConsent: true },
        { 'accept-language': 'fr-FR, de;q=0.4, en;q=0.8' },
      );
      await stack.postJson('/forms/newsletter', { email: preferDe, marketingConsent: true }, { 'accept-language': 'en;q=0.5, de-AT' });
      await stack.postJson('/forms/newsletter', { email: french, marketingConsent: true }, { 'accept-language': 'fr-FR, fr' });

      // Assess
      expect((await stack.lead(preferEn))!.locale).toBe('en');
      expect((await stack.lead(preferDe))!.locale).toBe('de');
      expect((await stack.lead(french))!.locale).toBe('de');
    });

    it('lets an explicit locale field win over Accept-Language', async () => {
      // Prepare
      const email = uniqueEmail('nl-explicit');

      // Act
      const response = await stack.postJson(
        '/forms/newsletter',
        { email, marketingConsent: true, locale: 'EN' },
        { 'accept-language': 'de-DE' },
      );
      await stack.drain();

      // Assess
      expect(response.status).toBe(200);
      expect((await stack.lead(email))!.locale).toBe('en');
      expect((await optInMails(stack, email))[0]!.subject).toBe('Please confirm your subscription');
    });

    it('stores consent evidence: timestamp, IP, user agent, form and consent text version', async () => {
      // Prepare
      const email = uniqueEmail('nl-evidence');
      const userAgent = 'Mozilla/5.0 (LeadpipeTest; consent evidence)';

      // Act
      await stack.postJson('/forms/newsletter', { email, marketingConsent: true }, { 'user-agent': userAgent });

      // Assess
      const lead = await stack.lead(email);
      const profile = await table.profile(lead!.leadId);
      const evidence = {
        at: lead!.interactions[0].at,
        ip: expect.stringMatching(/^(127\.0\.0\.1|::1)$/),
        userAgent,
        form: 'newsletter',
        textVersion: CONSENT_TEXT_VERSION,
      };
      // the request's evidence is kept with its interaction; the profile holds the first and the latest request's
      expect((await table.interactions(lead!.leadId))[0]!.consentEvidence).toEqual(evidence);
      expect(profile!.consentEvidenceFirst).toEqual(evidence);
      expect(profile!.consentEvidenceLatest).toEqual(evidence);
      expect(profile!.consentRequestedAt).toBe(lead!.interactions[0].at);
    });

    it('stores the attribution with the interaction', async () => {
      // Prepare
      const email = uniqueEmail('nl-attr');
      const attribution = {
        utm_source: 'linkedin',
        utm_medium: 'paid-social',
        utm_campaign: 'q4-lead-types',
        page: 'https://www.leadpipe.example/blog/lead-types',
        referrer: 'https://www.linkedin.com/',
      };

      // Act
      await stack.postJson('/forms/newsletter', { email, marketingConsent: true, ...attribution });

      // Assess
      const lead = await stack.lead(email);
      const [interaction] = await table.interactions(lead!.leadId);
      expect(interaction).toMatchObject({ type: 'newsletter_signup', attribution });
    });

    it('stores only the attribution fields that were sent, and none when none were sent', async () => {
      // Prepare
      const partial = uniqueEmail('nl-attr-part');
      const none = uniqueEmail('nl-attr-none');

      // Act
      await stack.postJson('/forms/newsletter', { email: partial, marketingConsent: true, utm_source: 'newsletter', utm_medium: '' });
      await stack.postJson('/forms/newsletter', { email: none, marketingConsent: true });

      // Assess
      const [withSource] = await table.interactions((await stack.lead(partial))!.leadId);
      expect(withSource!.attribution).toEqual({ utm_source: 'newsletter' });
      const [without] = await table.interactions((await stack.lead(none))!.leadId);
      expect(without!.attribution).toBeUndefined();
    });

    it('ignores unknown fields and stores none of them', async () => {
      // Prepare
      const email = uniqueEmail('nl-unknown');

      // Act
      const response = await stack.postJson('/forms/newsletter', {
        email,
        marketingConsent: true,
        isAdmin: true,
        lifecycle: 'sql',
        score: 999,
        consentConfirmedAt: '2020-01-01T00:00:00.000Z',
        suppressed: 'bounce',
        leadId: 'L-someone-else',
        pk: 'LEAD#hijack',
        favouriteColour: 'ultraviolet-marker',
      });
      await stack.drain();

      // Assess
      expect(response.status).toBe(200);
      const lead = await stack.lead(email);
      expect(lead).toMatchObject({ lifecycle: 'warm', consent: { marketing: 'pending' }, suppressed: null });
      expect(lead!.leadId).not.toBe('L-someone-else');
      const stored = JSON.stringify(await table.partition(lead!.leadId));
      for (const marker of ['isAdmin', 'favouriteColour', 'ultraviolet-marker', 'hijack', 'L-someone-else', '2020-01-01']) {
        expect(stored).not.toContain(marker);
      }
      const profile = await table.profile(lead!.leadId);
      expect(profile!.score).not.toBe(999);
      expect(profile!.suppressed).toBeUndefined();
      expect(await optInMails(stack, email)).toHaveLength(1);
    });
  });

  describe('POST /forms/download', () => {
    it('stores a download interaction with asset and funnel stage and answers with a downloadUrl', async () => {
      // Prepare
      const email = uniqueEmail('dl-json');

      // Act
      const response = await stack.postJson('/forms/download', {
        email,
        firstName: 'Dieter',
        lastName: 'Down',
        company: 'Loader AG',
        jobTitle: 'CMO',
        assetId: 'case-study-b2b',
      });
      await stack.drain();

      // Assess
      expect(response.status).toBe(200);
      const body = (await response.json()) as { ok: boolean; downloadUrl: string };
      expect(body.ok).toBe(true);
      expect(body.downloadUrl).toMatch(new RegExp(`^${stack.url}/downloads/case-study-b2b\\?token=[A-Za-z0-9_.%-]+$`));
      const lead = await stack.lead(email);
      expect(lead).toMatchObject({
        firstName: 'Dieter',
        lastName: 'Down',
        company: 'Loader AG',
        jobTitle: 'CMO',
        consent: { marketing: 'none' },
      });
      expect(lead!.interactions).toEqual([expect.objectContaining({ type: 'download', assetId: 'case-study-b2b', funnelStage: 'mofu' })]);
      expect(await downloadMails(stack, email)).toHaveLength(1);
      expect(await optInMails(stack, email)).toHaveLength(0);
    });

    it('asks for consent too when marketingConsent is true', async () => {
      // Prepare
      const email = uniqueEmail('dl-consent');

      // Act
      await stack.postJson(
        '/forms/download',
        { ...validBody('download', email), marketingConsent: true },
        { 'user-agent': 'DownloadAgent/2' },
      );
      await stack.drain();

      // Assess
      const lead = await stack.lead(email);
      expect(lead!.consent.marketing).toBe('pending');
      expect(await optInMails(stack, email)).toHaveLength(1);
      expect(await downloadMails(stack, email)).toHaveLength(1);
      const profile = await table.profile(lead!.leadId);
      expect(profile!.consentEvidenceLatest).toEqual(
        expect.objectContaining({ form: 'download', userAgent: 'DownloadAgent/2', textVersion: CONSENT_TEXT_VERSION }),
      );
    });

    it('stores the attribution with the download interaction', async () => {
      // Prepare
      const email = uniqueEmail('dl-attr');

      // Act
      await stack.postJson('/forms/download', {
        ...validBody('download', email),
        utm_source: 'google',
        utm_campaign: 'pricing',
        page: '/pricing',
      });

      // Assess
      const [interaction] = await table.interactions((await stack.lead(email))!.leadId);
      expect(interaction).toMatchObject({
        type: 'download',
        assetId: 'ebook-lead-types',
        attribution: { utm_source: 'google', utm_campaign: 'pricing', page: '/pricing' },
      });
    });
  });

  describe('POST /forms/contact', () => {
    it('stores a contact interaction with message and phone; consent stays none and no opt-in mail goes out', async () => {
      // Prepare
      const email = uniqueEmail('contact-json');
      const message = 'Wir haben 40 Vertriebler.\r\nKönnen Sie uns ein Angebot machen?';

      // Act
      const response = await stack.postJson('/forms/contact', {
        email,
        firstName: 'Carla',
        lastName: 'Contact',
        company: 'Kontakt KG',
        jobTitle: 'Head of Sales',
        phone: '+49 (30) 123-456/7',
        message,
        utm_source: 'direct',
      });
      await stack.drain();

      // Assess
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ ok: true });
      const lead = await stack.lead(email);
      expect(lead).toMatchObject({
        firstName: 'Carla',
        lastName: 'Contact',
        company: 'Kontakt KG',
        jobTitle: 'Head of Sales',
        phone: '+49 (30) 123-456/7',
        consent: { marketing: 'none' },
      });
      expect(lead!.interactions).toEqual([expect.objectContaining({ type: 'contact' })]);
      const [interaction] = await table.interactions(lead!.leadId);
      expect(interaction).toMatchObject({
        message: 'Wir haben 40 Vertriebler.\nKönnen Sie uns ein Angebot machen?',
        attribution: { utm_source: 'direct' },
      });
      const profile = await table.profile(lead!.leadId);
      expect(profile!.consentEvidenceFirst).toBeUndefined();
      expect(profile!.consentEvidenceLatest).toBeUndefined();
      expect(await optInMails(stack, email)).toHaveLength(0);
    });

    it('accepts a contact request without a phone number', async () => {
      // Prepare
      const email = uniqueEmail('contact-nophone');

      // Act
      const response = await stack.postJson('/forms/contact', validBody('contact', email));

      // Assess
      expect(response.status).toBe(200);
      expect((await stack.lead(email))!.phone).toBeNull();
    });

    it('keeps the name from an earlier form when a later one does not carry it', async () => {
      // Prepare
      const email = uniqueEmail('contact-merge');
      await stack.postJson('/forms/contact', { ...validBody('contact', email), company: 'Merge GmbH' });

      // Act
      await stack.postJson('/forms/newsletter', { email, marketingConsent: true });

      // Assess
      const lead = await stack.lead(email);
      expect(lead).toMatchObject({ firstName: 'Carla', lastName: 'Kontakt', company: 'Merge GmbH', consent: { marketing: 'pending' } });
      expect(lead!.interactions.map((i: { type: string }) => i.type)).toEqual(['contact', 'newsletter_signup']);
    });
  });

  it('takes an empty honeypot sent as false, 0, [] or {} for a person: the lead is stored and mailed', async () => {
    // Prepare
    const emails = [false, 0, [], {}].map((website) => ({ website, email: uniqueEmail('hp-empty') }));

    // Act
    const post = ({ website, email }: { website: unknown; email: string }) =>
      stack.postJson('/forms/newsletter', { email, marketingConsent: true, website });
    const responses = await Promise.all(emails.map(post));
    await stack.drain();

    // Assess
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    for (const { email } of emails) {
      expect(await stack.lead(email)).toMatchObject({ consent: { marketing: 'pending' } });
      expect(await optInMails(stack, email)).toHaveLength(1);
    }
  });

  it('answers 404 for a form path that does not exist', async () => {
    // Prepare
    const email = uniqueEmail('no-form');

    // Act
    const response = await stack.postJson('/forms/webinar', { email, marketingConsent: true });

    // Assess
    expect(response.status).toBe(404);
    expect(await stack.lead(email)).toBeUndefined();
  });
});
