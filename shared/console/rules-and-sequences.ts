import * as z from 'zod/mini';
import type { ClassificationStore } from '../classification/classification-store';
import { reclassifyLead } from '../classification/reclassify-lead';
import { diffClassification, scoringConfigSchema, type ScoringConfig, type StageChange } from '../domain/classification';
import { formatConfigPath } from '../domain/config-issues';
import { LOCALES } from '../domain/lead';
import type { NurtureConfig } from '../domain/nurture';
import { ValidationError } from '../http/http-errors';
import { offerTitle, resolveOffer } from '../offers/offer-catalogue';
import type { EmailPerformance } from '../reporting/funnel-read-model';
import type { LeadItem } from '../storage/lead-item';
import type { ConsoleStore } from './console-store';
import { dayOf, listHorizon, walkList } from './lead-list';

/**
 * The console's Sequences and Rules pages: the nurture tracks and the scoring rules as the functions use them
 * (config/nurture-sequences.json, config/scoring-rules.json, through their loaders), and a dry run of changed rules.
 */

const ZERO = { sent: 0, opened: 0, clicked: 0, bounced: 0, complained: 0, unsubscribed: 0 };

/** The nurture tracks, step by step: when, which mail, which offer, and how the mail did. */
export function nurtureSequences(nurture: NurtureConfig, performance: EmailPerformance) {
  return {
    frequencyCapHours: nurture.frequencyCapHours,
    recycleCoolOffDays: nurture.recycleCoolOffDays,
    tracks: Object.entries(nurture.tracks).map(([stage, steps]) => ({
      stage,
      steps: steps.map((step, index) => {
        const offer = resolveOffer(step.offer);
        return {
          step: index + 1,
          delayDays: step.day,
          templateId: step.templateId,
          offer: {
            ref: step.offer,
            kind: offer?.kind ?? null,
            title: offer ? Object.fromEntries(LOCALES.map((locale) => [locale, offerTitle(offer, locale)])) : null,
          },
          performance: { ...ZERO, ...performance[step.templateId] },
        };
      }),
    })),
  };
}

export interface RuleRow {
  /** fit, engagement, stages or decay */
  section: string;
  /** the rule's path in the rules, e.g. `downloadPoints.bofu` */
  rule: string;
  value: unknown;
  description: string | null;
}

/** The scoring rules as they are, plus one row per rule with its description from the schema, for a readable table. */
export function scoringRules(rules: ScoringConfig): { rules: ScoringConfig; rows: RuleRow[] } {
  const rows: RuleRow[] = [];
  const visit = (value: unknown, schema: unknown, section: string, path: string[]) => {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const [name, child] of Object.entries(value)) {
        if (name === 'description') continue;
        visit(child, shapeOf(schema)?.[name], section || name, [...path, name]);
      }
      return;
    }
    rows.push({ section, rule: path.slice(1).join('.'), value, description: descriptionOf(schema) });
  };
  visit(rules, scoringConfigSchema, '', []);
  return { rules, rows };
}

function shapeOf(schema: unknown): Record<string, unknown> | undefined {
  return (schema as { def?: { shape?: Record<string, unknown> } } | undefined)?.def?.shape;
}

function descriptionOf(schema: unknown): string | null {
  return schema ? ((z.globalRegistry.get(schema as z.core.$ZodType)?.description as string | undefined) ?? null) : null;
}

/** `{"rules": {...}}`: a whole rule set, checked as the rules file is; a 400 naming each bad field as `rules.<path>`. */
export function parseRulesBody(fields: Record<string, unknown>): ScoringConfig {
  if (fields.rules === undefined)
    throw new ValidationError({ rules: 'required: the whole scoring rule set, as GET /console/api/rules returns it' });
  const result = scoringConfigSchema.safeParse(fields.rules);
  if (result.success) return result.data;
  const problems: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const paths = issue.code === 'unrecognized_keys' ? issue.keys.map((key) => [...issue.path, key]) : [issue.path];
    for (const path of paths) {
      const field = path.length === 0 ? 'rules' : `rules.${formatConfigPath(path)}`;
      problems[field] ??= issue.code === 'unrecognized_keys' ? 'unknown field' : issue.message;
    }
  }
  throw new ValidationError(problems);
}

