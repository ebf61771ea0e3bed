import type { CampaignStore } from './campaign-store';

/**
 * Counts an unsubscribe in the figures of the campaign whose mail carried the link: campaign mails sign the
 * campaign id into their unsubscribe token (`data.campaign`, send-campaign-mail.ts). Once per (campaign, lead),
 * and only for a lead that got the campaign's mail (its marked claim), so a replayed link counts nothing.
 * Called by the unsubscribe handler after the withdrawal; false: not a campaign link, or counted before.
 */
export async function countCampaignUnsubscribe(
  campaigns: Pick<CampaignStore, 'countFeedback'>,
  token: { leadId: string; data?: Record<string, string> },
): Promise<boolean> {
  const campaignId = token.data?.campaign;
  if (!campaignId) return false;
  return campaigns.countFeedback(campaignId, token.leadId, 'unsubscribed');
}
