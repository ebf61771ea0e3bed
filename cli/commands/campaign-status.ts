import { CAMPAIGN_COUNTERS, type Campaign } from '../../shared/campaigns/campaign';
import { CliError } from '../cli-error';
import type { CommandContext } from '../context';

/** `leadpipe campaign status <id> [--json]`: where the campaign stands and its figures. */
export async function campaignStatus(ctx: CommandContext, input: { id: string; json: boolean }): Promise<Campaign> {
  const { dynamoCampaignStore } = await import('../../shared/storage/dynamo-campaign-store');
  const campaign = await dynamoCampaignStore(ctx.tableName).getCampaign(input.id);
  if (!campaign) throw new CliError(`No campaign with id ${input.id}`);
  if (input.json) {
    const { content: _content, ...summary } = campaign;
    ctx.out.write(`${JSON.stringify(summary, null, 2)}\n`);
    return campaign;
  }
  const lines = [
    `Campaign ${campaign.id}: ${campaign.name}`,
    `Status:       ${campaign.status}`,
    `Send at:      ${campaign.sendAt}`,
    ...(campaign.startedAt ? [`Started:      ${campaign.startedAt}`] : []),
    ...(campaign.finishedAt ? [`Finished:     ${campaign.finishedAt}`] : []),
    ...(campaign.cancelledAt ? [`Cancelled:    ${campaign.cancelledAt}`] : []),
    '',
    ...CAMPAIGN_COUNTERS.map((counter) => `${`${counter}:`.padEnd(14)}${String(campaign.counts[counter]).padStart(8)}`),
  ];
  ctx.out.write(`${lines.join('\n')}\n`);
  return campaign;
}
