/**
 * Measurement 5 — classification throughput. Pure classifyLead calls over pre-generated, realistic
 * histories of 10–50 interactions each (downloads of the catalogue assets, email opens and clicks,
 * webinars, a contact request now and then, redelivered duplicates, some interactions older than
 * the decay window), timed in rounds interleaved with a baseline that deep-copies each history with
 * JSON.parse(JSON.stringify(history)) — roughly what reading the same items off the wire costs.
 */
import type { Interaction, InteractionType } from '../shared/domain/lead';
import { Deadline, progress } from './progress';
import { median, nowMs, ratio, round, seededRandom } from './stats';

export interface ClassificationResult {
  leads: number;
  interactionsPerLead: { min: number; mean: number; max: number };
  rounds: number;
  classifyPerSecond: number;
  baselinePerSecond: number;
  classifyMicrosPerLead: number;
  baselineMicrosPerLead: number;
  /** classify time / baseline time per lead */
  ratio: number;
  /** by history length: µs per classifyLead call */
  byHistoryLength: Array<{ interactions: string; microsPerLead: number; ratioToBaseline: number }>;
  outcomes: Record<string, number>;
}

const DAY_MS = 86_400_000;
const ASSETS = [
  { id: 'ebook-lead-types', funnelStage: 'tofu' },
  { id: 'case-study-b2b', funnelStage: 'mofu' },
  { id: 'pricing-guide', funnelStage: 'bofu' },
] as const;

interface Sample {
  lead: { email: string; company?: string; lifecycle: 'warm' | 'mql'; pql: boolean; profileKnownAt: string; engagementResetAt?: string };
  interactions: Interaction[];
}

export function generateHistories(count: number, now: number, seed = 7): Sample[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const samples: Sample[] = [];
  for (let n = 0; n < count; n += 1) {
    const size = 10 + Math.floor(random() * 41);
    const createdMs = now - Math.floor(random() * 365) * DAY_MS;
    const interactions: Interaction[] = [];
    const at = () => new Date(createdMs + Math.floor(random() * (now - createdMs))).toISOString();
    const messageIds = Array.from({ length: 6 }, (_, i) => `0102019${n.toString(16)}-${i}-msg`);
    interactions.push({
      id: `i-${n}-0`,
      type: 'newsletter_signup',
      at: new Date(createdMs).toISOString(),
      attribution: { utm_source: 'linkedin', utm_medium: 'paid-social', utm_campaign: 'q4' },
    });
    interactions.push({ id: `i-${n}-1`, type: 'consent_confirmed', at: new Date(createdMs + 3_600_000).toISOString() });
    while (interactions.length < size) {
      const id = `i-${n}-${interactions.length}`;
      const roll = random();
      let type: InteractionType;
      if (roll < 0.45) type = 'email_open';
      else if (roll < 0.75) type = 'email_click';
      else if (roll < 0.92) type = 'download';
      else type = 'webinar_attended';
      // Hand-raisers and trials are rare: about one lead in ten contacts sales, one in twenty starts a trial.
      if (interactions.length === size - 1 && random() < 0.1) type = 'contact';
      else if (interactions.length === size - 2 && random() < 0.05) type = 'trial_started';
      const base = { id, type, at: at() };
      if (type === 'download') {
        const asset = pick(ASSETS);
        interactions.push({ ...base, assetId: asset.id, funnelStage: asset.funnelStage });
      } else if (type === 'email_open' || type === 'email_click') interactions.push({ ...base, messageId: pick(messageIds) });
      else if (type === 'webinar_attended' || type === 'trial_started')
        interactions.push({ ...base, externalId: `ext-${Math.floor(random() * 4)}` });
      else interactions.push({ ...base, message: 'Bitte um Rückruf wegen eines Angebots.' });
      // EventBridge delivers at least once: now and then the same interaction arrives twice.
      if (random() < 0.02 && interactions.length < size) interactions.push({ ...interactions.at(-1)! });
    }
    samples.push({
      lead: {
        email: random() < 0.7 ? `person${n}@firma-${n % 97}.example` : `person${n}@gmail.com`,
        ...(random() < 0.6 ? { company: 'Acme Industrie GmbH' } : {}),
        lifecycle: 'warm',
        pql: false,
        profileKnownAt: new Date(createdMs).toISOString(),
        ...(random() < 0.05 ? { engagementResetAt: new Date(now - 30 * DAY_MS).toISOString() } : {}),
      },
      // Stored order is by sort key, but events can arrive in any order: shuffle a little.
      interactions: interactions.sort(() => random() - 0.5),
    });
  }
  return samples;
}

