import { describe, expect, it } from 'vitest';
import { FUNNEL_STAGES, LIFECYCLES } from '../../../shared/domain/lead';
import { firstTouchOf, type FirstTouch, type ProjectionChange } from '../../../shared/reporting/funnel-projection';
import {
  decodeFunnelDay,
  decodeTotals,
  type ProjectionItems,
  applyInMemory,
  storedAttributes,
} from '../../../shared/reporting/funnel-projection-items';
import type { FunnelProjectionWriter } from '../../../shared/reporting/funnel-projection-store';
import { buildFunnelReport, type LeadStageRecord } from '../../../shared/reporting/funnel-report';
import { conversionOf } from '../../../shared/reporting/funnel-read-model';
import { projectFunnelEvent, type ProjectedEvent } from '../../../shared/reporting/project-funnel';
import { FunnelRebuild } from '../../../shared/reporting/rebuild-funnel';

/** A writer that applies changes in memory, with claims, and answers look-ups from fixed data. */
function memoryWriter(touches: Record<string, FirstTouch> = {}, messages: Record<string, { templateId?: string; category?: string }> = {}) {
  const items: ProjectionItems = new Map();
  const claims = new Set<string>();
  const lookups: string[] = [];
  const writer: FunnelProjectionWriter = {
    async apply(claim, change: ProjectionChange) {
      if (claims.has(claim.id)) return 'duplicate';
      claims.add(claim.id);
      applyInMemory(items, change);
      return 'applied';
    },
    async firstTouch(leadId) {
      lookups.push(`touch:${leadId}`);
      return touches[leadId] ?? firstTouchOf({ type: '(unknown)' });
    },
    async sentMessage(messageId) {
      lookups.push(`message:${messageId}`);
      return messages[messageId];
    },
  };
  return { writer, items, claims, lookups };
}

const at = '2026-05-04T09:00:00.000Z';
const event = <E extends ProjectedEvent>(e: Omit<E, 'time'>): E => ({ time: at, ...e }) as E;

describe('projectFunnelEvent', () => {
  it('counts a created lead once, even when the relay published its event twice under two ids', async () => {
    // Prepare
    const touch = firstTouchOf({ type: 'download', attribution: { utm_source: 'newsletter' } });
    const { writer, items } = memoryWriter({ L1: touch });
    const detail = { leadId: 'L1', interactionId: 'i1', type: 'download', at, consentRequested: false, leadCreated: true } as const;

    // Act
    const first = await projectFunnelEvent(event({ id: 'e1', detailType: 'Interaction Recorded', detail }), { store: writer });
    const again = await projectFunnelEvent(event({ id: 'e2', detailType: 'Interaction Recorded', detail }), { store: writer });

    // Assess
    expect([first, again]).toEqual(['applied', 'duplicate']);
    const day = decodeFunnelDay('2026-05-04', storedAttributes(items.get('funnel-day|2026-05-04')!));
    expect(day).toMatchObject({ created: 1, bySource: { newsletter: { leads: 1 } } });
  });

  it('ignores an interaction that did not create its lead, without any read', async () => {
    // Prepare
    const { writer, lookups, claims } = memoryWriter();
    const detail = { leadId: 'L1', interactionId: 'i2', type: 'email_open', at, consentRequested: false } as const;

    // Act
    const outcome = await projectFunnelEvent(event({ id: 'e3', detailType: 'Interaction Recorded', detail }), { store: writer });

    // Assess
    expect(outcome).toBe('ignored');
    expect(lookups).toEqual([]);
    expect(claims.size).toBe(0);
  });

  it('reads the first touch only for a lifecycle change to mql or sql', async () => {
    // Prepare
    const { writer, lookups } = memoryWriter();
    const change = (field: 'lifecycle' | 'funnelStage', from: string | null, to: string) =>
      event({ id: `${field}-${to}`, detailType: 'Lead Stage Changed', detail: { leadId: 'L2', field, from, to, at } } as never);

    // Act
    await projectFunnelEvent(change('funnelStage', null, 'tofu'), { store: writer });
    await projectFunnelEvent(change('lifecycle', 'cold', 'warm'), { store: writer });
    await projectFunnelEvent(change('lifecycle', 'warm', 'mql'), { store: writer });

    // Assess
    expect(lookups).toEqual(['touch:L2']);
  });

  it('counts mail per template from its tags, once per message and kind, and leaves sales mail out', async () => {
    // Prepare
    const { writer, items, lookups } = memoryWriter({}, { untagged: { templateId: 'tofu-2', category: 'marketing' } });
    const opened = (id: string, messageId: string, tags?: Record<string, string[]>) =>
      event({
        id,
        detailType: 'Email Opened',
        detail: { eventType: 'Open', mail: { messageId, ...(tags ? { tags } : {}) }, open: { timestamp: '2026-05-05T08:00:00Z' } },
      } as never);

    // Act
    const outcomes = [
      await projectFunnelEvent(opened('o1', 'm1', { template: ['opt-in'], category: ['system'] }), { store: writer }),
      await projectFunnelEvent(opened('o2', 'm1', { template: ['opt-in'], category: ['system'] }), { store: writer }),
      await projectFunnelEvent(opened('o3', 'untagged'), { store: writer }),
      await projectFunnelEvent(opened('o4', 'm9', { template: ['sales-notification'], category: ['sales'] }), { store: writer }),
    ];

    // Assess
    expect(outcomes).toEqual(['applied', 'duplicate', 'applied', 'ignored']);
    expect(lookups).toEqual(['message:untagged']);
    const attributes = storedAttributes(items.get('email-day|2026-05-05')!);
    expect(attributes['template|opened|opt-in']).toBe(1);
    expect(attributes['template|opened|tofu-2']).toBe(1);
  });
});

describe('FunnelRebuild', () => {
  it('gives the totals and conversion a recount of the same profiles gives (ever MQL included)', () => {
    // Prepare: 300 pseudo-random profiles, recycled MQLs among them
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)]!;
    const profiles = Array.from({ length: 300 }, (_, n) => {
      const lifecycle = pick(LIFECYCLES);
      const recycled = lifecycle === 'warm' && random() < 0.3;
      return {
        pk: `LEAD#l${n}`,
        sk: 'PROFILE',
        createdAt: `2026-0${1 + (n % 9)}-1${n % 10}T10:00:00.000Z`,
        lifecycle,
        qualification: pick(['qualified', 'unqualified'] as const),
        funnelStage: pick([...FUNNEL_STAGES, null]),
        pql: random() < 0.2,
        ...(lifecycle === 'mql' || lifecycle === 'sql' || recycled ? { mqlAt: '2026-09-01T00:00:00.000Z', qualificationSeq: 1 } : {}),
      };
    });
    const rebuild = new FunnelRebuild();

    // Act
    for (const profile of profiles) rebuild.add(profile);
    rebuild.add({ pk: 'LEAD#gone', sk: 'INTERACTION#2026-01-01T00:00:00.000Z#x', type: 'download' });
    const { items, leads } = rebuild.result();

    // Assess
    const totals = decodeTotals(storedAttributes(items.get('totals')!));
    const recount = buildFunnelReport(profiles as LeadStageRecord[]);
    expect(leads).toBe(300);
    expect({ ...totals, reachedWarm: undefined }).toEqual({
      total: recount.total,
      lifecycle: recount.lifecycle,
      qualification: recount.qualification,
      funnelStage: recount.funnelStage,
      pql: recount.pql,
      everMql: recount.everMql,
      reachedWarm: undefined,
    });
    expect(conversionOf(totals)).toEqual(recount.conversion);
  });
});
