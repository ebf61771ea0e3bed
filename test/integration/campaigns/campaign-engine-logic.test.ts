/**
 * The campaign engine's use-case logic without I/O (shared/campaigns/campaign-engine*.ts): planning pages into
 * recipient messages, deciding "finished", pacing to the SES rate, and a send batch's item failures. The stores and
 * queues are in-memory fakes of the ports; the local-stack test (campaign-engine.test.ts) runs the real ones.
 */
import { describe, expect, it } from 'vitest';
import { type Campaign, emptyCounts, type CampaignStatus } from '../../../shared/campaigns/campaign';
import {
  type CampaignEngineStore,
  type CampaignProgress,
  isComplete,
  type PlanMessage,
  planPage,
  RECIPIENTS_PER_MESSAGE,
  recipientMessages,
  type SendMessage,
  startCampaign,
} from '../../../shared/campaigns/campaign-engine';
import {
  FALLBACK_MAX_SEND_RATE,
  Pacer,
  processSendRecords,
  type SenderDeps,
  SendQuota,
  sendRatePerInvocation,
} from '../../../shared/campaigns/campaign-engine-sender';
import type { AudienceRow } from '../../../shared/campaigns/campaign';

const NOW = '2027-01-10T08:00:00.000Z';

function campaign(overrides: Partial<Campaign> = {}): Campaign {
  const copy = { subject: 's', preheader: 'p', html: 'h', text: 't' };
  return {
    id: 'c1',
    name: 'c1',
    audience: {},
    content: { de: copy, en: copy },
    status: 'sending',
    sendAt: NOW,
    contentHash: 'x',
    createdAt: NOW,
    updatedAt: NOW,
    counts: emptyCounts(),
    ...overrides,
  };
}

/** The engine store's semantics in memory: counted once per marker. */
function memoryEngine(): CampaignEngineStore & { progress: Map<string, CampaignProgress>; starts: Set<string> } {
  const progress = new Map<string, CampaignProgress>();
  const markers = new Set<string>();
  const starts = new Set<string>();
  const of = (id: string) => progress.get(id) ?? { shards: 0, shardsPlanned: 0, enqueued: 0, processed: 0 };
  const count = (id: string, marker: string, add: Partial<CampaignProgress>) => {
    if (!markers.has(marker)) {
      markers.add(marker);
      const p = of(id);
      progress.set(id, {
        ...p,
        shardsPlanned: p.shardsPlanned + (add.shardsPlanned ?? 0),
        enqueued: p.enqueued + (add.enqueued ?? 0),
        processed: p.processed + (add.processed ?? 0),
      });
    }
    return Promise.resolve(of(id));
  };
  return {
    progress,
    starts,
    scheduleStart: async (id, at) => void starts.add(`${at}#${id}`),
    dueStarts: async (now) =>
      [...starts].filter((key) => key <= `${now}#~`).map((key) => ({ sendAt: key.split('#')[0]!, campaignId: key.split('#')[1]! })),
    removeStart: async (id, at) => void starts.delete(`${at}#${id}`),
    getProgress: async (id) => progress.get(id),
    initProgress: async (id, shards) => void progress.set(id, { ...of(id), shards: of(id).shards || shards }),
    recordPagePlanned: (id, key, recipients, last) => count(id, `PAGE#${key}`, { enqueued: recipients, shardsPlanned: last ? 1 : 0 }),
    recordBatchDone: (id, batchId, recipients) => count(id, `BATCH#${batchId}`, { processed: recipients }),
  };
}

function memoryCampaigns(initial: Campaign, pages: Record<string, Array<{ rows: AudienceRow[]; cursor?: string }>> = {}) {
  let stored = initial;
  const transitions: string[] = [];
  return {
    transitions,
    get current() {
      return stored;
    },
    getCampaign: async (id: string) => (id === stored.id ? stored : undefined),
    transition: async (_id: string, from: readonly CampaignStatus[], to: CampaignStatus) => {
      if (!from.includes(stored.status)) return false;
      stored = { ...stored, status: to };
      transitions.push(to);
      return true;
    },
    listAudiencePage: async (shard: string, cursor: string | undefined) => pages[shard]![cursor ? Number(cursor) : 0]!,
  };
}

