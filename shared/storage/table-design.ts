/**
 * The single-table design, declared once: the CDK lead store and the local stack both create the
 * table from `leadTableDefinition`, and every key is built here. See README "Storage".
 */
export const leadTableDefinition = {
  partitionKey: 'pk',
  sortKey: 'sk',
  timeToLiveAttribute: 'expiresAt',
  // KEYS_ONLY: the scheduled run only needs the lead keys, then reads each lead consistently.
  dueIndex: { name: 'nurture-due', partitionKey: 'dueShard', sortKey: 'nurtureDueAt', projection: 'KEYS_ONLY' },
  streamView: 'NEW_AND_OLD_IMAGES',
} as const;

export const keys = {
  lead: (leadId: string) => ({ pk: `LEAD#${leadId}`, sk: 'PROFILE' }),
  leadPartition: (leadId: string) => `LEAD#${leadId}`,
  interaction: (leadId: string, at: string, interactionId: string) => ({
    pk: `LEAD#${leadId}`,
    sk: `INTERACTION#${at}#${interactionId}`,
  }),
  interactionPrefix: 'INTERACTION#',
  submission: (leadId: string, fingerprint: string) => ({ pk: `LEAD#${leadId}`, sk: `SUBMISSION#${fingerprint}` }),
  email: (leadId: string, at: string, messageId: string) => ({ pk: `LEAD#${leadId}`, sk: `EMAIL#${at}#${messageId}` }),
  emailPrefix: 'EMAIL#',
  outboxEvent: (leadId: string, eventKey: string) => ({ pk: `LEAD#${leadId}`, sk: `EVENT#${eventKey}` }),
  messageLookup: (messageId: string) => ({ pk: `MESSAGE#${messageId}`, sk: 'MESSAGE' }),
  /** One per (qualification, sales recipient): a retried notification mails only who was not mailed yet. */
  salesNotice: (leadId: string, kind: string, seq: number, recipient: string) => ({
    pk: `LEAD#${leadId}`,
    sk: `SALESNOTICE#${kind}#${seq}#${recipient}`,
  }),
  /** One per (lead, signal type, external id): a sender's retry with a fresh timestamp is the same interaction. */
  signal: (leadId: string, signalKey: string) => ({ pk: `LEAD#${leadId}`, sk: `SIGNAL#${signalKey}` }),
  suppression: (addressHash: string) => ({ pk: `SUPPRESSED#${addressHash}`, sk: 'SUPPRESSED' }),
  /** one rate-limit window of one subject (a keyed hash of an IP or a mailbox, never the value itself) */
  rateLimit: (scope: string, subjectHash: string, windowStart: string) => ({
    pk: `RATE#${scope}#${subjectHash}`,
    sk: `WINDOW#${windowStart}`,
  }),
} as const;

/** Items that carry `outbox` are published to the bus by the stream relay when they are inserted. */
export interface OutboxEntry {
  source: string;
  detailType: string;
  /** JSON text of the event detail */
  detail: string;
  /** ISO time of the fact the event reports; the relay uses it as the event time */
  time: string;
}

export const OUTBOX_ATTRIBUTE = 'outbox';

/** The stream filter for the relay, in event-source-mapping (EventBridge pattern) syntax; local poller applies the same. */
export const outboxStreamFilter = {
  eventName: ['INSERT'],
  dynamodb: { NewImage: { [OUTBOX_ATTRIBUTE]: { M: { detailType: { S: [{ exists: true }] } } } } },
} as const;

export function epochSeconds(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}
