import type { SentEmailStore } from '../email/sent-email-store';
import type { DetailOf, EventDeclaration } from '../events/define-event';
import type { Interaction } from '../domain/lead';
import type { NurtureState } from '../domain/nurture';
import type { SalesDecision } from '../domain/sales-decision';
import type { LeadItem } from '../storage/lead-item';

/** One sales recipient's mail about one qualification of a lead. */
export interface SalesNotice {
  leadId: string;
  kind: 'MQL' | 'PQL';
  seq: number;
  recipient: string;
}

/** An event the decision publishes if and only if it is stored; `key` names the transition, so it is published once. */
export interface DecisionEvent<E extends EventDeclaration = EventDeclaration> {
  key: string;
  declaration: E;
  detail: DetailOf<E>;
  at: string;
}

export function decisionEvent<E extends EventDeclaration>(key: string, declaration: E, detail: DetailOf<E>, at: string): DecisionEvent {
  return { key, declaration, detail, at };
}

/** What a sales decision changes on the lead, and the events it publishes with it. */
export interface DecisionChange {
  leadId: string;
  /** the lead's version the decision was made on: any write since then makes the change fail */
  expectedVersion: number;
  decision: SalesDecision;
  lifecycle: 'sql' | 'warm';
  /** recycle only: nurture pauses until `nurtureResumeAt`; engagement counts from the decision on */
  recycle?: { nurtureResumeAt: string; nurture?: NurtureState };
  events: DecisionEvent[];
}

/**
 * What sales notification and sales decisions need to read and write (port; the DynamoDB adapter is
 * shared/storage/dynamo-sales-store.ts).
 */
export interface SalesStore {
  getLead(leadId: string): Promise<LeadItem | undefined>;
  /** the lead with its interactions, in time order */
  getLeadWithInteractions(leadId: string): Promise<{ lead?: LeadItem; interactions: Interaction[] }>;
  /**
   * Claims the notification of one qualification for one event: a later or the same qualification
   * already claimed by another event is 'already-notified'; a retry of the claiming event may claim again.
   */
  claimNotification(claim: {
    leadId: string;
    kind: 'MQL' | 'PQL';
    seq: number;
    eventId: string;
    at: string;
  }): Promise<'claimed' | 'already-notified' | 'no-lead'>;
  /**
   * Claims one recipient before their mail is sent: false if they were mailed, or another event holds
   * the claim. An unfinished claim of the same event (its invocation died mid-send) is taken over.
   */
  claimRecipient(notice: SalesNotice, claim: { eventId: string; at: string; linksExpireAt: string }): Promise<boolean>;
  /** Gives an unfinished claim of this event back, so the event's retry mails the recipient. */
  releaseRecipient(notice: SalesNotice, eventId: string): Promise<void>;
  /** Marks the recipient mailed when the mail went out but could not be recorded with the claim. */
  markRecipientMailed(notice: SalesNotice, eventId: string, messageId: string): Promise<void>;
  /** Records the sent mail and marks the recipient mailed, in one write. */
  recordingMailTo(notice: SalesNotice, eventId: string): SentEmailStore;
  /** Stores the decision and its events in one write; false if the lead changed since `expectedVersion` was read. */
  recordDecision(change: DecisionChange): Promise<boolean>;
}
