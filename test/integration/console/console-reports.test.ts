import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultScoringConfig } from '../../../shared/domain/classification';
import { TEMPLATE_IDS } from '../../../shared/email/email-templates';
import { startTestStack, type TestStack, uniqueEmail } from '../../support/test-stack';
import { consoleFetch, signIn } from './console-helpers';

/** The marketing side of the console API: dashboard, email gallery, test sends, sequences and rules. */
describe('console reports, templates and rules', () => {
  let stack: TestStack;
  let marketer: { email: string; token: string };

  async function call(method: string, path: string, body?: unknown): Promise<{ status: number; type: string; text: string; body: any }> {
    const response = await consoleFetch(stack, { method, path, token: marketer.token, body });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    return { status: response.status, type, text, body: type.includes('json') ? JSON.parse(text) : undefined };
  }

  beforeAll(async () => {
    stack = await startTestStack({ clockStartsAt: '2026-05-04T08:00:00.000Z' });
    const email = uniqueEmail('marketer', 'console.example');
    marketer = { email, token: await signIn(stack, email, ['marketing']) };
    // Two leads with a download each (fit 15 + download 15 = 30 points, +5 for the click): below the MQL threshold of 100.
    const readers = [uniqueEmail('reader-a'), uniqueEmail('reader-b')];
    for (const email of readers) {
      const response = await stack.postJson('/forms/download', {
        email,
        firstName: 'Rita',
        company: 'Acme GmbH',
        assetId: 'ebook-lead-types',
        utm_source: 'newsletter',
      });
      expect(response.status).toBe(200);
    }
    await stack.drain();
    // One of them clicks its download mail: SES feedback the funnel projection counts per template.
    const messageId = (await stack.lead(readers[0]!))!.emails[0].messageId as string;
    expect((await stack.postJson('/_dev/ses-event', { type: 'click', messageId })).status).toBe(202);
    await stack.drain();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  describe('templates', () => {
    it('lists every template with its kind, locales, subjects and the last 30 days of performance', async () => {
      // Act
      const { status, body } = await call('GET', '/console/api/templates');

      // Assess
      expect(status).toBe(200);
      expect(body.templates.map((template: { id: string }) => template.id)).toEqual([...TEMPLATE_IDS]);
      const byId = Object.fromEntries(body.templates.map((template: { id: string }) => [template.id, template]));
      expect(byId['opt-in']).toMatchObject({ kind: 'system', locales: ['de', 'en'] });
      expect(byId['tofu-1'].kind).toBe('marketing');
      expect(byId['sales-notification'].kind).toBe('sales');
      for (const template of body.templates) {
        expect(template.subject.de.length).toBeGreaterThan(0);
        expect(template.subject.en.length).toBeGreaterThan(0);
      }
      expect(byId['download-link'].performance).toMatchObject({ clicked: 1, bounced: 0 });
      expect(byId['opt-in'].performance).toEqual({ sent: 0, opened: 0, clicked: 0, bounced: 0, complained: 0, unsubscribed: 0 });
      expect(body.range).toEqual({ from: '2026-04-05', to: '2026-05-04' });
    });

    it('renders a preview with sample data as HTML, in the locale asked for', async () => {
      // Act
      const de = await call('GET', '/console/api/templates/opt-in/preview?locale=de');
      const en = await call('GET', '/console/api/templates/opt-in/preview?locale=en');

      // Assess
      expect(de.status).toBe(200);
      expect(de.type).toContain('text/html');
      expect(de.text).toContain('<html');
      expect(de.text).toContain('/confirm?token&#x3D;sample');
      expect(de.text).toContain('Julia');
      expect(en.status).toBe(200);
      expect(en.text).not.toEqual(de.text);
    });

    it('a preview of an unknown template is a 404, of an unknown locale a 400 naming locale', async () => {
      // Act
      const unknown = await call('GET', '/console/api/templates/no-such-mail/preview');
      const badLocale = await call('GET', '/console/api/templates/opt-in/preview?locale=fr');

      // Assess
      expect(unknown.status).toBe(404);
      expect(badLocale.status).toBe(400);
      expect(Object.keys(badLocale.body.error.fields)).toEqual(['locale']);
    });

    it('sends a test to the signed-in user’s own address, subject marked [Test], through the untracked configuration set', async () => {
      // Act
      const { status, body } = await call('POST', '/console/api/templates/tofu-1/test-send', {
        to: marketer.email.toUpperCase(),
        locale: 'en',
      });

      // Assess
      expect(status).toBe(202);
      expect(body).toMatchObject({ templateId: 'tofu-1', locale: 'en', to: marketer.email, messageId: expect.any(String) });
      const mails = await stack.mailTo(marketer.email);
      expect(mails).toHaveLength(1);
      expect(mails[0]!.subject).toMatch(/^\[Test\] /);
      expect(mails[0]!.text).toContain('/unsubscribe?token=sample');
      expect(await stack.lead(marketer.email)).toBeUndefined();
    });

    it.each([
      [{ to: 'someone-else@console.example' }, 403],
      [{ to: 'not-an-address' }, 400],
      [{}, 400],
    ])('a test to %o is refused (%i naming to) and nothing is sent', async (body, status) => {
      // Prepare
      const before = (await stack.mailTo('someone-else@console.example')).length;

      // Act
      const response = await call('POST', '/console/api/templates/opt-in/test-send', body);

      // Assess
      expect(response.status).toBe(status);
      expect(Object.keys(response.body.error.fields)).toEqual(['to']);
      expect((await stack.mailTo('someone-else@console.example')).length).toBe(before);
    });
  });

  describe('funnel', () => {
    it('answers the read model for the range, 30 days up to today by default', async () => {
      // Act
      const { status, body } = await call('GET', '/console/api/funnel');
      const ranged = await call('GET', '/console/api/funnel?from=2026-05-01&to=2026-05-04');

      // Assess
      expect(status).toBe(200);
      expect(body.range).toEqual({ from: '2026-04-05', to: '2026-05-04' });
      expect(body.daily).toHaveLength(30);
      expect(Object.keys(body)).toEqual(expect.arrayContaining(['lifecycle', 'funnelStage', 'conversion', 'daily', 'sources']));
      expect(body.daily.at(-1)).toMatchObject({ date: '2026-05-04', created: 2 });
      expect(ranged.body.daily.map((day: { date: string }) => day.date)).toEqual(['2026-05-01', '2026-05-02', '2026-05-03', '2026-05-04']);
    });

    it.each([
      ['from=yesterday', 'from'],
      ['from=2026-05-04&to=2026-02-30', 'to'],
      ['from=2026-05-04&to=2026-05-01', 'to'],
    ])('?%s is a 400 naming %s', async (query, field) => {
      // Act
      const { status, body } = await call('GET', `/console/api/funnel?${query}`);

      // Assess
      expect(status).toBe(400);
      expect(Object.keys(body.error.fields)).toEqual([field]);
    });
  });

  it('shows the nurture tracks step by step, with delay, template, offer and figures', async () => {
    // Act
    const { status, body } = await call('GET', '/console/api/sequences');

    // Assess
    expect(status).toBe(200);
    expect(body.tracks.map((track: { stage: string }) => track.stage)).toEqual(['tofu', 'mofu', 'bofu']);
    expect(body.tracks[0].steps[0]).toEqual({
      step: 1,
      delayDays: 2,
      templateId: 'tofu-1',
      offer: { ref: 'ebook-lead-types', kind: 'download', title: { de: expect.any(String), en: expect.any(String) } },
      performance: { sent: 0, opened: 0, clicked: 0, bounced: 0, complained: 0, unsubscribed: 0 },
    });
  });

  describe('rules', () => {
    it('shows the scoring rules as they are, with a described row per rule', async () => {
      // Act
      const { status, body } = await call('GET', '/console/api/rules');

      // Assess
      expect(status).toBe(200);
      expect(body.rules).toEqual(defaultScoringConfig);
      expect(body.rows).toContainEqual({
        section: 'stages',
        rule: 'mqlThreshold',
        value: defaultScoringConfig.stages.mqlThreshold,
        description: expect.stringContaining('MQL'),
      });
      expect(body.rows).toContainEqual(expect.objectContaining({ section: 'engagement', rule: 'downloadPoints.bofu' }));
    });

    it('previews a lower MQL threshold on the recent leads, changing nothing', async () => {
      // Prepare
      const rules = structuredClone(defaultScoringConfig) as any;
      rules.stages.qualifiedThreshold = 10;
      rules.stages.mqlThreshold = 20;

      // Act
      const { status, body } = await call('POST', '/console/api/rules/preview', { rules });
      const unchanged = await call('POST', '/console/api/rules/preview', { rules: defaultScoringConfig });

      // Assess
      expect(status).toBe(200);
      expect(body.sample).toMatchObject({ limit: 500, leads: 2 });
      expect(body.leadsChanged).toBe(2);
      expect(body.changed.lifecycle).toBe(2);
      expect(body.examples).toHaveLength(2);
      expect(body.examples[0].changes).toContainEqual({ field: 'lifecycle', from: expect.any(String), to: 'mql' });
      expect(unchanged.body).toMatchObject({ leadsChanged: 0, sample: { leads: 2 } });
      const { body: list } = await call('GET', '/console/api/leads?lifecycle=mql');
      expect(list.items).toEqual([]);
    });

    it.each([
      [{ rules: { ...defaultScoringConfig, stages: { qualifiedThreshold: 10, mqlThreshold: -1 } } }, 'rules.stages.mqlThreshold'],
      [{ rules: { ...defaultScoringConfig, fit: { ...defaultScoringConfig.fit, bogus: 1 } } }, 'rules.fit.bogus'],
      [{}, 'rules'],
    ])('a bad rule set is a 400 naming the field (%#)', async (body, field) => {
      // Act
      const response = await call('POST', '/console/api/rules/preview', body);

      // Assess
      expect(response.status).toBe(400);
      expect(response.body.error.fields).toHaveProperty([field]);
    });
  });
});