/** How many of the most recent leads a preview classifies again: a bounded sample, never the whole table. */
export const RULES_PREVIEW_SAMPLE = 500;
/** Examples of changed leads a preview shows. */
export const RULES_PREVIEW_EXAMPLES = 10;
const PREVIEW_CONCURRENCY = 16;

export interface RulesPreviewDeps {
  store: ConsoleStore;
  /** the classification's own read (shared/storage/dynamo-classification-store.ts); nothing is written */
  loadClassificationInput: ClassificationStore['loadClassificationInput'];
  retentionDays: number;
}

/**
 * What changed rules would do to the most recent RULES_PREVIEW_SAMPLE leads (the `leads-by-day` index, newest first):
 * the dry run of `npx leadpipe rescore --dry-run`, i.e. reclassifyLead, the functions' own code, with a store that
 * keeps the write instead of making it. Counts stage changes per field and gives a few examples.
 */
export async function previewRules(input: { rules: ScoringConfig; at: string }, deps: RulesPreviewDeps) {
  const { rows } = await walkList({
    store: deps.store,
    index: 'recent',
    filter: {},
    start: { partition: dayOf(input.at) },
    limit: RULES_PREVIEW_SAMPLE,
    horizon: listHorizon(input.at),
    maxRead: 2 * RULES_PREVIEW_SAMPLE,
    at: input.at,
  });
  const changed = { lifecycle: 0, qualification: 0, funnelStage: 0 };
  const transitions: Record<string, number> = {};
  const examples: Array<{ email: string; changes: StageChange[]; score: { before: number; after: number } }> = [];
  let leadsChanged = 0;
  let scoreChanged = 0;
  let next = 0;
  const worker = async () => {
    while (next < rows.length) {
      const { row, leadId } = rows[next++]!;
      const result = await dryRun(leadId, input, deps);
      if (!result) continue;
      if (result.scoreAfter !== result.scoreBefore) scoreChanged += 1;
      if (result.changes.length === 0) continue;
      leadsChanged += 1;
      for (const change of result.changes) {
        changed[change.field] += 1;
        const key = `${change.field}:${change.from ?? 'none'}>${change.to ?? 'none'}`;
        transitions[key] = (transitions[key] ?? 0) + 1;
      }
      if (examples.length < RULES_PREVIEW_EXAMPLES) {
        examples.push({ email: row.email, changes: result.changes, score: { before: result.scoreBefore, after: result.scoreAfter } });
      }
    }
  };
  await Promise.all(Array.from({ length: PREVIEW_CONCURRENCY }, worker));
  return {
    sample: {
      limit: RULES_PREVIEW_SAMPLE,
      leads: rows.length,
      newestCreatedAt: rows[0]?.row.createdAt ?? null,
      oldestCreatedAt: rows.at(-1)?.row.createdAt ?? null,
    },
    leadsChanged,
    scoreChanged,
    changed,
    transitions,
    examples: examples.sort((a, b) => a.email.localeCompare(b.email)),
  };
}

/** One lead under the new rules, as rescore --dry-run classifies it: nothing is written. */
async function dryRun(leadId: string, input: { rules: ScoringConfig; at: string }, deps: RulesPreviewDeps) {
  let read: LeadItem | undefined;
  let written: Parameters<ClassificationStore['writeClassification']>[0] | undefined;
  const store: ClassificationStore = {
    loadClassificationInput: async (id, window) => {
      const loaded = await deps.loadClassificationInput(id, window);
      read = loaded.lead;
      return loaded;
    },
    writeClassification: async (change) => {
      written = change;
    },
  };
  const outcome = await reclassifyLead({ store, retentionDays: deps.retentionDays }, leadId, input.at, input.rules);
  if (outcome.kind === 'no-lead' || !read) return undefined;
  const before = {
    lifecycle: read.lifecycle,
    qualification: read.qualification ?? 'unqualified',
    funnelStage: read.funnelStage ?? null,
    pql: read.pql ?? false,
  };
  const scoreBefore = read.score ?? 0;
  if (!written) return { changes: [], scoreBefore, scoreAfter: scoreBefore };
  return { changes: diffClassification(before, written.classification).changes, scoreBefore, scoreAfter: written.classification.score };
}
