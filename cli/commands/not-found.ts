import type { SuppressionItem } from '../../shared/storage/erase-lead';
import type { CommandContext } from '../context';

/**
 * "No lead with email …", saying so when the address was erased (it is on the suppression list).
 * `suppression`: the entry if already read (undefined = read, none), or null to read it here.
 */
export async function notFoundMessage(
  ctx: CommandContext,
  email: string,
  leadId: string,
  suppression?: SuppressionItem | null,
): Promise<string> {
  let entry = suppression;
  if (entry === null) {
    const { getSuppression } = await import('../../shared/storage/erase-lead');
    entry = await getSuppression(ctx.tableName, leadId);
  }
  return entry
    ? `No lead with email ${email} (erased at ${entry.erasedAt}; the address is on the suppression list)`
    : `No lead with email ${email}`;
}
