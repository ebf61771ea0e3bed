import { classifyLead, type ScoringConfig } from '../domain/classification';
import { FUNNEL_STAGES, type Classification, type FunnelStage, type Interaction, type ScoreContribution } from '../domain/lead';
import { MAX_STORED_EXPLANATION_LINES, MAX_STORED_INTERACTION_POINTS, type LeadItem } from '../storage/lead-item';

/**
 * What one classification looks at, and what it stores: both bounded, whatever strangers post.
 *
 * Read: the lead's newest MAX_CLASSIFIED_INTERACTIONS interactions that are younger than the decay
 * window plus a day. Older ones earn no points anyway (decay); what they did for the funnel stage is
 * kept because the stage never falls below the stored one (interactions are never removed, only whole
 * leads are, so the highest stage ever reached is the stored one or a newer one). Lifecycle and PQL
 * never move back either. So the bound changes nothing unless a lead has more than
 * MAX_CLASSIFIED_INTERACTIONS interactions within the decay window; then the oldest of those count as
 * decayed. Without the bound, classification read the whole partition for every interaction: a cost
 * that grew with every post (quadratic in a flood) and a read of any size.
 *
 * Stored: see storedClassification.
 */
export const MAX_CLASSIFIED_INTERACTIONS = 200;
const DAY_MS = 86_400_000;

export interface ClassificationWindow {
  /** sort-key time from which interactions are read (inclusive) */
  since: string;
  limit: number;
}

export function classificationWindow(now: string, config: ScoringConfig): ClassificationWindow {
  // A day of margin: the classifier decides decay exactly, timestamps of other shapes (no millis) sort close enough.
  return { since: new Date(Date.parse(now) - (config.decay.decayDays + 1) * DAY_MS).toISOString(), limit: MAX_CLASSIFIED_INTERACTIONS };
}

/** The same window applied to interactions already in memory (a whole partition read by the dispatcher). */
export function withinWindow(interactions: readonly Interaction[], window: ClassificationWindow): Interaction[] {
  const inWindow = interactions.filter((interaction) => interaction.at >= window.since);
  // Sort-key order: the key is INTERACTION#<at>#<id>.
  inWindow.sort((a, b) => compare(`${a.at}#${a.id}`, `${b.at}#${b.id}`));
  return inWindow.slice(Math.max(0, inWindow.length - window.limit));
}

/**
 * The classification as it will be stored: classifyLead over the windowed interactions, with the
 * stage kept at least at the stored one and the lists bounded (storedClassification).
 */
export function classifyForStorage(input: {
  lead: Pick<LeadItem, 'email' | 'company' | 'lifecycle' | 'pql' | 'engagementResetAt' | 'createdAt' | 'funnelStage'>;
  interactions: readonly Interaction[];
  config: ScoringConfig;
  now: string;
}): Classification {
  const { lead, config, now } = input;
  const interactions = withinWindow(input.interactions, classificationWindow(now, config));
  const classification = classifyLead({
    lead: {
      email: lead.email,
      company: lead.company,
      lifecycle: lead.lifecycle,
      pql: lead.pql ?? false,
      engagementResetAt: lead.engagementResetAt,
      profileKnownAt: lead.createdAt,
    },
    interactions,
    config,
    now,
  });
  return storedClassification(
    { ...classification, funnelStage: higherStage(lead.funnelStage ?? null, classification.funnelStage) },
    interactions,
  );
}

/**
 * Bounds the two lists a classification stores on the profile:
 * - interactionPoints: only interactions that earned points (an absent id reads as 0, as every reader
 *   already assumes), and at most MAX_STORED_INTERACTION_POINTS of them: the oldest, because they decay
 *   first, so the next decay review (nextDecayAt) stays exact.
 * - scoreExplanation: at most MAX_STORED_EXPLANATION_LINES lines: the first two (fit lines come first),
 *   one line summing the oldest engagement lines, and the newest. The points still add up to the score.
 */
export function storedClassification(c: Classification, interactions: readonly Interaction[]): Classification {
  return {
    ...c,
    interactionPoints: boundedPoints(c.interactionPoints, interactions),
    scoreExplanation: boundedExplanation(c.scoreExplanation),
  };
}

function boundedPoints(points: Record<string, number>, interactions: readonly Interaction[]): Record<string, number> {
  const scored = interactions.filter((interaction) => (points[interaction.id] ?? 0) !== 0);
  scored.sort((a, b) => compare(`${a.at}#${a.id}`, `${b.at}#${b.id}`));
  const kept: Array<[string, number]> = [];
  const seen = new Set<string>();
  for (const interaction of scored) {
    if (kept.length >= MAX_STORED_INTERACTION_POINTS) break;
    if (seen.has(interaction.id)) continue;
    seen.add(interaction.id);
    kept.push([interaction.id, points[interaction.id]!]);
  }
  // fromEntries defines own properties, so an id like "__proto__" is stored, not swallowed
  return Object.fromEntries(kept);
}

const KEPT_HEAD_LINES = 2;

function boundedExplanation(lines: readonly ScoreContribution[]): ScoreContribution[] {
  if (lines.length <= MAX_STORED_EXPLANATION_LINES) return [...lines];
  const head = lines.slice(0, KEPT_HEAD_LINES);
  const tailLength = MAX_STORED_EXPLANATION_LINES - KEPT_HEAD_LINES - 1;
  const summarised = lines.slice(KEPT_HEAD_LINES, lines.length - tailLength);
  const tail = lines.slice(lines.length - tailLength);
  const summary: ScoreContribution = {
    reason: `${summarised.length} earlier contributions`,
    points: summarised.reduce((sum, line) => sum + line.points, 0),
    at: summarised[0]!.at,
  };
  return [...head, summary, ...tail];
}

function higherStage(a: FunnelStage | null, b: FunnelStage | null): FunnelStage | null {
  if (a === null) return b;
  if (b === null) return a;
  return FUNNEL_STAGES.indexOf(a) >= FUNNEL_STAGES.indexOf(b) ? a : b;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
