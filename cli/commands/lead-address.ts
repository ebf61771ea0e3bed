import { leadIdFor, normalizeEmail } from '../../shared/security/lead-id';
import { CliError } from '../cli-error';
import type { CommandContext } from '../context';

/** The normalised address and its lead id (the keyed hash capture used when it stored the lead). */
export function leadAddress(ctx: Pick<CommandContext, 'leadIdKey'>, raw: string): { email: string; leadId: string } {
  const email = normalizeEmail(raw);
  if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw new CliError(`Not an email address: ${JSON.stringify(raw)}`);
  return { email, leadId: leadIdFor(email, ctx.leadIdKey) };
}
