import type { Campaign } from '../campaigns/campaign';
import type { CampaignCounter, CampaignStatus } from '../campaigns/campaign-figures';
import type { CampaignListing } from '../campaigns/campaign-store';

/** The console lists this many campaigns, newest send time first: campaigns are few (dozens a year), so no paging. */
export const CAMPAIGN_LIST_LIMIT = 50;

/** One row of `GET /console/api/campaigns`: the figures `npx leadpipe campaign status` shows, without the copy. */
export interface CampaignRow {
  id: string;
  name: string;
  status: CampaignStatus;
  sendAt: string;
  startedAt?: string;
  finishedAt?: string;
  cancelledAt?: string;
  counts: Record<CampaignCounter, number>;
}

function campaignRow(campaign: Campaign): CampaignRow {
  return {
    id: campaign.id,
    name: campaign.name,
    status: campaign.status,
    sendAt: campaign.sendAt,
    ...(campaign.startedAt ? { startedAt: campaign.startedAt } : {}),
    ...(campaign.finishedAt ? { finishedAt: campaign.finishedAt } : {}),
    ...(campaign.cancelledAt ? { cancelledAt: campaign.cancelledAt } : {}),
    counts: { ...campaign.counts },
  };
}

/** The campaign overview: the newest campaigns with their summed figures, read the way `campaign status` reads them. */
export async function listCampaignRows(store: CampaignListing, limit = CAMPAIGN_LIST_LIMIT): Promise<{ items: CampaignRow[] }> {
  return { items: (await store.listCampaigns(limit)).map(campaignRow) };
}
