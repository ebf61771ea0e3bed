import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack, uniqueEmail } from '../../support/test-stack';
import { raiseHand } from '../sales/sales-helpers';
import { consoleFetch, signIn } from './console-helpers';

interface Row {
  email: string;
  lifecycle: string;
  funnelStage: string | null;
  createdAt: string;
  [field: string]: unknown;
}

/** The lead list (GET /console/api/leads) over leads created on three days, with an empty day between them. */
describe('console lead list', () => {
  let stack: TestStack;
  let token: string;
  /** every lead of this file's table, newest first, as the lead view shows it */
  let leads: Row[];

  async function list(query: Record<string, string> = {}): Promise<{ status: number; body: any }> {
    const response = await consoleFetch(stack, { method: 'GET', path: `/console/api/leads?${new URLSearchParams(query)}`, token });
    return { status: response.status, body: await response.json() };
  }

  /** Every page of a list, following the cursor; the pages' rows in order. */
  async function allPages(query: Record<string, string>): Promise<{ rows: Row[]; pages: number }> {
    const rows: Row[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const { status, body } = await list({ ...query, ...(cursor ? { cursor } : {}) });
      expect(status).toBe(200);
      rows.push(...body.items);
      cursor = body.cursor;
      pages += 1;
      expect(pages).toBeLessThan(50);
    } while (cursor);
    return { rows, pages };
  }

  async function newsletter(email: string) {
    expect((await stack.postJson('/forms/newsletter', { email, firstName: 'Nora', marketingConsent: true })).status).toBe(200);
  }
  async function download(email: string, assetId: string) {
    expect((await stack.postJson('/forms/download', { email, firstName: 'Dora', company: 'Acme GmbH', assetId })).status).toBe(200);
  }

  beforeAll(async () => {
    stack = await startTestStack({ clockStartsAt: '2026-03-02T09:00:00.000Z' });
    const emails: string[] = [];
    const add = (label: string) => {
      const email = uniqueEmail(label);
      emails.push(email);
      return email;
    };
    // Day 1
    await newsletter(add('day1-news'));
    await download(add('day1-tofu'), 'ebook-lead-types');
    await stack.drain();
    await stack.tick(24);
    // Day 2
    await raiseHand(stack, add('day2-mql'));
    await newsletter(add('day2-news'));
    await stack.drain();
    // Day 3 stays empty; day 4
    await stack.tick(48);
    await download(add('day4-mofu'), 'pricing-guide');
    await raiseHand(stack, add('day4-mql'));
    await newsletter(add('day4-news'));
    await stack.drain();

    leads = [];
    for (const email of emails) leads.push((await stack.lead(email)) as Row);
    leads.sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
    token = await signIn(stack, uniqueEmail('seller', 'console.example'), ['sales']);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('lists every lead newest first, across days and over an empty one, with the row fields of the lead view', async () => {
    // Act
    const { status, body } = await list();

    // Assess
    expect(status).toBe(200);
    expect(body.cursor).toBeNull();
    expect(body.items.map((row: Row) => row.email)).toEqual(leads.map((lead) => lead.email));
    const newest = leads[0]!;
    expect(body.items[0]).toEqual({
      email: newest.email,
      firstName: newest.firstName,
      lastName: newest.lastName,
      company: newest.company,
      lifecycle: newest.lifecycle,
      qualification: newest.qualification,
      funnelStage: newest.funnelStage,
      pql: newest.pql,
      score: newest.score,
      createdAt: newest.createdAt,
      updatedAt: expect.any(String),
    });
  });

  it.each([1, 2, 4])('pages with limit=%i follow each other without a repeat or a gap', async (limit) => {
    // Act
    const { rows, pages } = await allPages({ limit: String(limit) });

    // Assess
    expect(rows.map((row) => row.email)).toEqual(leads.map((lead) => lead.email));
    expect(pages).toBeGreaterThanOrEqual(Math.ceil(leads.length / limit));
  });

  it('filters by lifecycle and by funnel stage, page by page', async () => {
    // Prepare
    const lifecycles = [...new Set(leads.map((lead) => lead.lifecycle))];
    expect(lifecycles.length).toBeGreaterThanOrEqual(2);

    for (const lifecycle of lifecycles) {
      // Act
      const { rows } = await allPages({ lifecycle, limit: '1' });

      // Assess
      expect(rows.map((row) => row.email)).toEqual(leads.filter((lead) => lead.lifecycle === lifecycle).map((lead) => lead.email));
    }
    const { rows: tofu } = await allPages({ funnelStage: 'tofu' });
    expect(tofu.map((row) => row.email)).toEqual(leads.filter((lead) => lead.funnelStage === 'tofu').map((lead) => lead.email));
    expect(tofu.length).toBeGreaterThan(0);
  });

  it('lifecycle=mql lists the MQLs sales has not decided, newest MQL first, from the sales queue', async () => {
    // Prepare
    const mqls = leads.filter((lead) => lead.lifecycle === 'mql').map((lead) => lead.email);
    expect(mqls).toHaveLength(2);

    // Act
    const { rows } = await allPages({ lifecycle: 'mql', limit: '1' });

    // Assess
    expect(rows.map((row) => row.email)).toEqual(mqls);
  });

  it('q finds one lead by its exact address (any case), and nothing for an unknown one', async () => {
    // Prepare
    const wanted = leads[3]!;

    // Act
    const found = await list({ q: wanted.email.toUpperCase() });
    const unknown = await list({ q: uniqueEmail('nobody') });
    const otherLifecycle = await list({ q: wanted.email, lifecycle: wanted.lifecycle === 'mql' ? 'cold' : 'mql' });

    // Assess
    expect(found.status).toBe(200);
    expect(found.body).toEqual({ items: [expect.objectContaining({ email: wanted.email, createdAt: wanted.createdAt })], cursor: null });
    expect(unknown.body).toEqual({ items: [], cursor: null });
    expect(otherLifecycle.body).toEqual({ items: [], cursor: null });
  });

  it.each([
    [{ limit: '0' }, 'limit'],
    [{ limit: '101' }, 'limit'],
    [{ limit: 'ten' }, 'limit'],
    [{ lifecycle: 'hot' }, 'lifecycle'],
    [{ funnelStage: 'top' }, 'funnelStage'],
    [{ q: 'not-an-address' }, 'q'],
    [{ cursor: 'garbage' }, 'cursor'],
  ])('%o is a 400 naming %s', async (query, field) => {
    // Act
    const { status, body } = await list(query);

    // Assess
    expect(status).toBe(400);
    expect(Object.keys(body.error.fields)).toEqual([field]);
  });

  it('a cursor works only for the list that gave it: edited, or with other filters, it is a 400 naming cursor', async () => {
    // Prepare
    const { body } = await list({ limit: '1' });
    const cursor = body.cursor as string;
    const [payload, signature] = cursor.split('.');
    const decoded = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'));
    const edited = `${Buffer.from(JSON.stringify({ ...decoded, partition: '2020-01-01' })).toString('base64url')}.${signature}`;

    // Act
    const otherFilter = await list({ limit: '1', lifecycle: 'cold', cursor });
    const tampered = await list({ limit: '1', cursor: edited });
    const same = await list({ limit: '1', cursor });

    // Assess
    expect(otherFilter.status).toBe(400);
    expect(otherFilter.body.error.fields).toHaveProperty('cursor');
    expect(tampered.status).toBe(400);
    expect(tampered.body.error.fields).toHaveProperty('cursor');
    expect(same.status).toBe(200);
    expect(same.body.items[0].email).toBe(leads[1]!.email);
  });
});
