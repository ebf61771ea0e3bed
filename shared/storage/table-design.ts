/**
 * The single-table design, declared once: the CDK lead store and the local stack both create the
 * table from `leadTableDefinition`, and every key is built here. See README "Storage".
 */
/** What a lead list row shows (GET /console/api/leads): the list indexes project exactly these, so a page is one Query. */
const LEAD_LIST_ATTRIBUTES = [
  'leadId',
  'email',
  'firstName',
  'lastName',
  'company',
  'lifecycle',
  'qualification',
  'funnelStage',
  'pql',
  'score',
  'updatedAt',
] as const;

export const leadTableDefinition = {
  partitionKey: 'pk',
  sortKey: 'sk',
  timeToLiveAttribute: 'expiresAt',
  // KEYS_ONLY: the scheduled run only needs the lead keys, then reads each lead consistently.
  dueIndex: { name: 'nurture-due', partitionKey: 'dueShard', sortKey: 'nurtureDueAt', projection: 'KEYS_ONLY' },
  /** The console's lead list, newest first: one partition per creation day (`createdDay`, YYYY-MM-DD in UTC). */
  recentIndex: {
    name: 'leads-by-day',
    partitionKey: 'createdDay',
    sortKey: 'createdAt',
    projection: 'INCLUDE',
    nonKeyAttributes: LEAD_LIST_ATTRIBUTES,
  },
  /** MQLs sales has not decided yet (sparse): `salesQueue` is set when a lead becomes an MQL and removed by the decision. */
  salesQueueIndex: {
    name: 'sales-queue',
    partitionKey: 'salesQueue',
    sortKey: 'mqlAt',
    projection: 'INCLUDE',
    nonKeyAttributes: [...LEAD_LIST_ATTRIBUTES, 'createdAt'],
  },
  /**
   * Confirmed marketing subscribers (sparse), sharded like the due index: `subscriberShard` is set by the writes that
   * confirm consent and removed by those that withdraw it, suppress or erase. Campaigns read their audience here, never by Scan.
   */
  subscriberIndex: {
    name: 'subscribers',
    partitionKey: 'subscriberShard',
    sortKey: 'leadId',
    projection: 'INCLUDE',
    nonKeyAttributes: ['locale', 'lifecycle', 'funnelStage', 'score', 'createdAt'],
  },
  streamView: 'NEW_AND_OLD_IMAGES',
} as const;

export interface SecondaryIndex {
  name: string;
  partitionKey: string;
  sortKey: string;
  projection: 'KEYS_ONLY' | 'INCLUDE' | 'ALL';
  nonKeyAttributes?: readonly string[];
}

/** Every GSI of the lead table, in the order an existing table gets them (DynamoDB adds one index per update). */
export const SECONDARY_INDEXES: readonly SecondaryIndex[] = [
  leadTableDefinition.dueIndex,
  leadTableDefinition.recentIndex,
  leadTableDefinition.salesQueueIndex,
  leadTableDefinition.subscriberIndex,
];

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
  /** A newsletter campaign: definition, status and figures (shared/campaigns/campaign.ts). */
  campaign: (campaignId: string) => ({ pk: `CAMPAIGN#${campaignId}`, sk: 'CAMPAIGN' }),
  /** An outbox event of a campaign (Campaign Finished), inserted once. */
  campaignEvent: (campaignId: string, eventKey: string) => ({ pk: `CAMPAIGN#${campaignId}`, sk: `EVENT#${eventKey}` }),
  /** The exactly-once claim of one campaign mail, in the lead's partition: spread over leads, and erased with the lead. */
  campaignClaim: (leadId: string, campaignId: string) => ({ pk: `LEAD#${leadId}`, sk: `CAMPAIGN#${campaignId}` }),
  /** One shard of a campaign's figures: concurrent senders add to different small items, never to the campaign item. */
  campaignCounts: (campaignId: string, shard: number) => ({ pk: `CAMPAIGN#${campaignId}`, sk: `COUNTS#${String(shard).padStart(2, '0')}` }),
  campaignCountsPrefix: 'COUNTS#',
  /** one rate-limit window of one subject (a keyed hash of an IP or a mailbox, never the value itself) */
  rateLimit: (scope: string, subjectHash: string, windowStart: string) => ({
    pk: `RATE#${scope}#${subjectHash}`,
    sk: `WINDOW#${windowStart}`,
  }),
  /** The funnel projection (shared/reporting/): one partition per UTC day holds that day's funnel, attribution and email items. */
  funnelDay: (date: string, part: 'FUNNEL' | 'ATTRIBUTION' | 'EMAIL') => ({ pk: `FUNNEL#DAY#${date}`, sk: part }),
  funnelDayPrefix: 'FUNNEL#DAY#',
  funnelTotals: () => ({ pk: 'FUNNEL#TOTALS', sk: 'TOTALS' }),
  /** one per projected fact (an event id, or a message and kind): a redelivered event counts once */
  funnelClaim: (claimId: string) => ({ pk: `FUNNEL#CLAIM#${claimId}`, sk: 'CLAIM' }),
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
