import { describe, expect, it } from 'vitest';
import { buildLeadExport } from '../../../shared/lead-view/lead-export';

const pk = 'LEAD#L1';

describe('buildLeadExport', () => {
  it('groups every stored item by kind, strips the storage keys and pulls out consent, sales and nurture fields', () => {
    // Prepare
    const items = [
      {
        pk,
        sk: 'PROFILE',
        leadId: 'L1',
        email: 'a@acme.example',
        lifecycle: 'sql',
        dueShard: '3',
        nurtureDueAt: '2024-02-01T00:00:00.000Z',
        nurture: { track: 'mofu', nextStep: 1, enteredAt: '2024-01-01T00:00:00.000Z' },
        consentRequestedAt: '2024-01-01T00:00:00.000Z',
        consentConfirmedAt: '2024-01-02T00:00:00.000Z',
        consentEvidence: [{ at: '2024-01-01T00:00:00.000Z', ip: '192.0.2.1', userAgent: 'UA', form: 'newsletter', textVersion: 'v1' }],
        salesDecision: { decision: 'accepted', by: 'sales@example.com' },
        salesNotifiedAt: '2024-01-03T00:00:00.000Z',
      },
      { pk, sk: 'INTERACTION#2024-01-01T00:00:00.000Z#i1', id: 'i1', type: 'contact', message: 'hi', attribution: { utm_source: 'x' } },
      {
        pk,
        sk: 'EMAIL#2024-01-01T00:00:01.000Z#m1',
        messageId: 'm1',
        templateId: 'opt-in',
        category: 'system',
        sentAt: '2024-01-01T00:00:01.000Z',
      },
      { pk, sk: 'EVENT#stage#1#lifecycle', outbox: { detailType: 'Lead Stage Changed' } },
      { pk, sk: 'SUBMISSION#abc', submittedAt: '2024-01-01T00:00:00.000Z' },
      { pk, sk: 'UNSUB#x', at: '2024-01-05T00:00:00.000Z' },
    ];
    const messageLookups = [{ pk: 'MESSAGE#m1', sk: 'MESSAGE', leadId: 'L1', templateId: 'opt-in' }];

    // Act
    const exported = buildLeadExport({ email: 'a@acme.example', leadId: 'L1', exportedAt: 'T', data: { items, messageLookups } });

    // Assess
    expect(JSON.stringify(exported)).not.toMatch(/"(pk|sk|dueShard)":/);
    expect(exported.profile).toMatchObject({ leadId: 'L1', lifecycle: 'sql', nurtureDueAt: '2024-02-01T00:00:00.000Z' });
    expect(exported.consent).toMatchObject({
      marketing: 'confirmed',
      confirmedAt: '2024-01-02T00:00:00.000Z',
      evidence: [expect.objectContaining({ ip: '192.0.2.1' })],
    });
    expect(exported.salesDecision).toEqual({
      salesDecision: { decision: 'accepted', by: 'sales@example.com' },
      salesNotifiedAt: '2024-01-03T00:00:00.000Z',
    });
    expect(Object.keys(exported.nurture)).toEqual(['nurtureDueAt', 'nurture']);
    expect(exported.interactions).toEqual([{ id: 'i1', type: 'contact', message: 'hi', attribution: { utm_source: 'x' } }]);
    expect(exported.emails).toEqual([
      {
        messageId: 'm1',
        templateId: 'opt-in',
        category: 'system',
        sentAt: '2024-01-01T00:00:01.000Z',
        lookup: { leadId: 'L1', templateId: 'opt-in' },
      },
    ]);
    expect(exported.messageLookups).toEqual([{ messageId: 'm1', leadId: 'L1', templateId: 'opt-in' }]);
    expect(exported.outboxEvents).toEqual([{ event: 'stage#1#lifecycle', outbox: { detailType: 'Lead Stage Changed' } }]);
    expect(exported.submissions).toEqual([{ submittedAt: '2024-01-01T00:00:00.000Z' }]);
    expect(exported.otherItems).toEqual([{ kind: 'UNSUB', at: '2024-01-05T00:00:00.000Z' }]);
    expect(exported.suppressionList).toBeNull();
  });

  it('exports the items of a partition that has lost its profile', () => {
    // Act
    const exported = buildLeadExport({
      email: 'a@acme.example',
      leadId: 'L1',
      exportedAt: 'T',
      data: { items: [{ pk, sk: 'SUBMISSION#x' }], messageLookups: [] },
    });

    // Assess
    expect(exported.profile).toBeNull();
    expect(exported.consent).toBeNull();
    expect(exported.submissions).toEqual([{}]);
  });
});
