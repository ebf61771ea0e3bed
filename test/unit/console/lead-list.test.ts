import { describe, expect, it } from 'vitest';
import type { ConsoleStore, LeadListRow, ListKey, ListQuery } from '../../../shared/console/console-store';
import { SALES_QUEUE_UNDECIDED } from '../../../shared/console/console-store';
import { LIST_HORIZON_DAYS, listLeads, MAX_ITEMS_READ_PER_PAGE, parseLeadListQuery } from '../../../shared/console/lead-list';
import { ValidationError } from '../../../shared/http/http-errors';

const KEYS = ['current-key-0123456789'];
const NOW = '2026-06-30T12:00:00.000Z';
const DAY_MS = 86_400_000;

interface FakeLead {
  leadId: string;
  row: LeadListRow;
  createdDay: string;
  mqlAt?: string;
}

/** The two list indexes in memory, with DynamoDB's Query semantics: Limit counts items read before the filter. */
function fakeStore(leads: FakeLead[]): ConsoleStore & { reads: number[]; queries: number } {
  const store = {
    reads: [] as number[],
    queries: 0,
    async queryList(query: ListQuery) {
      store.queries += 1;
      const sortKey = query.index === 'recent' ? 'createdAt' : 'mqlAt';
      const partition = leads
        .filter((lead) =>
          query.index === 'recent' ? lead.createdDay === query.partition : lead.mqlAt && query.partition === SALES_QUEUE_UNDECIDED,
        )
        .map((lead) => ({ lead, sort: query.index === 'recent' ? lead.row.createdAt : lead.mqlAt! }))
        .sort((a, b) => (a.sort < b.sort ? 1 : a.sort > b.sort ? -1 : a.lead.leadId < b.lead.leadId ? 1 : -1));
      const keyOf = (entry: (typeof partition)[number]): ListKey => ({
        pk: `LEAD#${entry.lead.leadId}`,
        sk: 'PROFILE',
        [query.index === 'recent' ? 'createdDay' : 'salesQueue']: query.partition,
        [sortKey]: entry.sort,
      });
      const start = query.startKey ? partition.findIndex((entry) => keyOf(entry).pk === query.startKey!.pk) + 1 : 0;
      const read = partition.slice(start, start + query.limit);
      const matches = read.filter(
        ({ lead }) =>
          (!query.filter.lifecycle || lead.row.lifecycle === query.filter.lifecycle) &&
          (!query.filter.funnelStage || lead.row.funnelStage === query.filter.funnelStage),
      );
      store.reads.push(read.length);
      return {
        rows: matches.map((entry) => ({ row: entry.lead.row, leadId: entry.lead.leadId, key: keyOf(entry) })),
        ...(start + query.limit < partition.length ? { lastKey: keyOf(read.at(-1)!) } : {}),
        read: read.length,
      };
    },
    async getLeadRow() {
      return undefined;
    },
    isListKey: (_index: string, _partition: string, key: Record<string, unknown>): key is ListKey => typeof key.pk === 'string',
  };
  return store;
}

/** `count` leads spread over the last `days` days (some days empty), each third one cold, each fifth an MQL. */
function leadsOver(count: number, days: number): FakeLead[] {
  return Array.from({ length: count }, (_, i) => {
    const createdAt = new Date(Date.parse(NOW) - ((i * 7919) % (days * 24)) * 3_600_000 - i).toISOString();
    const lifecycle = i % 5 === 0 ? 'mql' : i % 3 === 0 ? 'cold' : 'warm';
    return {
      leadId: `L${String(i).padStart(5, '0')}`,
      createdDay: createdAt.slice(0, 10),
      ...(lifecycle === 'mql' ? { mqlAt: createdAt } : {}),
      row: {
        email: `lead-${i}@example.com`,
        firstName: null,
        lastName: null,
        company: null,
        lifecycle,
        qualification: 'unqualified',
        funnelStage: i % 2 === 0 ? 'tofu' : null,
        pql: false,
        score: i,
        createdAt,
        updatedAt: createdAt,
      },
    } satisfies FakeLead;
  });
}

/** Every page of a list; `readsPerPage`: the items each page's Queries read. */
async function everyPage(store: ReturnType<typeof fakeStore>, query: Record<string, string>) {
  const emails: string[] = [];
  const readsPerPage: number[] = [];
  let cursor: string | null = null;
  do {
    const request = parseLeadListQuery({ ...query, ...(cursor ? { cursor } : {}) });
    const before = store.reads.length;
    const page = await listLeads(request, { store, leadIdKey: 'k', cursorKeys: KEYS, at: NOW });
    readsPerPage.push(store.reads.slice(before).reduce((sum, read) => sum + read, 0));
    emails.push(...page.items.map((row) => row.email));
    cursor = page.cursor;
  } while (cursor && readsPerPage.length < 500);
  return { emails, readsPerPage };
}

