import { expiredOptInAction } from '../domain/opt-in-retention';
import type { LeadSnapshot, NurtureStore } from './nurture-store';

export type PurgeOutcome = 'kept' | 'deleted-lead' | 'dropped-request';

/** Applies the unconfirmed opt-in retention to one due lead (see expiredOptInAction). */
export async function purgeExpiredOptIn(
  store: Pick<NurtureStore, 'dropConsentRequest' | 'eraseLead'>,
  snapshot: LeadSnapshot,
  now: string,
  retentionDays: number,
): Promise<PurgeOutcome> {
  const action = expiredOptInAction(snapshot.lead, snapshot.interactions, retentionDays, now);
  if (action === 'keep') return 'kept';
  if (action === 'delete-lead') {
    await store.eraseLead(snapshot.lead.leadId, now);
    return 'deleted-lead';
  }
  // A confirmation or a new request since the read wins: the request is kept.
  return (await store.dropConsentRequest(snapshot)) ? 'dropped-request' : 'kept';
}
