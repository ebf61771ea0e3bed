import { subscriberShardFor, type AudienceRow, type Campaign } from '../../../shared/campaigns/campaign';
import type { CampaignMailSent, CampaignStore, RecipientClaim } from '../../../shared/campaigns/campaign-store';

/**
 * An in-memory CampaignStore with the adapter's conditions (claim once, mark once, release only unmarked claims,
 * count feedback once per marked claim), for unit tests of the use cases. `sent` keeps every recordSent.
 */
export function memoryCampaignStore(subscribers: AudienceRow[] = []) {
  const campaigns = new Map<string, Campaign>();
  const claims = new Map<string, RecipientClaim>();
  const sent: CampaignMailSent[] = [];
  const claimKey = (campaignId: string, leadId: string) => `${campaignId}\u0000${leadId}`;
  const store: CampaignStore = {
    async createCampaign(campaign) {
      const existing = campaigns.get(campaign.id);
      if (existing) return { created: false, campaign: structuredClone(existing) };
      campaigns.set(campaign.id, structuredClone(campaign));
      return { created: true, campaign };
    },
    async getCampaign(id) {
      const campaign = campaigns.get(id);
      return campaign ? structuredClone(campaign) : undefined;
    },
    async transition(id, from, to, at) {
      const campaign = campaigns.get(id);
      if (!campaign || !from.includes(campaign.status)) return false;
      campaign.status = to;
      campaign.updatedAt = at;
      return true;
    },
    async listAudiencePage(shard, cursor, limit) {
      const rows = subscribers.filter((row) => subscriberShardFor(row.leadId) === shard).sort((a, b) => a.leadId.localeCompare(b.leadId));
      const start = cursor === undefined ? 0 : Number(cursor);
      const page = rows.slice(start, start + limit);
      return { rows: page, ...(start + limit < rows.length ? { cursor: String(start + limit) } : {}) };
    },
    async claimRecipient(campaignId, leadId, at) {
      const key = claimKey(campaignId, leadId);
      if (claims.has(key)) return false;
      claims.set(key, { campaignId, leadId, claimedAt: at, counted: [] });
      return true;
    },
    async recordSent(mail) {
      const claim = claims.get(claimKey(mail.campaignId, mail.email.leadId));
      if (!claim || claim.messageId) throw new Error('TransactionCanceledException: claim missing or marked');
      claim.messageId = mail.email.messageId;
      claim.sentAt = mail.email.sentAt;
      const campaign = campaigns.get(mail.campaignId);
      if (campaign) campaign.counts.sent += 1;
      sent.push(mail);
    },
    async releaseClaim(campaignId, leadId) {
      const key = claimKey(campaignId, leadId);
      if (!claims.get(key)?.messageId) claims.delete(key);
    },
    async getClaim(campaignId, leadId) {
      const claim = claims.get(claimKey(campaignId, leadId));
      return claim ? structuredClone(claim) : undefined;
    },
    async countFeedback(campaignId, leadId, counter) {
      const claim = claims.get(claimKey(campaignId, leadId));
      const campaign = campaigns.get(campaignId);
      if (!claim?.messageId || claim.counted.includes(counter) || !campaign) return false;
      claim.counted.push(counter);
      campaign.counts[counter] += 1;
      return true;
    },
  };
  return { store, campaigns, claims, sent };
}
