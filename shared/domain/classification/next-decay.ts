import type { Interaction } from '../lead';
import type { ScoringConfig } from './scoring-config';

const DAY_MS = 86_400_000;

/**
 * The next time a scored interaction falls out of the decay window, after `now`: when the scheduled
 * run must look at this lead again for its score to stay true. Null when nothing will decay.
 */
export function nextDecayAt(
  interactions: readonly Interaction[],
  interactionPoints: Record<string, number>,
  config: ScoringConfig,
  now: string,
): string | null {
  const nowMs = Date.parse(now);
  let earliest = Number.POSITIVE_INFINITY;
  for (const interaction of interactions) {
    if ((interactionPoints[interaction.id] ?? 0) <= 0) continue;
    const expiresMs = Date.parse(interaction.at) + config.decay.decayDays * DAY_MS;
    if (expiresMs > nowMs && expiresMs < earliest) earliest = expiresMs;
  }
  return Number.isFinite(earliest) ? new Date(earliest).toISOString() : null;
}
