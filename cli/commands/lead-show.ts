import { CliError } from '../cli-error';
import type { CommandContext } from '../context';
import { formatLeadView } from '../format/lead-text';
import { leadAddress } from './lead-address';
import { notFoundMessage } from './not-found';

/**
 * `leadpipe lead show <email> [--json]`. With --json: exactly buildLeadView's JSON, the same the
 * local `GET /_dev/leads/:email` answers; without: a readable summary of it.
 */
export async function leadShow(ctx: CommandContext, input: { email: string; json: boolean }): Promise<void> {
  const { email, leadId } = leadAddress(ctx, input.email);
  const { loadLeadPartition } = await import('../../shared/storage/lead-partition');
  const { buildLeadView } = await import('../../shared/lead-view/lead-view');
  const view = buildLeadView(await loadLeadPartition(ctx.tableName, leadId));
  if (!view) throw new CliError(await notFoundMessage(ctx, email, leadId, null));
  ctx.out.write(input.json ? `${JSON.stringify(view, null, 2)}\n` : formatLeadView(view));
}
