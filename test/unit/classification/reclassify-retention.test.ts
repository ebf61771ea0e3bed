/**
 * reclassifyLead schedules an unconfirmed opt-in's expiry with the retention its caller passes in (the calling
 * function's RETENTION_DAYS), not one read from the environment at import (issue 12: configuration reaches shared/
 * code one way). The store is an in-memory ClassificationStore: only what the use case writes is looked at.
 */
import { describe, expect, it } from 'vitest';
import type { ClassificationChange, ClassificationStore } from '../../../shared/classification/classification-store';
import { reclassifyLead } from '../../../shared/classification/reclassify-lead';
import { defaultScoringConfig } from '../../../shared/domain/classification';
import type { LeadItem } from '../../../shared/storage/lead-item';

const NOW = '2026-05-04T10:00:00.000Z';
const REQUESTED_AT = '2026-05-03T10:00:00.000Z';
// Signed up for the newsletter, not confirmed yet, nothing else: the opt-in's expiry is its only review.
const lead = {
  pk: 'LEAD#Lr',
  sk: 'PROFILE',
  leadId: 'Lr',
  email: 'jane@acme.example',
  createdAt: REQUESTED_AT,
  updatedAt: REQUESTED_AT,
  version: 1,
  lifecycle: 'subscriber',
  consentRequestedAt: REQUESTED_AT,
} as unknown as LeadItem;

function recordingStore(): { store: ClassificationStore; writes: ClassificationChange[] } {
  const writes: ClassificationChange[] = [];
  return {
    writes,
    store: {
      loadClassificationInput: async () => ({ lead, interactions: [] }),
      writeClassification: async (change) => void writes.push(change),
    },
  };
}

describe('reclassifyLead: the opt-in retention', () => {
  it.each([2, 45])('schedules the unconfirmed opt-in to expire %i days after the request', async (retentionDays) => {
    // Prepare
    const { store, writes } = recordingStore();

    // Act
    await reclassifyLead({ store, retentionDays }, 'Lr', NOW, defaultScoringConfig);

    // Assess
    expect(writes.map((change) => change.nurture.nurtureDueAt)).toEqual([
      new Date(Date.parse(REQUESTED_AT) + retentionDays * 86_400_000).toISOString(),
    ]);
  });
});