const rows = (n: number, from = 0): AudienceRow[] =>
  Array.from({ length: n }, (_, i) => ({ leadId: `l${from + i}`, locale: 'de', score: from + i }));

describe('planning', () => {
  it('cuts a page into messages of at most 50 recipients of the audience, with ids that are the same on every replan', () => {
    // Prepare
    const message: PlanMessage = { campaignId: 'c1', shard: 'SUB#3', page: 2 };

    // Act
    const all = recipientMessages(campaign(), message, rows(120));
    const again = recipientMessages(campaign(), message, rows(120));
    const scored = recipientMessages(campaign({ audience: { minScore: 100 } }), message, rows(120));

    // Assess
    expect(all.map((send) => send.leadIds.length)).toEqual([50, 50, 20]);
    expect(all.map((send) => send.batchId)).toEqual(['SUB#3:2:0', 'SUB#3:2:1', 'SUB#3:2:2']);
    expect(again).toEqual(all);
    expect(scored.flatMap((send) => send.leadIds)).toEqual([
      'l100',
      'l101',
      'l102',
      'l103',
      'l104',
      'l105',
      'l106',
      'l107',
      'l108',
      'l109',
      'l110',
      'l111',
      'l112',
      'l113',
      'l114',
      'l115',
      'l116',
      'l117',
      'l118',
      'l119',
    ]);
    expect(RECIPIENTS_PER_MESSAGE).toBe(50);
  });

  it('starts once: a plan message per shard, pages chain to the end, each counted once; not complete before every send', async () => {
    // Prepare: shard A has two pages, shard B one empty page
    const pages = { A: [{ rows: rows(60), cursor: '1' }, { rows: rows(10, 60) }], B: [{ rows: [] }] };
    const campaigns = memoryCampaigns(campaign({ status: 'scheduled' }), pages);
    const engine = memoryEngine();
    const plans: PlanMessage[] = [];
    const sends: SendMessage[] = [];
    const deps = {
      campaigns,
      engine,
      queues: {
        enqueuePlans: async (m: readonly PlanMessage[]) => void plans.push(...m),
        enqueueSends: async (m: readonly SendMessage[]) => void sends.push(...m),
      },
      shards: ['A', 'B'],
    };

    // Act
    const first = await startCampaign(deps, 'c1', NOW, NOW);
    const second = await startCampaign(deps, 'c1', NOW, NOW);
    const outcomes = [];
    while (plans.length > 0) outcomes.push(await planPage(deps, plans.shift()!, NOW));
    // a redelivered first page of A: the same batches again, counted once
    await planPage(deps, { campaignId: 'c1', shard: 'A', page: 0 }, NOW);

    // Assess
    expect([first, second]).toEqual(['started', 'already-started']);
    expect(sends.map((send) => send.batchId)).toEqual(['A:0:0', 'A:0:1', 'A:1:0', 'A:0:0', 'A:0:1']);
    expect(engine.progress.get('c1')).toEqual({ shards: 2, shardsPlanned: 2, enqueued: 70, processed: 0 });
    expect(outcomes.some((outcome) => outcome.finished)).toBe(false);
    expect(isComplete(engine.progress.get('c1')!)).toBe(false);
    expect(isComplete({ shards: 2, shardsPlanned: 2, enqueued: 70, processed: 70 })).toBe(true);
    // shards unknown yet (a page counted before the start stored them): never complete
    expect(isComplete({ shards: 0, shardsPlanned: 0, enqueued: 0, processed: 0 })).toBe(false);
  });

  it('a cancelled campaign plans no further page', async () => {
    // Prepare
    const campaigns = memoryCampaigns(campaign({ status: 'cancelled' }), { A: [{ rows: rows(5) }] });
    const sends: SendMessage[] = [];
    const deps = {
      campaigns,
      engine: memoryEngine(),
      queues: { enqueuePlans: async () => undefined, enqueueSends: async (m: readonly SendMessage[]) => void sends.push(...m) },
    };

    // Act
    const outcome = await planPage(deps, { campaignId: 'c1', shard: 'A', page: 0 }, NOW);

    // Assess
    expect(outcome.stopped).toBe('cancelled');
    expect(sends).toEqual([]);
  });
});

