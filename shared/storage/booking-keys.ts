/**
 * Keys of the expert-call items, next to the single-table design in table-design.ts. A slot item lives in one
 * shared partition, so the page can list the taken slots of the bookable window with a single Query; bookings are
 * rare, so that partition never gets hot. The booking and its mail claims live in the lead's partition, so an
 * erasure of the lead deletes them with everything else.
 */
export const CALL_SLOTS_PARTITION = 'CALLSLOTS';

export const bookingKeys = {
  /** One per held slot start (canonical ISO UTC): the conditional put on it is what keeps a slot to one lead. */
  slot: (slotIso: string) => ({ pk: CALL_SLOTS_PARTITION, sk: `SLOT#${slotIso}` }),
  slotPrefix: 'SLOT#',
  booking: (leadId: string, bookingId: string) => ({ pk: `LEAD#${leadId}`, sk: `BOOKING#${bookingId}` }),
  /** One per (booking, change): a redelivered event finds it and does not mail twice. */
  confirmationMail: (leadId: string, bookingId: string, sequence: number) => ({
    pk: `LEAD#${leadId}`,
    sk: `BOOKINGMAIL#${bookingId}#${sequence}`,
  }),
} as const;
