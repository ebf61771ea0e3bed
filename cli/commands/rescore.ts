import type { ClassificationChange, ClassificationStore } from '../../shared/classification/classification-store';
import { diffClassification, parseScoringConfig, type ScoringConfig, type StageChange } from '../../shared/domain/classification';
import type { Classification } from '../../shared/domain/lead';
import type { LeadItem } from '../../shared/storage/lead-item';
import { CliError, readOperatorFile } from '../cli-error';
import type { CommandContext } from '../context';
import { readEnv } from '../../shared/config/read-env';
import { OPT_IN_RETENTION_ENV } from '../../shared/wiring/function-config';

const CONCURRENCY = 8;

/** Reads and validates a scoring rules file; needs no target, so bad rules fail before anything is read. */
export async function readScoringConfigFile(file: string): Promise<ScoringConfig> {
  const text = await readOperatorFile(file);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CliError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  try {
    return parseScoringConfig(json);
  } catch (error) {
    // parseScoringConfig names every bad field, e.g. "stages.mqlThreshold: Too small: expected number to be >=0"
    throw new CliError(`${file}: ${(error as Error).message}`);
  }
}

export interface RescoreChange {
  email: string;
  leadId: string;
  changes: StageChange[];
}

export interface RescoreResult {
  dryRun: boolean;
  leads: number;
  /** leads whose lifecycle, qualification or funnel stage changes (or would) */
  stageChanges: RescoreChange[];
  /** leads whose score changes (or would) but no stage */
  scoreOnly: number;
  unchanged: number;
}

/**
 * `leadpipe rescore --config <file> [--dry-run]`: classifies every lead again under new scoring
 * rules. Both runs go through reclassifyLead, the functions' own code: the real run writes (optimistic
 * locking, stage-change and qualification events in the same transaction, so sales hears about new MQLs);
 * the dry run gives it a store that reads the table and keeps the write instead of sending it. So the dry
 * run reports exactly the leads, and the changes, that a real run on the same data then writes, including
 * leads whose only change is their nurture review time. "now" (for decay) is the CLI's clock, read once.
 */
export async function rescore(
  ctx: CommandContext,
  input: { config: ScoringConfig; configLabel: string; dryRun: boolean },
): Promise<RescoreResult> {
  const now = ctx.now().toISOString();
  const { scanLeadProfiles } = await import('../../shared/storage/scan-leads');
  const { reclassifyLead } = await import('../../shared/classification/reclassify-lead');
  const { dynamoClassificationStore } = await import('../../shared/storage/dynamo-classification-store');
  const tableStore = dynamoClassificationStore(ctx.tableName);
  // As the functions do: RETENTION_DAYS from the environment, 30 by default.
  const { RETENTION_DAYS: retentionDays } = readEnv(OPT_IN_RETENTION_ENV);

  const leads = await scanLeadProfiles(ctx.tableName, { fields: ['leadId', 'email'] });
  const result: RescoreResult = { dryRun: input.dryRun, leads: 0, stageChanges: [], scoreOnly: 0, unchanged: 0 };
  let done = 0;
  await forEachWithConcurrency(leads, CONCURRENCY, async ({ leadId, email }) => {
    // The lead as the classification last read it, and the write it made (or would make) from that read.
    let read: LeadItem | undefined;
    let written: ClassificationChange | undefined;
    const store: ClassificationStore = {
      loadClassificationInput: async (id, window) => {
        const loaded = await tableStore.loadClassificationInput(id, window);
        read = loaded.lead;
        return loaded;
      },
      writeClassification: async (change) => {
        if (!input.dryRun) await tableStore.writeClassification(change);
        written = change;
      },
    };
    const outcome = await reclassifyLead({ store, retentionDays }, leadId, now, input.config);
    if (outcome.kind !== 'no-lead') {
      result.leads += 1;
      const changes = read && written ? stageChanges(read, written.classification) : [];
      if (changes.length > 0) result.stageChanges.push({ email, leadId, changes });
      else if (outcome.kind === 'updated') result.scoreOnly += 1;
      else result.unchanged += 1;
    }
    done += 1;
    if (done % 100 === 0 || done === leads.length) ctx.err.write(`${input.dryRun ? 'checked' : 'rescored'} ${done}/${leads.length}\n`);
  });
  result.stageChanges.sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0));
  ctx.out.write(formatRescore(result, input.configLabel));
  if (!input.dryRun && result.stageChanges.length + result.scoreOnly > 0) {
    ctx.err.write(
      'note: the classify-lead function still scores with config/scoring-rules.json; ' +
        "a lead's next interaction re-classifies it under those rules. Deploy the new rules to make them stick.\n",
    );
  }
  return result;
}

function stageChanges(lead: LeadItem, classification: Classification): StageChange[] {
  const before = {
    lifecycle: lead.lifecycle,
    qualification: lead.qualification ?? 'unqualified',
    funnelStage: lead.funnelStage ?? null,
    pql: lead.pql ?? false,
  };
  return diffClassification(before, classification).changes;
}

function formatRescore(result: RescoreResult, configLabel: string): string {
  const n = result.stageChanges.length;
  const lines = result.dryRun
    ? [
        `Dry run under ${configLabel}: ${n} of ${result.leads} lead${result.leads === 1 ? '' : 's'} would change stage, ` +
          `${result.scoreOnly} would change score only (nothing written)`,
      ]
    : [
        `Rescored ${result.leads} lead${result.leads === 1 ? '' : 's'} under ${configLabel}: ${n} changed stage, ` +
          `${result.scoreOnly} changed score only, ${result.unchanged} unchanged`,
      ];
  for (const change of result.stageChanges) {
    lines.push(`  ${change.email}  ${change.changes.map((c) => `${c.field} ${c.from ?? '(none)'} → ${c.to ?? '(none)'}`).join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}

async function forEachWithConcurrency<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}
