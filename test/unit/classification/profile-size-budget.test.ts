/**
 * The profile's size budget, held by construction: a profile with every attribute at the largest
 * value the code can write stays within PROFILE_SIZE_BUDGET_BYTES. The integration test
 * (test/integration/capture/profile-size-budget.test.ts) holds it after a real flood.
 */
import { describe, expect, it } from 'vitest';
import { classifyForStorage } from '../../../shared/classification/classification-window';
import { defaultScoringConfig } from '../../../shared/domain/classification';
import type { Interaction } from '../../../shared/domain/lead';
import {
  MAX_STORED_EXPLANATION_LINES,
  MAX_STORED_INTERACTION_POINTS,
  PROFILE_SIZE_BUDGET_BYTES,
  type LeadItem,
} from '../../../shared/storage/lead-item';
import { dynamoItemSize } from '../../integration/capture/dynamo-item-size';

const NOW = '2026-05-04T10:00:00.000Z';
const TIME = '2026-05-04T10:00:00.000Z';
/** A field at the form schemas' limit of 100 characters, in 3-byte UTF-8 characters. */
const FIELD = '€'.repeat(100);
const EVIDENCE = {
  at: TIME,
  ip: 'ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255',
  userAgent: '€'.repeat(512),
  form: 'newsletter',
  textVersion: '2026-11-v1',
};

describe('the profile size budget', () => {
  it(`holds for a profile with every list at its bound and every field at its limit: at most ${PROFILE_SIZE_BUDGET_BYTES} bytes`, () => {
    // Prepare: as many scored interactions as a classification can see, each with the longest references signals allow (200)
    const interactions: Interaction[] = Array.from({ length: 200 }, (_, n) => ({
      id: `signal-${String(n).padStart(3, '0')}-${'x'.repeat(53)}`,
      type: 'webinar_attended',
      at: new Date(Date.parse(NOW) - (200 - n) * 60_000).toISOString(),
      externalId: `${n}-`.padEnd(200, 'w'),
    }));
    const classification = classifyForStorage({
      lead: {
        email: `${'a'.repeat(64)}@${'d'.repeat(185)}.de`,
        company: FIELD,
        lifecycle: 'sql',
        pql: true,
        createdAt: TIME,
        funnelStage: 'bofu',
      },
      interactions,
      config: defaultScoringConfig,
      now: NOW,
    });
    expect(classification.scoreExplanation).toHaveLength(MAX_STORED_EXPLANATION_LINES);
    expect(Object.keys(classification.interactionPoints)).toHaveLength(MAX_STORED_INTERACTION_POINTS);
    const profile: LeadItem & Record<string, unknown> = {
      pk: `LEAD#L${'x'.repeat(26)}`,
      sk: 'PROFILE',
      leadId: `L${'x'.repeat(26)}`,
      email: `${'a'.repeat(64)}@${'d'.repeat(185)}.de`,
      firstName: FIELD,
      lastName: FIELD,
      company: FIELD,
      jobTitle: FIELD,
      phone: '+'.padEnd(40, '9'),
      locale: 'de',
      createdAt: TIME,
      updatedAt: TIME,
      version: 1_000_000_000,
      lifecycle: classification.lifecycle,
      consentRequestedAt: TIME,
      consentConfirmedAt: TIME,
      consentWithdrawnAt: TIME,
      consentEvidenceFirst: EVIDENCE,
      consentEvidenceLatest: EVIDENCE,
      optInSentAt: TIME,
      optInSentAtClaim: 'e'.repeat(36),
      qualification: classification.qualification,
      funnelStage: classification.funnelStage,
      pql: classification.pql,
      score: classification.score,
      fitScore: classification.fitScore,
      engagementScore: classification.engagementScore,
      scoreExplanation: classification.scoreExplanation,
      interactionPoints: classification.interactionPoints,
      suppressed: 'complaint',
      suppressedAt: TIME,
      classifiedAt: TIME,
      qualificationSeq: 1_000_000,
      mqlAt: TIME,
      pqlAt: TIME,
      engagementResetAt: TIME,
      nurture: { track: 'bofu', nextStep: 100, enteredAt: TIME, lastSentAt: TIME },
      nurtureSending: { step: 'mofu-2', at: TIME },
      nurtureResumeAt: TIME,
      nurtureDueAt: TIME,
      dueShard: 'DUE#1000',
      // one per step of the sequences (5), each with an error message of 500 characters
      nurtureFailures: Array.from({ length: 5 }, () => ({ step: 'mofu-2', templateId: 'mofu-2', error: 'e'.repeat(500), at: TIME })),
      salesNotifiedAt: TIME,
      salesNotifiedMqlSeq: 1_000_000,
      salesNotifiedPqlSeq: 1_000_000,
      salesNotifyClaim: 'e'.repeat(36),
      salesDecision: {
        decision: 'recycled',
        reason: 'no_budget' as never,
        at: TIME,
        by: `${'s'.repeat(64)}@${'d'.repeat(185)}.de`,
        kind: 'MQL',
        seq: 1_000_000,
      },
    };

    // Act
    const size = dynamoItemSize(profile);

    // Assess
    expect(size).toBeLessThanOrEqual(PROFILE_SIZE_BUDGET_BYTES);
  });
});