export async function measureClassification(
  options: { leads?: number; rounds?: number; budgetMs?: number } = {},
): Promise<ClassificationResult> {
  const { classifyLead, defaultScoringConfig } = await import('../shared/domain/classification');
  const deadline = new Deadline(options.budgetMs ?? 60_000);
  const leads = options.leads ?? 2_000;
  const wantedRounds = options.rounds ?? 15;
  const now = Date.parse('2026-11-29T12:00:00.000Z');
  const nowIso = new Date(now).toISOString();
  const samples = generateHistories(leads, now);
  let sink = 0;
  const outcomes: Record<string, number> = {};

  const classifyAll = (subset: readonly Sample[]) => {
    const start = nowMs();
    for (const sample of subset) {
      const result = classifyLead({ lead: sample.lead, interactions: sample.interactions, config: defaultScoringConfig, now: nowIso });
      sink += result.score;
    }
    return nowMs() - start;
  };
  const copyAll = (subset: readonly Sample[]) => {
    const start = nowMs();
    for (const sample of subset) sink += (JSON.parse(JSON.stringify(sample.interactions)) as unknown[]).length;
    return nowMs() - start;
  };

  // Warm-up (JIT) and the outcome mix, outside the timed rounds.
  for (const sample of samples) {
    const result = classifyLead({ lead: sample.lead, interactions: sample.interactions, config: defaultScoringConfig, now: nowIso });
    const key = `${result.lifecycle}/${result.qualification}/${result.funnelStage ?? 'none'}${result.pql ? '/pql' : ''}`;
    outcomes[key] = (outcomes[key] ?? 0) + 1;
  }
  copyAll(samples);

  const classifyTimes: number[] = [];
  const copyTimes: number[] = [];
  progress(`classification: ${leads} histories, up to ${wantedRounds} interleaved rounds`);
  for (let round = 0; round < wantedRounds && (round < 3 || !deadline.passed); round += 1) {
    if (round % 2 === 0) {
      classifyTimes.push(classifyAll(samples));
      copyTimes.push(copyAll(samples));
    } else {
      copyTimes.push(copyAll(samples));
      classifyTimes.push(classifyAll(samples));
    }
  }

  const buckets = [
    { label: '10–19', min: 10, max: 19 },
    { label: '20–29', min: 20, max: 29 },
    { label: '30–39', min: 30, max: 39 },
    { label: '40–50', min: 40, max: 60 },
  ];
  const byHistoryLength = buckets.map((bucket) => {
    const subset = samples.filter((sample) => sample.interactions.length >= bucket.min && sample.interactions.length <= bucket.max);
    const classify = median([0, 1, 2].map(() => classifyAll(subset)));
    const copy = median([0, 1, 2].map(() => copyAll(subset)));
    return {
      interactions: bucket.label,
      microsPerLead: round((classify * 1000) / Math.max(1, subset.length)),
      ratioToBaseline: round(ratio(classify, copy)),
    };
  });

  const classifyMs = median(classifyTimes);
  const copyMs = median(copyTimes);
  const sizes = samples.map((sample) => sample.interactions.length);
  if (sink === Number.MIN_SAFE_INTEGER) process.stderr.write('');
  return {
    leads,
    interactionsPerLead: { min: Math.min(...sizes), mean: round(sizes.reduce((a, b) => a + b, 0) / sizes.length), max: Math.max(...sizes) },
    rounds: classifyTimes.length,
    classifyPerSecond: round((leads / classifyMs) * 1000),
    baselinePerSecond: round((leads / copyMs) * 1000),
    classifyMicrosPerLead: round((classifyMs * 1000) / leads),
    baselineMicrosPerLead: round((copyMs * 1000) / leads),
    ratio: round(ratio(classifyMs, copyMs)),
    byHistoryLength,
    outcomes,
  };
}
