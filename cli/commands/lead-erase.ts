import type { CommandContext } from '../context';
import { leadAddress } from './lead-address';

const KIND_LABELS = {
  profile: 'profile',
  interactions: 'interactions',
  emails: 'emails sent',
  events: 'outbox events',
  submissions: 'dedupe items',
  other: 'other items',
  messageLookups: 'message lookups',
} as const;

/**
 * `leadpipe lead erase <email>`: a GDPR erasure (Art. 17). Deletes everything stored for the lead
 * (see shared/storage/erase-lead.ts) and puts its lead id, which is a keyed (salted) hash of the
 * address and not the address, on the suppression list, so a later import of the address is
 * rejected. An address nothing is stored for is put on the suppression list all the same.
 */
export async function leadErase(ctx: CommandContext, input: { email: string }): Promise<void> {
  const { email, leadId } = leadAddress(ctx, input.email);
  const at = ctx.now().toISOString();
  const { eraseLead, ERASED_ITEM_KINDS } = await import('../../shared/storage/erase-lead');
  const result = await eraseLead(ctx.tableName, leadId, at, {
    onProgress: (deleted, found) => ctx.err.write(`deleted ${deleted}/${found}\n`),
  });
  const lines = result.found
    ? [`Erased ${email} (lead ${leadId}) at ${at}:`]
    : [`No data stored for ${email} (lead ${leadId}); nothing to delete.`];
  if (result.found) {
    for (const kind of ERASED_ITEM_KINDS) lines.push(`  ${KIND_LABELS[kind].padEnd(16)} ${String(result.deleted[kind]).padStart(5)}`);
  }
  lines.push(`Suppression list: the address's keyed hash (lead id) is suppressed since ${at}; imports of it are rejected.`);
  ctx.out.write(`${lines.join('\n')}\n`);
}
