import { describe, expect, it } from 'vitest';
import rules from '../../../config/scoring-rules.json';
import { defaultScoringConfig, parseScoringConfig } from '../../../shared/domain/classification';

type RawRules = Record<string, Record<string, unknown>>;

function rawRules(): RawRules {
  return structuredClone(rules) as unknown as RawRules;
}

function parseError(json: unknown): string {
  try {
    parseScoringConfig(json);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected parseScoringConfig to throw');
}

describe('default scoring rules (config/scoring-rules.json)', () => {
  it('holds the agreed default points and thresholds', () => {
    // Prepare: the default config loaded from JSON
    const config = defaultScoringConfig;

    // Act: read the rules
    const { fit, engagement, stages, decay } = config;

    // Assess
    expect(fit.businessEmailPoints).toBe(10);
    expect(fit.companyGivenPoints).toBe(5);
    expect(fit.freemailDomains).toEqual(
      expect.arrayContaining([
        'gmail.com',
        'googlemail.com',
        'web.de',
        'gmx.de',
        'gmx.net',
        'outlook.com',
        'hotmail.com',
        't-online.de',
        'yahoo.com',
        'icloud.com',
      ]),
    );
    expect(engagement).toMatchObject({
      consentConfirmedPoints: 10,
      newsletterSignupPoints: 0,
      // bofu 30, not 40: a lead that takes every offer of the nurture mails up to the pricing guide
      // (consent 10, e-book 15+5, case study 25+5, pricing guide 30+5 = 95) stays below the MQL
      // threshold, so the bofu mail's expert-call offer is reached and the call is what makes the MQL.
      downloadPoints: { tofu: 15, mofu: 25, bofu: 30 },
      webinarAttendedPoints: 30,
      webinarRegisteredPoints: 10,
      emailClickPoints: 5,
      emailOpenPoints: 0,
      contactPoints: 0,
      trialStartedPoints: 0,
      callRequestedPoints: 0,
    });
    expect(stages).toMatchObject({ qualifiedThreshold: 40, mqlThreshold: 100 });
    expect(decay.decayDays).toBe(180);
  });

  it('documents every section with a description', () => {
    // Prepare
    const raw = rawRules();

    // Act
    const sections = ['fit', 'engagement', 'stages', 'decay'].map((name) => raw[name]?.description);

    // Assess
    expect(typeof (raw as unknown as { description: unknown }).description).toBe('string');
    for (const description of sections) expect(description).toEqual(expect.stringMatching(/\w+ \w+/));
  });

  it('is frozen so that no caller can change the shared defaults', () => {
    // Prepare
    const stages = defaultScoringConfig.stages;

    // Act
    const mutate = () => {
      (stages as { mqlThreshold: number }).mqlThreshold = 1;
    };

    // Assess
    expect(mutate).toThrow(TypeError);
    expect(defaultScoringConfig.stages.mqlThreshold).toBe(100);
  });
});

describe('parseScoringConfig', () => {
  it('accepts the raw JSON and normalises freemail domains to lower case', () => {
    // Prepare
    const raw = rawRules();
    raw.fit!.freemailDomains = [' GMail.com ', 'web.de'];

    // Act
    const config = parseScoringConfig(raw);

    // Assess
    expect(config.fit.freemailDomains).toEqual(['gmail.com', 'web.de']);
  });

  it.each([
    [
      'a points value of the wrong type',
      (r: RawRules) => ((r.engagement!.downloadPoints as Record<string, unknown>).mofu = '25'),
      'engagement.downloadPoints.mofu',
    ],
    ['a missing threshold', (r: RawRules) => delete r.stages!.mqlThreshold, 'stages.mqlThreshold'],
    ['negative points', (r: RawRules) => (r.fit!.businessEmailPoints = -10), 'fit.businessEmailPoints'],
    ['fractional points', (r: RawRules) => (r.engagement!.emailClickPoints = 2.5), 'engagement.emailClickPoints'],
    ['a zero decay', (r: RawRules) => (r.decay!.decayDays = 0), 'decay.decayDays'],
    ['a misspelt key', (r: RawRules) => (r.stages!.mqlTreshold = 100), 'stages.mqlTreshold'],
    [
      'a freemail entry that is not a bare domain',
      (r: RawRules) => (r.fit!.freemailDomains = ['gmail.com', '@web.de']),
      'fit.freemailDomains[1]',
    ],
    ['a qualified threshold above the MQL threshold', (r: RawRules) => (r.stages!.qualifiedThreshold = 150), 'stages.qualifiedThreshold'],
    ['a missing section', (r: RawRules) => delete r.decay, 'decay'],
  ])('rejects %s and names the field path', (_case, corrupt, path) => {
    // Prepare
    const raw = rawRules();
    corrupt(raw);

    // Act
    const message = parseError(raw);

    // Assess
    expect(message).toMatch(/^Invalid scoring config: /);
    expect(message).toContain(`${path}:`);
  });

  it('names the root when the input is not an object', () => {
    // Prepare
    const input = null;

    // Act
    const message = parseError(input);

    // Assess
    expect(message).toContain('(root):');
  });
});
