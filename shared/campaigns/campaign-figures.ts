/**
 * A campaign's statuses and figures, in a module without Node imports: the console bundles it for the browser
 * (campaign.ts, which re-exports these, needs node:crypto).
 */

export const CAMPAIGN_STATUSES = ['scheduled', 'sending', 'finished', 'cancelled'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** The figures `campaign status` prints, in its order, each counted once per message (sent: once per recipient). */
export const CAMPAIGN_COUNTERS = ['sent', 'delivered', 'opened', 'clicked', 'bounced', 'complained', 'unsubscribed'] as const;
export type CampaignCounter = (typeof CAMPAIGN_COUNTERS)[number];
export type CampaignCounts = Record<CampaignCounter, number>;
