import { buildLeadExport } from '../../shared/lead-view/lead-export';
import { CliError } from '../cli-error';
import type { CommandContext } from '../context';
import { leadAddress } from './lead-address';
import { notFoundMessage } from './not-found';

/**
 * `leadpipe lead export <email>`: a GDPR access request (Art. 15). Prints, as JSON on stdout,
 * everything stored for the lead: every item of its partition and the message lookups of its emails,
 * with the storage keys (pk, sk) stripped, grouped by kind, plus convenience sections for consent,
 * sales decisions and nurture state that repeat what the profile holds.
 */
export async function leadExport(ctx: CommandContext, input: { email: string }): Promise<void> {
  const { email, leadId } = leadAddress(ctx, input.email);
  const { readStoredLeadData, getSuppression } = await import('../../shared/storage/erase-lead');
  const [data, suppression] = await Promise.all([readStoredLeadData(ctx.tableName, leadId), getSuppression(ctx.tableName, leadId)]);
  if (data.items.length === 0) throw new CliError(await notFoundMessage(ctx, email, leadId, suppression));
  const exported = buildLeadExport({ email, leadId, exportedAt: ctx.now().toISOString(), data, suppression });
  ctx.out.write(`${JSON.stringify(exported, null, 2)}\n`);
}
