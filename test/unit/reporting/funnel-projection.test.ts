import { describe, expect, it } from 'vitest';
import {
  boundedKey,
  firstTouchOf,
  leadCreated,
  leadQualified,
  MAX_KEY_BYTES,
  MAX_KEYS_PER_DAY,
  mergeChanges,
  NONE_KEY,
  OTHER_KEY,
  stageChanged,
  UNKNOWN_FIRST_TOUCH,
} from '../../../shared/reporting/funnel-projection';
import {
  applyInMemory,
  decodeAttributionDay,
  decodeFunnelDay,
  decodeTotals,
  type ProjectionItems,
  storedAttributes,
} from '../../../shared/reporting/funnel-projection-items';

const touch = firstTouchOf({ type: 'download', assetId: 'guide', attribution: { utm_source: 'linkedin', utm_campaign: 'spring' } });

/** The stored attributes of one in-memory item, as DynamoDB would hold them. */
function attributesOf(items: ProjectionItems, id: string): Record<string, unknown> {
  const item = items.get(id);
  return item ? storedAttributes(item) : {};
}

/** An item's size as DynamoDB counts it, near enough: attribute names and string bytes, numbers as up to 21 bytes. */
function dynamoSize(attributes: Record<string, number | Set<string>>): number {
  let size = 0;
  for (const [name, value] of Object.entries(attributes)) {
    size += Buffer.byteLength(name);
    size += typeof value === 'number' ? 21 : [...value].reduce((sum, member) => sum + Buffer.byteLength(member), 0);
  }
  return size;
}

describe('boundedKey', () => {
  it('removes control characters, collapses whitespace and cuts to MAX_KEY_BYTES bytes between characters', () => {
    // Act
    const cleaned = boundedKey('  news\u0000letter\n\tspring  ');
    const euros = boundedKey('€'.repeat(100));
    const ascii = boundedKey('x'.repeat(100));

    // Assess
    expect(cleaned).toBe('news letter spring');
    // € is 3 bytes of UTF-8: 21 of them fit in 64 bytes, and no character is cut in half
    expect(euros).toBe('€'.repeat(21));
    expect(ascii).toBe('x'.repeat(MAX_KEY_BYTES));
  });

  it('reads an empty or absent value as (none)', () => {
    // Assess
    expect(boundedKey(undefined)).toBe(NONE_KEY);
    expect(boundedKey('   ')).toBe(NONE_KEY);
    expect(firstTouchOf({ type: 'newsletter_signup' })).toEqual({
      utm_source: NONE_KEY,
      utm_campaign: NONE_KEY,
      asset: NONE_KEY,
      form: 'newsletter_signup',
    });
  });
});

describe('the projection rules', () => {
  it('counts a created warm lead on its day, in the totals and under its first touch', () => {
    // Prepare
    const items: ProjectionItems = new Map();

    // Act
    applyInMemory(items, leadCreated({ at: '2026-03-04T23:59:59.000Z', stages: { lifecycle: 'warm' }, firstTouch: touch }));

    // Assess
    const day = decodeFunnelDay('2026-03-04', attributesOf(items, 'funnel-day|2026-03-04'));
    expect(day).toMatchObject({ created: 1, mql: 0, sql: 0, bySource: { linkedin: { leads: 1, mql: 0, sql: 0 } } });
    expect(decodeAttributionDay('2026-03-04', attributesOf(items, 'attribution-day|2026-03-04'))).toMatchObject({
      byCampaign: { spring: { leads: 1 } },
      byAsset: { guide: { leads: 1 } },
      byForm: { download: { leads: 1 } },
    });
    expect(decodeTotals(attributesOf(items, 'totals'))).toEqual({
      total: 1,
      lifecycle: { cold: 0, warm: 1, mql: 0, sql: 0 },
      qualification: { unqualified: 1, qualified: 0 },
      funnelStage: { tofu: 0, mofu: 0, bofu: 0, none: 1 },
      pql: 0,
      everMql: 0,
      reachedWarm: 1,
    });
  });

  it('moves a lead between stages in the totals, counts the transition, and an MQL under the first touch', () => {
    // Prepare
    const items: ProjectionItems = new Map();
    applyInMemory(items, leadCreated({ at: '2026-03-01T10:00:00.000Z', stages: { lifecycle: 'cold' }, firstTouch: touch }));

    // Act
    applyInMemory(
      items,
      stageChanged({ field: 'lifecycle', from: 'cold', to: 'warm', at: '2026-03-02T10:00:00.000Z' }, UNKNOWN_FIRST_TOUCH),
    );
    applyInMemory(
      items,
      stageChanged({ field: 'funnelStage', from: null, to: 'tofu', at: '2026-03-02T10:00:00.000Z' }, UNKNOWN_FIRST_TOUCH),
    );
    applyInMemory(items, stageChanged({ field: 'lifecycle', from: 'warm', to: 'mql', at: '2026-03-03T10:00:00.000Z' }, touch));
    applyInMemory(items, leadQualified({ qualificationSeq: 1 }));

    // Assess
    const totals = decodeTotals(attributesOf(items, 'totals'));
    expect(totals.lifecycle).toEqual({ cold: 0, warm: 0, mql: 1, sql: 0 });
    expect(totals.funnelStage).toEqual({ tofu: 1, mofu: 0, bofu: 0, none: 0 });
    expect(totals).toMatchObject({ total: 1, everMql: 1, reachedWarm: 1 });
    expect(decodeFunnelDay('2026-03-02', attributesOf(items, 'funnel-day|2026-03-02')).transitions).toEqual({
      'lifecycle:cold>warm': 1,
      'funnelStage:none>tofu': 1,
    });
    expect(decodeFunnelDay('2026-03-03', attributesOf(items, 'funnel-day|2026-03-03'))).toMatchObject({
      mql: 1,
      bySource: { linkedin: { leads: 0, mql: 1, sql: 0 } },
    });
  });

  it('counts only the first qualification as "ever MQL", and a recycle and a new MQL as a second MQL of its day', () => {
    // Prepare
    const items: ProjectionItems = new Map();
    const at = '2026-03-05T10:00:00.000Z';

    // Act
    applyInMemory(items, leadCreated({ at, stages: { lifecycle: 'warm' }, firstTouch: touch }));
    for (const change of [
      stageChanged({ field: 'lifecycle', from: 'warm', to: 'mql', at }, touch),
      leadQualified({ qualificationSeq: 1 }),
      stageChanged({ field: 'lifecycle', from: 'mql', to: 'warm', at }, UNKNOWN_FIRST_TOUCH),
      stageChanged({ field: 'lifecycle', from: 'warm', to: 'mql', at }, touch),
      leadQualified({ qualificationSeq: 2 }),
    ]) {
      applyInMemory(items, change);
    }

    // Assess
    expect(decodeTotals(attributesOf(items, 'totals'))).toMatchObject({ everMql: 1, reachedWarm: 1, lifecycle: { warm: 0, mql: 1 } });
    expect(decodeFunnelDay('2026-03-05', attributesOf(items, 'funnel-day|2026-03-05')).mql).toBe(2);
  });

  it('keeps a stage value outside the taxonomy out of the totals', () => {
    // Act
    const change = stageChanged({ field: 'lifecycle', from: 'warm', to: 'toString', at: '2026-03-05T10:00:00.000Z' }, touch);

    // Assess
    expect(change.increments.map((i) => i.counter)).toEqual(['t:lifecycle:warm>toString', 'lifecycle:warm']);
  });
});

