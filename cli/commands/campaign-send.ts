import { emptyCounts, type Campaign, type CampaignDefinition } from '../../shared/campaigns/campaign';
import { definitionHash } from '../../shared/campaigns/campaign-folder';
import { CliError } from '../cli-error';
import type { CommandContext } from '../context';

/** `--at` accepts an ISO date-time with a zone (2027-01-14T09:00:00+01:00 or …Z). */
export function parseAt(value: string): string {
  const ms = /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:?\d{2})$/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms))
    throw new CliError(`--at must be an ISO date-time with a zone such as 2027-01-14T09:00:00+01:00, got ${JSON.stringify(value)}`);
  return new Date(ms).toISOString();
}

export interface CampaignSendResult {
  created: boolean;
  campaign: Campaign;
}

/**
 * `leadpipe campaign send <folder> [--at ISO]`: stores the campaign as scheduled (at --at, the folder's sendAt,
 * or now) and so puts `Campaign Scheduled` on the bus, which starts the sending engine at that time. Sending the
 * same folder again stores nothing and mails nobody: the campaign id exists, and every recipient's claim too.
 * A folder with other copy under an id already used is refused (a changed newsletter needs a new id).
 */
export async function campaignSend(
  ctx: CommandContext,
  input: { definition: CampaignDefinition; at?: string },
): Promise<CampaignSendResult> {
  const { definition } = input;
  const now = ctx.now().toISOString();
  const sendAt = input.at ?? (definition.sendAt ? new Date(definition.sendAt).toISOString() : now);
  const { sendAt: _folderSendAt, ...rest } = definition;
  const campaign: Campaign = {
    ...rest,
    status: 'scheduled',
    sendAt,
    contentHash: definitionHash(definition),
    createdAt: now,
    updatedAt: now,
    counts: emptyCounts(),
  };
  const { dynamoCampaignStore } = await import('../../shared/storage/dynamo-campaign-store');
  const result = await dynamoCampaignStore(ctx.tableName).createCampaign(campaign);
  if (result.created) {
    const when = sendAt <= now ? 'now' : `at ${sendAt}`;
    ctx.out.write(`Campaign ${campaign.id} scheduled: sending starts ${when}. Follow it with: leadpipe campaign status ${campaign.id}\n`);
    return result;
  }
  const stored = result.campaign;
  if (stored.contentHash !== campaign.contentHash) {
    throw new CliError(
      `Campaign ${campaign.id} exists already (${stored.status}, created ${stored.createdAt}) with other content; ` +
        'a changed campaign needs a new id in campaign.json',
    );
  }
  ctx.out.write(
    `Campaign ${campaign.id} exists already (${stored.status}, ${stored.counts.sent} sent): nothing new stored, nobody mailed again.\n`,
  );
  return result;
}