describe('lead list walk', () => {
  const leads = leadsOver(400, 90);
  const newestFirst = [...leads].sort((a, b) => (a.row.createdAt < b.row.createdAt ? 1 : -1));

  it.each(['1', '7', '25', '100'])('limit=%s: the pages together are every lead, newest first, none twice', async (limit) => {
    // Prepare
    const store = fakeStore(leads);

    // Act
    const { emails } = await everyPage(store, { limit });

    // Assess
    expect(emails).toEqual(newestFirst.map((lead) => lead.row.email));
  });

  it.each([
    [{ lifecycle: 'cold' }, (lead: FakeLead) => lead.row.lifecycle === 'cold'],
    [{ funnelStage: 'tofu' }, (lead: FakeLead) => lead.row.funnelStage === 'tofu'],
    [{ lifecycle: 'warm', funnelStage: 'tofu' }, (lead: FakeLead) => lead.row.lifecycle === 'warm' && lead.row.funnelStage === 'tofu'],
  ])('%o: every matching lead, in order, over pages of bounded reads', async (filter, matches) => {
    // Prepare
    const store = fakeStore(leads);

    // Act
    const { emails } = await everyPage(store, { ...filter, limit: '10' });

    // Assess
    expect(emails).toEqual(newestFirst.filter(matches).map((lead) => lead.row.email));
  });

  it('lifecycle=mql walks the sales queue, newest MQL first', async () => {
    // Prepare
    const store = fakeStore(leads);

    // Act
    const { emails } = await everyPage(store, { lifecycle: 'mql', limit: '3' });

    // Assess
    expect(emails).toEqual(newestFirst.filter((lead) => lead.mqlAt).map((lead) => lead.row.email));
  });

  it('a page never reads more than its bound, however selective the filter', async () => {
    // Prepare: 3000 leads on one day, one of them sql
    const crowded = leadsOver(3000, 1).map(
      (lead, i) => ({ ...lead, row: { ...lead.row, lifecycle: i === 2500 ? 'sql' : 'warm' } }) as FakeLead,
    );
    const store = fakeStore(crowded);

    // Act
    const { emails, readsPerPage } = await everyPage(store, { lifecycle: 'sql' });

    // Assess
    expect(emails).toEqual([crowded[2500]!.row.email]);
    expect(readsPerPage.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...readsPerPage)).toBeLessThanOrEqual(MAX_ITEMS_READ_PER_PAGE);
    expect(readsPerPage.reduce((sum, read) => sum + read, 0)).toBe(3000);
  });

  it('ends at the horizon, and remembers empty days that can gain no lead any more', async () => {
    // Prepare: one lead today, one just inside the horizon, one beyond it
    const today = leadsOver(1, 1)[0]!;
    const at = (days: number) => new Date(Date.parse(NOW) - days * DAY_MS).toISOString();
    const inside = {
      ...today,
      leadId: 'Linside',
      createdDay: at(LIST_HORIZON_DAYS).slice(0, 10),
      row: { ...today.row, email: 'inside@example.com', createdAt: at(LIST_HORIZON_DAYS) },
    };
    const beyond = {
      ...today,
      leadId: 'Lbeyond',
      createdDay: at(LIST_HORIZON_DAYS + 1).slice(0, 10),
      row: { ...today.row, email: 'beyond@example.com', createdAt: at(LIST_HORIZON_DAYS + 1) },
    };
    const store = fakeStore([today, inside, beyond]);

    // Act
    const first = await everyPage(store, {});
    const queriesOfFirst = store.queries;
    const second = await everyPage(store, {});

    // Assess
    expect(first.emails).toEqual([today.row.email, 'inside@example.com']);
    expect(second.emails).toEqual(first.emails);
    expect(queriesOfFirst).toBeGreaterThan(LIST_HORIZON_DAYS);
    expect(store.queries - queriesOfFirst).toBeLessThan(40);
  });

  it('refuses a cursor signed with another key', async () => {
    // Prepare
    const store = fakeStore(leads);
    const page = await listLeads(parseLeadListQuery({ limit: '5' }), { store, leadIdKey: 'k', cursorKeys: KEYS, at: NOW });

    // Act
    const act = listLeads(parseLeadListQuery({ limit: '5', cursor: page.cursor! }), {
      store,
      leadIdKey: 'k',
      cursorKeys: ['another-key-0123456789'],
      at: NOW,
    });

    // Assess
    await expect(act).rejects.toThrow(ValidationError);
  });
});
