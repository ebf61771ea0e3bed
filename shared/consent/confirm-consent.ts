import { confirmTokenFit } from './confirm-token-binding';
import type { ConsentStore } from './consent-store';
import { marketingConsentState } from '../domain/consent-state';
import type { MarketingConsent } from '../domain/lead';
import { withRetry } from '../retry/with-retry';

/** Concurrent writers of one lead are few (a double click, a form post): five reads and writes are plenty. */
export const CONFIRM_ATTEMPTS = 5;

export type ConfirmOutcome = { confirmed: true } | { confirmed: false; state: MarketingConsent | 'no-lead' | 'outdated' };

/** Someone else wrote the lead between our read and our write. */
class LeadChangedError extends Error {
  override name = 'LeadChangedError';
}

/**
 * Confirms a pending marketing consent. The write is guarded by the lead's version, so a double-submitted
 * confirmation counts once, and so the decision below (is the link's request still the lead's pending one?) holds at
 * the moment of the write. `tokenRequestedAt` is the consent request the link was mailed for (see
 * confirm-token-binding.ts): a link from before a withdrawal or an erasure is 'outdated' and confirms nothing.
 */
export async function confirmConsent(
  input: { leadId: string; at: string; tokenRequestedAt: string | undefined },
  deps: { store: ConsentStore },
): Promise<ConfirmOutcome> {
  // After a lost race: read again and decide again, a bounded number of times.
  return withRetry<ConfirmOutcome>(
    { what: `confirm consent of lead ${input.leadId}`, attempts: CONFIRM_ATTEMPTS, retryOn: (error) => error instanceof LeadChangedError },
    async () => {
      const lead = await deps.store.getLead(input.leadId);
      if (!lead) return { confirmed: false, state: 'no-lead' };
      const state = marketingConsentState(lead);
      if (state !== 'pending') return { confirmed: false, state };
      if (confirmTokenFit(lead, input.tokenRequestedAt) !== 'fits') return { confirmed: false, state: 'outdated' };
      const written = await deps.store.recordConfirmation(input.leadId, { at: input.at, expectedVersion: lead.version });
      if (!written) throw new LeadChangedError();
      return { confirmed: true };
    },
  );
}