describe('sending a batch', () => {
  function senderDeps(overrides: Partial<SenderDeps> = {}) {
    const campaigns = memoryCampaigns(campaign());
    const engine = memoryEngine();
    engine.progress.set('c1', { shards: 1, shardsPlanned: 1, enqueued: 4, processed: 0 });
    const sent: string[] = [];
    const deps: SenderDeps = {
      campaigns,
      engine,
      sendToRecipient: async (_campaign, leadId) => {
        sent.push(leadId);
        return { kind: 'sent' };
      },
      isBackOff: (error) => error instanceof Error && error.message === 'throttled',
      pace: async () => undefined,
      remainingMs: () => 60_000,
      ...overrides,
    };
    return { deps, sent, campaigns, engine };
  }
  const record = (id: string, leadIds: string[], batchId = id) => ({
    messageId: id,
    body: JSON.stringify({ campaignId: 'c1', batchId, leadIds }),
    now: NOW,
  });

  it('sends every lead, counts each message once, and the last one finishes the campaign', async () => {
    // Prepare
    const { deps, sent, campaigns } = senderDeps();

    // Act
    const report = await processSendRecords(
      [record('m1', ['a', 'b']), record('m1-again', ['a', 'b'], 'm1'), record('m2', ['c', 'd'])],
      deps,
    );
    // after the finish, a late duplicate finds the campaign finished: nothing to do
    const late = await processSendRecords([record('m2-again', ['c', 'd'], 'm2')], deps);

    // Assess: the fake sends again (the claims are send-campaign-mail's); the counter counts each batch once
    expect(sent).toEqual(['a', 'b', 'a', 'b', 'c', 'd']);
    expect(late.outcomes.sent).toBe(0);
    expect(report.batchItemFailures).toEqual([]);
    expect(report.finished).toEqual(['c1']);
    expect(campaigns.transitions).toEqual(['finished']);
  });

  it('on a throttle, the message and every one after it are batch item failures; nothing after the throttle is sent', async () => {
    // Prepare
    const { deps, sent, engine } = senderDeps({
      sendToRecipient: async (_campaign, leadId) => {
        if (leadId === 'b') throw new Error('throttled');
        sent.push(leadId);
        return { kind: 'sent' };
      },
    });

    // Act
    const report = await processSendRecords([record('m0', ['x']), record('m1', ['a', 'b', 'z']), record('m2', ['c'])], deps);

    // Assess
    expect(sent).toEqual(['x', 'a']);
    expect(report.throttled).toBe(true);
    expect(report.batchItemFailures).toEqual([{ itemIdentifier: 'm1' }, { itemIdentifier: 'm2' }]);
    expect(engine.progress.get('c1')?.processed).toBe(1);
  });

  it('any other error fails that message only; a malformed message fails; a cancelled campaign sends nothing and is done', async () => {
    // Prepare
    const { deps, sent } = senderDeps({
      sendToRecipient: async (_campaign, leadId) => {
        if (leadId === 'bad') throw new Error('boom');
        sent.push(leadId);
        return { kind: 'sent' };
      },
    });
    const cancelled = senderDeps({ campaigns: memoryCampaigns(campaign({ status: 'cancelled' })) });

    // Act
    const report = await processSendRecords(
      [record('m1', ['bad', 'never']), { messageId: 'junk', body: '{', now: NOW }, record('m3', ['ok'])],
      deps,
    );
    const cancelledReport = await processSendRecords([record('m1', ['a'])], cancelled.deps);

    // Assess
    expect(sent).toEqual(['ok']);
    expect(report.batchItemFailures).toEqual([{ itemIdentifier: 'm1' }, { itemIdentifier: 'junk' }]);
    expect(cancelled.sent).toEqual([]);
    expect(cancelledReport.batchItemFailures).toEqual([]);
  });

  it('sends up to inFlight at once, and after a throttle starts no further send', async () => {
    // Prepare
    let running = 0;
    let most = 0;
    const { deps, sent } = senderDeps({
      inFlight: 3,
      sendToRecipient: async (_campaign, leadId) => {
        running += 1;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running -= 1;
        if (leadId === 'l7') throw new Error('throttled');
        sent.push(leadId);
        return { kind: 'sent' };
      },
    });
    const leadIds = Array.from({ length: 20 }, (_, i) => `l${i}`);

    // Act
    const report = await processSendRecords([record('m1', leadIds)], deps);

    // Assess
    expect(most).toBe(3);
    expect(report.throttled).toBe(true);
    expect(report.batchItemFailures).toEqual([{ itemIdentifier: 'm1' }]);
    // the two sends in flight with l7 may finish; none starts after it failed
    expect(sent.length).toBeLessThanOrEqual(9);
    expect(sent).not.toContain('l10');
  });

  it('near the end of the invocation, what is left goes back to the queue', async () => {
    // Prepare: 25 s left, 8 s per send (the reserve is 10 s)
    let left = 25_000;
    const { deps, sent } = senderDeps({
      remainingMs: () => left,
      pace: async () => {
        left -= 8_000;
      },
    });

    // Act
    const report = await processSendRecords([record('m1', ['a', 'b', 'c']), record('m2', ['d'])], deps);

    // Assess
    expect(sent).toEqual(['a', 'b']);
    expect(report.batchItemFailures).toEqual([{ itemIdentifier: 'm1' }, { itemIdentifier: 'm2' }]);
  });
});

