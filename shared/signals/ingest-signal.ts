import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Interaction } from '../domain/lead';
import { ValidationError } from '../http/http-errors';
import { leadIdFor, normalizeEmail } from '../security/lead-id';
import { recordInteraction, type RecordInteractionResult } from '../storage/record-interaction';

export const signalSchema = z.strictObject({
  email: z.string().trim().toLowerCase().max(254).pipe(z.email()),
  type: z.enum(['webinar_attended', 'trial_started']),
  id: z.string().trim().min(1).max(200),
  at: z.iso.datetime({ offset: true }).optional(),
});
export type Signal = z.infer<typeof signalSchema>;

export function parseSignal(body: unknown): Signal {
  const parsed = signalSchema.safeParse(body);
  if (parsed.success) return parsed.data;
  const fields: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const field = issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue.path.join('.') || 'body';
    fields[field] ??= issue.code === 'unrecognized_keys' ? 'unknown field' : issue.message;
  }
  throw new ValidationError(fields);
}

/**
 * A webinar or trial signal becomes an interaction. Its id and time come from the signal (or, without
 * `at`, from the signed timestamp), so a replayed request is the same interaction, not a second one.
 * An unknown address becomes a warm lead without marketing consent.
 */
export async function ingestSignal(signal: Signal, signedAt: string, deps: { tableName: string; signingKey: string }): Promise<{ leadId: string; result: RecordInteractionResult }> {
  const email = normalizeEmail(signal.email);
  const leadId = leadIdFor(email, deps.signingKey);
  const at = new Date(signal.at ?? signedAt).toISOString();
  const interaction: Interaction = {
    id: createHash('sha256').update(`${signal.type}:${signal.id}:${at}`).digest('hex').slice(0, 32),
    type: signal.type,
    at,
    externalId: signal.id,
  };
  const result = await recordInteraction(deps.tableName, leadId, interaction, { createLead: { email } });
  return { leadId, result };
}
