import { salesDateTime } from '../../../shared/sales/sales-time';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueEmail, type TestStack, startTestStack } from '../../support/test-stack';
import {
  attendWebinars,
  decisionLink,
  eventsFor,
  jsonOf,
  openLink,
  postFormAction,
  pressButton,
  qualifiedLead,
  SALES_INBOX,
  salesMailsAbout,
  tokenPayload,
} from './sales-helpers';

const DAY_MS = 86_400_000;
/** Decision times read as in the sales mail: "Di, 02.12.2026, 17:35" (Europe/Berlin), never ISO UTC. */
const ACCEPTED_BY_SALES = /Angenommen \(SQL\) von sales@example\.com am (Mo|Di|Mi|Do|Fr|Sa|So), \d\d\.\d\d\.\d{4}, \d\d:\d\d\./;
const RECYCLED_BAD_TIMING =
  /Zurückgestellt von sales@example\.com am (Mo|Di|Mi|Do|Fr|Sa|So), \d\d\.\d\d\.\d{4}, \d\d:\d\d \(Falscher Zeitpunkt\)\./;

describe('sales decisions from the notification links', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** A qualified lead (hand-raiser) and the two links of its sales mail. */
  async function qualified(label: string, history: { download?: boolean } = {}) {
    const email = uniqueEmail(label);
    if (history.download) {
      expect((await stack.postJson('/forms/download', { email, firstName: 'Hanna', assetId: 'case-study-b2b' })).status).toBe(200);
      await stack.drain();
    }
    const mail = await qualifiedLead(stack, email);
    return { email, accept: decisionLink(mail, '/sales/accept'), recycle: decisionLink(mail, '/sales/recycle') };
  }

  async function decide(link: string, fields: Record<string, string> = {}): Promise<{ status: number; html: string }> {
    const response = await pressButton(link, fields);
    const html = await response.text();
    await stack.drain();
    return { status: response.status, html };
  }

  describe('accept', () => {
    it('GET shows a page whose button POSTs back to the link, and changes nothing', async () => {
      // Prepare
      const { email, accept } = await qualified('accept-get');
      const before = await stack.lead(email);

      // Act
      const response = await openLink(accept);
      const html = await response.text();
      await stack.drain();

      // Assess
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/html');
      expect(postFormAction(html)).toBe(accept);
      expect(html).toContain('Hanna Raiser als Sales Qualified Lead (SQL) annehmen?');
      expect(html).toContain('<button type="submit">Lead annehmen (SQL)</button>');
      expect(await stack.lead(email)).toEqual(before);
      expect(before).toMatchObject({ lifecycle: 'mql', salesDecision: null });
      expect(await eventsFor(stack, 'Lead Accepted', email)).toEqual([]);
    });

    it('POST makes the lead an SQL, stores the decision and emits Lead Accepted', async () => {
      // Prepare
      const { email, accept } = await qualified('accept-post');
      const action = postFormAction(await (await openLink(accept)).text());

      // Act
      const { status, html } = await decide(action);

      // Assess
      expect(status).toBe(200);
      expect(html).toMatch(ACCEPTED_BY_SALES);
      const lead = await stack.lead(email);
      expect(lead).toMatchObject({ lifecycle: 'sql', salesDecision: { decision: 'accepted', by: SALES_INBOX, kind: 'MQL', seq: 1 } });
      expect(lead!.salesDecision.reason).toBeUndefined();
      expect(Number.isNaN(Date.parse(lead!.salesDecision.at))).toBe(false);
      const accepted = await eventsFor(stack, 'Lead Accepted', email);
      expect(accepted).toHaveLength(1);
      expect(accepted[0]!.detail).toMatchObject({ at: lead!.salesDecision.at, decidedBy: SALES_INBOX, lead: { email, lifecycle: 'sql' } });
      const changes = (await eventsFor(stack, 'Lead Stage Changed', email)).map(
        (event) => `${event.detail.field}:${event.detail.from}->${event.detail.to}`,
      );
      expect(changes).toContain('lifecycle:mql->sql');
    });
  });

  describe('recycle', () => {
    it('GET shows the button with a reason to choose, and changes nothing', async () => {
      // Prepare
      const { email, recycle } = await qualified('recycle-get');
      const before = await stack.lead(email);

      // Act
      const response = await openLink(recycle);
      const html = await response.text();
      await stack.drain();

      // Assess
      expect(response.status).toBe(200);
      expect(postFormAction(html)).toBe(recycle);
      expect(html).toContain('<select id="field-reason" name="reason" required>');
      // No reason preselected: the first option is empty, so the required select refuses a post until one is chosen.
      const options = [...html.matchAll(/<option value="([^"]*)"( selected)?>/g)].map((match) => match[1]);
      expect(options).toEqual(['', 'not_a_fit', 'bad_timing', 'no_budget', 'other']);
      expect(html).not.toContain(' selected');
      expect(html).toContain('<button type="submit">Lead zurückstellen</button>');
      expect(await stack.lead(email)).toEqual(before);
      expect(await eventsFor(stack, 'Lead Recycled', email)).toEqual([]);
    });

    it('POST without a valid reason is a 400 naming the field, and changes nothing', async () => {
      // Prepare
      const { email, recycle } = await qualified('recycle-noreason');
      const before = await stack.lead(email);

      // Act
      const missing = await fetch(recycle, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: '',
      });
      // What the page's empty first option posts when the browser's own check is bypassed.
      const missingJson = await fetch(recycle, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ reason: '' }),
      });
      const unknown = await fetch(recycle, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ reason: 'too_expensive' }),
      });
      await stack.drain();

      // Assess
      expect(missing.status).toBe(400);
      // The browser's post gets the field-error page; its label for `reason` is shared/http/html-pages.ts's to give.
      expect(await missing.text()).toContain('<h1>Bitte prüfen Sie Ihre Eingaben</h1>');
      expect(missingJson.status).toBe(400);
      expect((await jsonOf(missingJson)).error.fields).toHaveProperty('reason');
      expect(unknown.status).toBe(400);
      expect((await jsonOf(unknown)).error.fields).toHaveProperty('reason');
      expect(await stack.lead(email)).toEqual(before);
      expect(await eventsFor(stack, 'Lead Recycled', email)).toEqual([]);
    });

    it(`POST sends the lead back to warm with engagement reset, stores reason and decider, \
pauses nurture 30 days and emits Lead Recycled`, async () => {
      // Prepare
      const { email, recycle } = await qualified('recycle-post', { download: true });
      expect(await stack.lead(email)).toMatchObject({ lifecycle: 'mql', engagementScore: 25, score: 40, qualification: 'qualified' });

      // Act
      const { status, html } = await decide(recycle, { reason: 'bad_timing' });

      // Assess
      expect(status).toBe(200);
      expect(html).toMatch(RECYCLED_BAD_TIMING);
      const lead = await stack.lead(email);
      expect(lead).toMatchObject({
        lifecycle: 'warm',
        engagementScore: 0,
        score: lead!.fitScore,
        salesDecision: { decision: 'recycled', reason: 'bad_timing', by: SALES_INBOX, kind: 'MQL', seq: 1 },
      });
      const recycled = await eventsFor(stack, 'Lead Recycled', email);
      expect(recycled).toHaveLength(1);
      expect(recycled[0]!.detail).toMatchObject({
        at: lead!.salesDecision.at,
        decidedBy: SALES_INBOX,
        reason: 'bad_timing',
        lead: { email, lifecycle: 'warm', engagementScore: 0, score: 15, qualification: 'unqualified' },
      });
      expect(lead).toMatchObject({ score: 15, qualification: 'unqualified' });
      expect(Date.parse(recycled[0]!.detail.nurtureResumesAt) - Date.parse(lead!.salesDecision.at)).toBe(30 * DAY_MS);
      expect(lead!.nurture.resumeAt).toBe(recycled[0]!.detail.nurtureResumesAt);
      const changes = (await eventsFor(stack, 'Lead Stage Changed', email)).map(
        (event) => `${event.detail.field}:${event.detail.from}->${event.detail.to}`,
      );
      expect(changes).toContain('lifecycle:mql->warm');
      expect(await eventsFor(stack, 'Lead Accepted', email)).toEqual([]);
    });

    it('notifies sales again when the recycled lead qualifies again, with links that answer the new qualification', async () => {
      // Prepare
      const { email, accept: firstAccept, recycle } = await qualified('requalify');
      await decide(recycle, { reason: 'no_budget' });
      expect(await stack.lead(email)).toMatchObject({ lifecycle: 'warm', engagementScore: 0, score: 15 });
      await stack.tick(24);

      // Act: a day later, three webinars: 15 + 3 × 30 points
      await attendWebinars(stack, email, ['requalify-1', 'requalify-2', 'requalify-3']);
      await stack.drain();

      // Assess
      const lead = await stack.lead(email);
      expect(lead).toMatchObject({ lifecycle: 'mql', score: 105, salesDecision: { decision: 'recycled', reason: 'no_budget' } });
      expect((await eventsFor(stack, 'Lead Qualified', email)).map((event) => event.detail.qualificationSeq)).toEqual([1, 2]);
      const mails = await salesMailsAbout(stack, email);
      expect(mails).toHaveLength(2);
      const secondAccept = decisionLink(mails[1]!, '/sales/accept');
      expect(tokenPayload(secondAccept).data).toMatchObject({ kind: 'MQL', seq: '2' });
      // the first mail's link answered the first qualification: it only shows the recycle
      const stale = await decide(firstAccept);
      expect(stale.html).toContain('Zurückgestellt von sales@example.com');
      expect((await stack.lead(email))!.lifecycle).toBe('mql');
      // the second mail's link decides the second qualification
      const fresh = await decide(secondAccept);
      expect(fresh.html).toMatch(ACCEPTED_BY_SALES);
      expect(await stack.lead(email)).toMatchObject({ lifecycle: 'sql', salesDecision: { decision: 'accepted', seq: 2 } });
      expect(await eventsFor(stack, 'Lead Accepted', email)).toHaveLength(1);
    });
  });

  describe('a link used twice or after the other decision', () => {
    it('accept used twice shows the acceptance and changes nothing', async () => {
      // Prepare
      const { email, accept } = await qualified('accept-twice');
      await decide(accept);
      const before = await stack.lead(email);

      // Act
      const again = await decide(accept);
      const page = await (await openLink(accept)).text();

      // Assess
      expect(again.status).toBe(200);
      expect(again.html).toMatch(ACCEPTED_BY_SALES);
      expect(again.html).toContain(salesDateTime(before!.salesDecision.at, 'de', 'Europe/Berlin'));
      expect(page).toMatch(ACCEPTED_BY_SALES);
      expect(page).not.toContain('<form');
      expect(await stack.lead(email)).toEqual(before);
      expect(await eventsFor(stack, 'Lead Accepted', email)).toHaveLength(1);
    });

    it('recycle used twice, with another reason, shows the first recycle and changes nothing', async () => {
      // Prepare
      const { email, recycle } = await qualified('recycle-twice');
      await decide(recycle, { reason: 'bad_timing' });
      const before = await stack.lead(email);

      // Act
      const again = await decide(recycle, { reason: 'not_a_fit' });

      // Assess
      expect(again.status).toBe(200);
      expect(again.html).toMatch(RECYCLED_BAD_TIMING);
      expect(await stack.lead(email)).toEqual(before);
      expect(await eventsFor(stack, 'Lead Recycled', email)).toHaveLength(1);
    });

    it('recycle after accept shows the acceptance; the lead stays an SQL', async () => {
      // Prepare
      const { email, accept, recycle } = await qualified('accept-then-recycle');
      await decide(accept);
      const before = await stack.lead(email);

      // Act
      const page = await (await openLink(recycle)).text();
      const posted = await decide(recycle, { reason: 'not_a_fit' });

      // Assess
      expect(page).toMatch(ACCEPTED_BY_SALES);
      expect(page).not.toContain('<form');
      expect(posted.status).toBe(200);
      expect(posted.html).toMatch(ACCEPTED_BY_SALES);
      expect(await stack.lead(email)).toEqual(before);
      expect(before!.lifecycle).toBe('sql');
      expect(await eventsFor(stack, 'Lead Recycled', email)).toEqual([]);
    });

    it('accept after recycle shows the recycle; the lead stays warm', async () => {
      // Prepare
      const { email, accept, recycle } = await qualified('recycle-then-accept');
      await decide(recycle, { reason: 'bad_timing' });
      const before = await stack.lead(email);

      // Act
      const posted = await decide(accept);

      // Assess
      expect(posted.status).toBe(200);
      expect(posted.html).toMatch(RECYCLED_BAD_TIMING);
      expect(await stack.lead(email)).toEqual(before);
      expect(before!.lifecycle).toBe('warm');
      expect(await eventsFor(stack, 'Lead Accepted', email)).toEqual([]);
    });

    it('accept and recycle pressed at the same moment: exactly one decision applies', async () => {
      // Prepare
      const { email, accept, recycle } = await qualified('race');

      // Act
      const [accepted, recycled] = await Promise.all([pressButton(accept), pressButton(recycle, { reason: 'other' })]);
      await stack.drain();

      // Assess
      expect([accepted.status, recycled.status]).toEqual([200, 200]);
      const lead = await stack.lead(email);
      const acceptedEvents = await eventsFor(stack, 'Lead Accepted', email);
      const recycledEvents = await eventsFor(stack, 'Lead Recycled', email);
      expect(acceptedEvents.length + recycledEvents.length).toBe(1);
      expect(lead!.lifecycle).toBe(acceptedEvents.length === 1 ? 'sql' : 'warm');
      expect(lead!.salesDecision.decision).toBe(acceptedEvents.length === 1 ? 'accepted' : 'recycled');
    });
  });

  // Last in this file: it moves the stack's clock 30 days on.
  it('rejects both links with 400 once 30 days have passed, and changes nothing', async () => {
    // Prepare
    const { email, accept, recycle } = await qualified('expired');
    const before = await stack.lead(email);
    const expiresAt = Date.parse(tokenPayload(accept).expiresAt);
    await stack.tick(30 * 24 - 1);
    expect((await openLink(accept)).status).toBe(200);

    // Act
    const now = await stack.tick(2);
    const get = await openLink(accept);
    const postAccept = await pressButton(accept);
    const postRecycle = await pressButton(recycle, { reason: 'other' });
    await stack.drain();

    // Assess
    expect(Date.parse(now)).toBeGreaterThan(expiresAt);
    expect([get.status, postAccept.status, postRecycle.status]).toEqual([400, 400, 400]);
    expect(await postAccept.text()).toMatch(/Invalid token: expired|abgelaufen/);
    const after = await stack.lead(email);
    expect(after).toMatchObject({ lifecycle: 'mql', salesDecision: null });
    expect(after!.leadId).toBe(before!.leadId);
    expect(await eventsFor(stack, 'Lead Accepted', email)).toEqual([]);
    expect(await eventsFor(stack, 'Lead Recycled', email)).toEqual([]);
  });
});