describe('keeping the SES rate', () => {
  it('divides MaxSendRate × share among the concurrent invocations: rate × maxConcurrency ≤ MaxSendRate × share', () => {
    // Act / Assess
    expect(sendRatePerInvocation(14, 0.8, 2)).toBeCloseTo(5.6);
    expect(sendRatePerInvocation(200, 0.8, 2) * 2).toBeLessThanOrEqual(200 * 0.8);
    expect(sendRatePerInvocation(1, 0.8, 1000)).toBe(0.1);
  });

  it('the pacer spaces sends 1/rate apart on the clock it is given', async () => {
    // Prepare
    let now = 0;
    const starts: number[] = [];
    const pacer = new Pacer(4, { nowMs: () => now, sleep: async (ms) => void (now += ms) });

    // Act
    for (let i = 0; i < 5; i += 1) {
      await pacer.take();
      starts.push(now);
    }

    // Assess
    expect(starts).toEqual([0, 250, 500, 750, 1000]);
  });

  it('reads GetAccount once per 5 minutes, halves on a throttle until the next read, falls back to 1/s without it', async () => {
    // Prepare
    let now = 0;
    let reads = 0;
    let failing = false;
    const quota = new SendQuota(
      async () => {
        reads += 1;
        if (failing) throw new Error('AccessDenied');
        return 14;
      },
      () => now,
    );

    // Act: two invocations starting together share the first read
    const [first] = await Promise.all([quota.maxSendRate(), quota.maxSendRate()]);
    now += 60_000;
    const cached = await quota.maxSendRate();
    quota.throttled();
    const halved = await quota.maxSendRate();
    now += 5 * 60_000;
    failing = true;
    const fallback = await quota.maxSendRate();

    // Assess
    expect([first, cached, halved, fallback]).toEqual([14, 14, 7, FALLBACK_MAX_SEND_RATE]);
    expect(reads).toBe(2);
  });
});
