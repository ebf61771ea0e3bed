import { CliError } from '../cli-error';
import type { CommandContext } from '../context';

/**
 * `leadpipe campaign cancel <id>`: stops the rest of a scheduled or sending campaign. The sender reads the
 * campaign's status with each batch and sends nothing more once it is cancelled; mails already accepted by SES
 * stay sent. A finished or already cancelled campaign is left as it is.
 */
export async function campaignCancel(ctx: CommandContext, input: { id: string }): Promise<boolean> {
  const { dynamoCampaignStore } = await import('../../shared/storage/dynamo-campaign-store');
  const store = dynamoCampaignStore(ctx.tableName);
  const at = ctx.now().toISOString();
  if (await store.transition(input.id, ['scheduled', 'sending'], 'cancelled', at)) {
    const campaign = await store.getCampaign(input.id);
    ctx.out.write(`Campaign ${input.id} cancelled at ${at} (${campaign?.counts.sent ?? 0} sent before); nobody else gets it.\n`);
    return true;
  }
  const campaign = await store.getCampaign(input.id);
  if (!campaign) throw new CliError(`No campaign with id ${input.id}`);
  ctx.out.write(`Campaign ${input.id} is ${campaign.status} already; nothing to cancel.\n`);
  return false;
}
