import { describe, expect, it } from 'vitest';
import rawDefaults from '../../../config/nurture-sequences.json';
import { defaultNurtureConfig, parseNurtureConfig, type NurtureConfig } from '../../../shared/domain/nurture';

function withChange(mutate: (c: Record<string, any>) => void): unknown {
  const copy = structuredClone(rawDefaults) as Record<string, any>;
  mutate(copy);
  return copy;
}

describe('nurture config', () => {
  it('parses the shipped defaults to the documented sequences and limits', () => {
    // Prepare
    const expected: NurtureConfig = {
      tracks: {
        tofu: [
          { day: 2, templateId: 'tofu-1', offer: 'ebook-lead-types' },
          { day: 7, templateId: 'tofu-2', offer: 'case-study-b2b' },
        ],
        mofu: [
          { day: 3, templateId: 'mofu-1', offer: 'webinar:lead-scoring-praxis' },
          { day: 10, templateId: 'mofu-2', offer: 'pricing-guide' },
        ],
        bofu: [{ day: 2, templateId: 'bofu-1', offer: 'expert-call' }],
      },
      frequencyCapHours: 48,
      recycleCoolOffDays: 30,
      dueIndexShards: 8,
    };

    // Act
    const parsed = parseNurtureConfig(rawDefaults);

    // Assess
    expect(parsed).toEqual(expected);
    expect(defaultNurtureConfig).toEqual(expected);
  });

  it.each([
    ['days not strictly increasing', (c: any) => (c.tracks.tofu[1].day = 2), 'tracks.tofu[1].day'],
    ['a decreasing day', (c: any) => (c.tracks.mofu[1].day = 1), 'tracks.mofu[1].day'],
    ['a negative day', (c: any) => (c.tracks.mofu[0].day = -1), 'tracks.mofu[0].day'],
    ['a non-numeric day', (c: any) => (c.tracks.tofu[0].day = '2'), 'tracks.tofu[0].day'],
    ['an empty track', (c: any) => (c.tracks.bofu = []), 'tracks.bofu'],
    ['a missing track', (c: any) => delete c.tracks.mofu, 'tracks.mofu'],
    ['an unknown track', (c: any) => (c.tracks.pql = [{ day: 1, templateId: 'x' }]), 'tracks.pql'],
    ['an empty templateId', (c: any) => (c.tracks.bofu[0].templateId = ''), 'tracks.bofu[0].templateId'],
    ['a missing templateId', (c: any) => delete c.tracks.tofu[1].templateId, 'tracks.tofu[1].templateId'],
    ['a negative frequency cap', (c: any) => (c.frequencyCapHours = -1), 'frequencyCapHours'],
    ['a missing cool-off', (c: any) => delete c.recycleCoolOffDays, 'recycleCoolOffDays'],
    ['zero due-index shards', (c: any) => (c.dueIndexShards = 0), 'dueIndexShards'],
    ['fractional due-index shards', (c: any) => (c.dueIndexShards = 2.5), 'dueIndexShards'],
    ['a misspelt top-level key', (c: any) => (c.frequencyCapHour = 24), 'frequencyCapHour'],
    ['a missing offer', (c: any) => delete c.tracks.mofu[1].offer, 'tracks.mofu[1].offer'],
    ['a non-string offer', (c: any) => (c.tracks.tofu[0].offer = 7), 'tracks.tofu[0].offer'],
  ])('rejects %s, naming %s', (_name, mutate, path) => {
    // Prepare
    const candidate = withChange(mutate);

    // Act
    const parse = () => parseNurtureConfig(candidate);

    // Assess
    const escaped = path.replace(/[.[\]]/g, '\\$&');
    expect(parse).toThrow(new RegExp(`(: |; )${escaped}: `));
  });

  it.each([
    ['an asset id not in the content catalogue', 'tofu', 1, 'ebook-lead-typs', /content-catalogue\.json/],
    [
      'a webinar not in config/webinars.json',
      'mofu',
      0,
      'webinar:no-such-webinar',
      /no webinar "no-such-webinar" in config\/webinars\.json/,
    ],
    ['a webinar without an id', 'mofu', 0, 'webinar:', /no webinar "" in config\/webinars\.json/],
    ['a misspelt expert call', 'bofu', 0, 'expert_call', /"expert-call"/],
    ['an empty offer', 'tofu', 0, '', /unknown offer ""/],
  ] as const)('rejects %s, naming the step and the offer', (_name, track, index, offer, why) => {
    // Prepare
    const candidate = withChange((c) => (c.tracks[track][index].offer = offer));

    // Act
    const parse = () => parseNurtureConfig(candidate);

    // Assess
    const templateId = (rawDefaults.tracks[track][index] as { templateId: string }).templateId;
    expect(parse).toThrow(`tracks.${track}[${index}].offer: unknown offer "${offer}"`);
    expect(parse).toThrow(`(step ${templateId})`);
    expect(parse).toThrow(why);
  });

  it('accepts each kind of offer on any step', () => {
    // Prepare
    const candidate = withChange((c) => {
      c.tracks.tofu[0].offer = 'pricing-guide';
      c.tracks.tofu[1].offer = 'webinar:lead-scoring-praxis';
      c.tracks.mofu[0].offer = 'expert-call';
    });

    // Act
    const parsed = parseNurtureConfig(candidate);

    // Assess
    expect(parsed.tracks.tofu.map((step) => step.offer)).toEqual(['pricing-guide', 'webinar:lead-scoring-praxis']);
    expect(parsed.tracks.mofu[0]!.offer).toBe('expert-call');
  });

  it('names every bad field when several are wrong', () => {
    // Prepare
    const candidate = withChange((c) => {
      c.tracks.tofu[1].day = 1;
      c.frequencyCapHours = 'soon';
    });

    // Act
    const act = () => parseNurtureConfig(candidate);

    // Assess
    expect(act).toThrow(/tracks\.tofu\[1\]\.day: .*frequencyCapHours: |frequencyCapHours: .*tracks\.tofu\[1\]\.day: /);
  });

  it('rejects a non-object', () => {
    // Prepare
    const candidate = null;

    // Act
    const act = () => parseNurtureConfig(candidate);

    // Assess
    expect(act).toThrow(/Invalid nurture config/);
  });
});