describe('the bound on keys a stranger controls', () => {
  it(`keeps ${MAX_KEYS_PER_DAY} distinct utm_source keys per day, counts the rest under ${OTHER_KEY}, and loses no lead`, () => {
    // Prepare: 80 leads with 80 different sources on one day, then one more lead of a kept source
    const items: ProjectionItems = new Map();
    const at = '2026-04-01T12:00:00.000Z';
    const created = (source: string) =>
      leadCreated({
        at,
        stages: { lifecycle: 'warm' },
        firstTouch: firstTouchOf({ type: 'newsletter_signup', attribution: { utm_source: source } }),
      });

    // Act
    for (let n = 0; n < 80; n += 1) applyInMemory(items, created(`source-${n}-${'x'.repeat(200)}`));
    applyInMemory(items, created(`source-3-${'x'.repeat(200)}`));

    // Assess
    const day = decodeFunnelDay('2026-04-01', attributesOf(items, 'funnel-day|2026-04-01'));
    const keys = Object.keys(day.bySource);
    expect(keys).toHaveLength(MAX_KEYS_PER_DAY + 1);
    expect(keys.every((key) => Buffer.byteLength(key) <= MAX_KEY_BYTES)).toBe(true);
    expect(day.bySource[OTHER_KEY]).toEqual({ leads: 30, mql: 0, sql: 0 });
    expect(day.bySource[boundedKey(`source-3-${'x'.repeat(200)}`)]?.leads).toBe(2);
    expect(Object.values(day.bySource).reduce((sum, counts) => sum + counts.leads, 0)).toBe(81);
    // the stored item stays small: 51 keys of at most 64 bytes, in the key set and in one counter each
    expect(dynamoSize(storedAttributes(items.get('funnel-day|2026-04-01')!))).toBeLessThan(8 * 1024);
  });

  it('starts every day with room for new keys', () => {
    // Prepare
    const items: ProjectionItems = new Map();
    const created = (source: string, at: string) =>
      leadCreated({
        at,
        stages: { lifecycle: 'warm' },
        firstTouch: firstTouchOf({ type: 'contact', attribution: { utm_source: source } }),
      });

    // Act
    for (let n = 0; n < 60; n += 1) applyInMemory(items, created(`s${n}`, '2026-04-01T12:00:00.000Z'));
    applyInMemory(items, created('late-newcomer', '2026-04-02T00:00:00.000Z'));

    // Assess
    expect(decodeFunnelDay('2026-04-02', attributesOf(items, 'funnel-day|2026-04-02')).bySource).toEqual({
      'late-newcomer': { leads: 1, mql: 0, sql: 0 },
    });
  });
});

describe('mergeChanges', () => {
  it('sums increments of the same counter and drops those that cancel out', () => {
    // Act
    const merged = mergeChanges([
      stageChanged({ field: 'lifecycle', from: 'cold', to: 'warm', at: '2026-03-02T10:00:00.000Z' }, UNKNOWN_FIRST_TOUCH),
      stageChanged({ field: 'lifecycle', from: 'warm', to: 'cold', at: '2026-03-02T11:00:00.000Z' }, UNKNOWN_FIRST_TOUCH),
    ]);

    // Assess
    expect(merged.increments.map((i) => [i.counter, i.by])).toEqual([
      ['t:lifecycle:cold>warm', 1],
      ['reachedWarm', 1],
      ['t:lifecycle:warm>cold', 1],
    ]);
  });
});
