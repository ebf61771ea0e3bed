import { createHash } from 'node:crypto';
import { en } from 'zod/locales';
import * as z from 'zod/mini';
import type { Interaction } from '../domain/lead';
import { ValidationError } from '../http/http-errors';
import { leadIdFor, normalizeEmail } from '../security/lead-id';
import type { SignalStore } from './signal-store';

/** How far back a signal's `at` may lie: a sender's backlog, not history (an old `at` would distort decay). */
export const SIGNAL_MAX_AGE_DAYS = 30;
/** How far ahead a signal's `at` may lie: clock skew between systems, no more (a future `at` corrupts nurtureDueAt). */
export const SIGNAL_MAX_FUTURE_SECONDS = 300;

// A bad field's 400 carries zod's message ("Invalid email address"); zod/mini has none of its own.
z.config(en());

export const signalSchema = z.strictObject({
  email: z.pipe(z.string().check(z.trim(), z.toLowerCase(), z.maxLength(254)), z.email()),
  type: z.enum(['webinar_attended', 'trial_started']),
  id: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
  at: z.optional(z.iso.datetime({ offset: true })),
});
export type Signal = z.infer<typeof signalSchema>;

/** Validates a signal's body at the request's time `now`; a bad field is a 400 that names it. */
export function parseSignal(body: unknown, now: string): Signal {
  const parsed = signalSchema.safeParse(body);
  if (!parsed.success) {
    const fields: Record<string, string> = {};
    for (const issue of parsed.error.issues) {
      const field = issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue.path.join('.') || 'body';
      fields[field] ??= issue.code === 'unrecognized_keys' ? 'unknown field' : issue.message;
    }
    throw new ValidationError(fields);
  }
  const atProblem = parsed.data.at === undefined ? undefined : signalTimeProblem(parsed.data.at, now);
  if (atProblem) throw new ValidationError({ at: atProblem });
  return parsed.data;
}

/** Why `at` is outside [now − 30 days, now + 5 minutes], or undefined if it is inside. */
export function signalTimeProblem(at: string, now: string): string | undefined {
  const atMs = Date.parse(at);
  const nowMs = Date.parse(now);
  if (atMs < nowMs - SIGNAL_MAX_AGE_DAYS * 86_400_000) return `must not be more than ${SIGNAL_MAX_AGE_DAYS} days in the past`;
  if (atMs > nowMs + SIGNAL_MAX_FUTURE_SECONDS * 1000) {
    return `must not be more than ${SIGNAL_MAX_FUTURE_SECONDS / 60} minutes in the future`;
  }
  return undefined;
}

/**
 * The identity of a signal: its type and the sender's id for it (the webinar or trial), within the lead.
 * Never the time, so a retry with a fresh signature timestamp (or another `at`) is the same interaction.
 */
export function signalIdentity(signal: Pick<Signal, 'type' | 'id'>): string {
  return createHash('sha256').update(`${signal.type}:${signal.id}`).digest('hex').slice(0, 32);
}

export type IngestResult = Awaited<ReturnType<SignalStore['recordInteraction']>>;

/**
 * A webinar or trial signal becomes an interaction, the first time it arrives; its time is the signal's `at`,
 * else the signed timestamp. An unknown address becomes a warm lead without marketing consent; an erased
 * address is not re-created ('erased': nothing stored, nothing mailed).
 */
export async function ingestSignal(
  signal: Signal,
  signedAt: string,
  deps: { store: SignalStore; leadIdKey: string },
): Promise<{ leadId: string; result: IngestResult }> {
  const email = normalizeEmail(signal.email);
  const leadId = leadIdFor(email, deps.leadIdKey);
  const at = new Date(signal.at ?? signedAt).toISOString();
  const identity = signalIdentity(signal);
  const interaction: Interaction = { id: identity, type: signal.type, at, externalId: signal.id };
  const result = await deps.store.recordInteraction(leadId, interaction, { email, signalKey: identity });
  return { leadId, result };
}
