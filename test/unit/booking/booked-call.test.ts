import { describe, expect, it } from 'vitest';
import { defaultBookingConfig } from '../../../shared/domain/booking/booking-config';
import type { Interaction } from '../../../shared/domain/lead';
import { bookedCall } from '../../../shared/sales/booked-call';
import { verifyToken } from '../../../shared/security/signed-token';

const KEY = 'unit-test-signing-key-0123456789';
const input = {
  at: '2026-12-07T11:00:00.000Z',
  leadId: 'lead-1',
  leadLocale: 'en' as const,
  salesLocale: 'de' as const,
  config: defaultBookingConfig,
  publicBaseUrl: 'https://leads.example.com',
  signingKey: KEY,
};

function call(id: string, at: string, slot?: string): Interaction {
  return { id, type: 'call_requested', at, externalId: `booking-${id}`, ...(slot ? { slot } : {}) };
}

describe('bookedCall (the slot in the sales notification)', () => {
  it("names the latest booked slot in the sales locale and links the booking's .ics", () => {
    // Prepare
    const interactions = [
      call('a', '2026-12-07T10:00:00.000Z', '2026-12-09T09:00:00.000Z'),
      call('b', '2026-12-07T10:30:00.000Z', '2026-12-08T09:15:00.000Z'),
    ];

    // Act
    const result = bookedCall(interactions, input);

    // Assess
    expect(result?.slot).toBe('Di 08.12. 10:15');
    const url = new URL(result!.icsUrl);
    expect(url.origin + url.pathname).toBe('https://leads.example.com/call/event.ics');
    const token = verifyToken(url.searchParams.get('token')!, { purpose: 'call-manage', now: input.at }, KEY);
    expect(token).toMatchObject({ leadId: 'lead-1', data: { bookingId: 'booking-b', locale: 'en' } });
  });

  it('names nothing for a call-back request, a past call, or no call at all', () => {
    // Act
    const callback = bookedCall([call('a', '2026-12-07T10:00:00.000Z')], input);
    const past = bookedCall([call('a', '2026-12-01T10:00:00.000Z', '2026-12-02T09:00:00.000Z')], input);
    const none = bookedCall([{ id: 'c', type: 'contact', at: '2026-12-07T10:00:00.000Z' }], input);

    // Assess
    expect(callback).toBeUndefined();
    expect(past).toBeUndefined();
    expect(none).toBeUndefined();
  });
});
