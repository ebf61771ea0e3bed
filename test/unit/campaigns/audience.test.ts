import { describe, expect, it } from 'vitest';
import { inAudience, notMailableReason } from '../../../shared/campaigns/audience';
import { subscriberShardFor, subscriberShards, type CampaignAudience } from '../../../shared/campaigns/campaign';

const row = {
  leadId: 'l1',
  locale: 'en',
  lifecycle: 'warm',
  funnelStage: 'mofu',
  score: 40,
  createdAt: '2026-06-01T00:00:00.000Z',
} as const;

describe('inAudience', () => {
  it('takes every subscriber when the audience has no filter', () => {
    expect(inAudience(row, {})).toBe(true);
    expect(inAudience({ leadId: 'bare' }, {})).toBe(true);
  });

  const filters: Array<[string, CampaignAudience, CampaignAudience]> = [
    ['locales', { locales: ['de'] }, { locales: ['en', 'de'] }],
    ['lifecycles', { lifecycles: ['cold', 'mql'] }, { lifecycles: ['warm'] }],
    ['funnelStages', { funnelStages: ['bofu'] }, { funnelStages: ['mofu', 'bofu'] }],
    ['minScore', { minScore: 41 }, { minScore: 40 }],
    ['createdSince', { createdSince: '2026-06-01T00:00:01Z' }, { createdSince: '2026-06-01T02:00:00+02:00' }],
  ];
  it.each(filters)('narrows by %s', (_name, excluding, including) => {
    expect(inAudience(row, excluding)).toBe(false);
    expect(inAudience(row, including)).toBe(true);
  });

  it('needs every filter to match', () => {
    expect(inAudience(row, { locales: ['en'], minScore: 50 })).toBe(false);
    expect(inAudience(row, { locales: ['en'], minScore: 10, lifecycles: ['warm'] })).toBe(true);
  });

  it('counts a lead without a locale as German, like every other mail, and one without a stage or score as outside those filters', () => {
    const bare = { leadId: 'bare' };
    expect(inAudience(bare, { locales: ['de'] })).toBe(true);
    expect(inAudience(bare, { locales: ['en'] })).toBe(false);
    expect(inAudience(bare, { funnelStages: ['tofu'] })).toBe(false);
    expect(inAudience({ ...bare, funnelStage: null }, { funnelStages: ['tofu'] })).toBe(false);
    expect(inAudience(bare, { minScore: 1 })).toBe(false);
    expect(inAudience(bare, { minScore: 0 })).toBe(true);
    expect(inAudience(bare, { createdSince: '2020-01-01T00:00:00Z' })).toBe(false);
  });
});

describe('notMailableReason', () => {
  const confirmed = { consentRequestedAt: '2026-01-01T00:00:00Z', consentConfirmedAt: '2026-01-01T00:05:00Z' };

  it('lets a confirmed, unsuppressed lead through', () => {
    expect(notMailableReason(confirmed)).toBeNull();
    expect(notMailableReason({ ...confirmed, suppressed: null })).toBeNull();
  });

  it('stops an erased, withdrawn, unconfirmed or suppressed lead', () => {
    expect(notMailableReason(undefined)).toBe('no-lead');
    expect(notMailableReason({})).toBe('no-consent');
    expect(notMailableReason({ consentRequestedAt: '2026-01-01T00:00:00Z' })).toBe('no-consent');
    expect(notMailableReason({ ...confirmed, consentWithdrawnAt: '2026-02-01T00:00:00Z' })).toBe('no-consent');
    expect(notMailableReason({ ...confirmed, suppressed: 'bounce' })).toBe('suppressed');
    expect(notMailableReason({ ...confirmed, suppressed: 'complaint' })).toBe('suppressed');
  });
});

describe('subscriber shards', () => {
  it('puts a lead in one stable shard of the eight that are read', () => {
    const shards = subscriberShards();
    expect(shards).toEqual(['SUB#0', 'SUB#1', 'SUB#2', 'SUB#3', 'SUB#4', 'SUB#5', 'SUB#6', 'SUB#7']);
    const seen = new Set(Array.from({ length: 400 }, (_, i) => subscriberShardFor(`lead-${i}`)));
    expect([...seen].sort()).toEqual(shards);
    expect(subscriberShardFor('lead-7')).toBe(subscriberShardFor('lead-7'));
  });
});
