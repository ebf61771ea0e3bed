import { reclassifyLead } from '../classification/reclassify-lead';
import type { ScoringConfig } from '../domain/classification';
import { markSent, skipStep, type NurtureConfig } from '../domain/nurture';
import { sendEmail } from '../email/send-email';
import type { TemplateId } from '../email/email-templates';
import { signToken } from '../security/signed-token';
import { getLead } from '../storage/lead-store';
import { isRetryableSendError } from './send-errors';
import { claimNurtureStep, dueLeadIds, releaseNurtureStep, storeDueTime } from './nurture-store';
import { nurtureFieldsFor } from './nurture-schedule';

/** A claim older than this belongs to a run that died mid-send; the next run takes it over. */
const STALE_CLAIM_MS = 60 * 60_000;
const LEADS_IN_PARALLEL = 8;

export interface DispatchDeps {
  tableName: string;
  signingKey: string;
  publicBaseUrl: string;
  imprint: string;
  bookingUrl: string;
  scoring: ScoringConfig;
  nurture: NurtureConfig;
}

export type LeadDispatchOutcome = 'sent' | 'waiting' | 'stopped' | 'claimed-elsewhere' | 'retry-later' | 'failed' | 'no-lead';

export interface DispatchReport {
  dueLeads: number;
  readUnits: number;
  outcomes: Record<LeadDispatchOutcome, number>;
}

/**
 * One scheduled nurture run at `now` (the schedule event's time): reads only the due shards of the
 * index, re-evaluates decay for each due lead, and sends at most one claimed step per lead.
 */
export async function dispatchNurture(now: string, deps: DispatchDeps): Promise<DispatchReport> {
  const shards = Array.from({ length: deps.nurture.dueIndexShards }, (_, index) => `DUE#${index}`);
  const pages = await Promise.all(shards.map((shard) => dueLeadIds(deps.tableName, shard, now)));
  const leadIds = [...new Set(pages.flatMap((page) => page.leadIds))];
  const outcomes: Record<LeadDispatchOutcome, number> = { sent: 0, waiting: 0, stopped: 0, 'claimed-elsewhere': 0, 'retry-later': 0, failed: 0, 'no-lead': 0 };
  let next = 0;
  const worker = async () => {
    while (next < leadIds.length) {
      const leadId = leadIds[next++]!;
      outcomes[await dispatchLead(leadId, now, deps)] += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(LEADS_IN_PARALLEL, leadIds.length) }, worker));
  return { dueLeads: leadIds.length, readUnits: pages.reduce((sum, page) => sum + page.readUnits, 0), outcomes };
}

async function dispatchLead(leadId: string, now: string, deps: DispatchDeps): Promise<LeadDispatchOutcome> {
  // Decay first: a lead whose score decays may change stage, and so track.
  await reclassifyLead(deps.tableName, leadId, now, deps.scoring);
  const lead = await getLead(deps.tableName, leadId);
  if (!lead) return 'no-lead';
  const fields = nurtureFieldsFor(lead, now, deps.nurture);
  const plan = fields.plan;
  if (plan.kind !== 'send' || !fields.nurture) {
    if ((lead.nurtureDueAt ?? null) !== fields.nurtureDueAt) await storeDueTime(deps.tableName, leadId, lead.version, fields.nurtureDueAt, fields.dueShard);
    return plan.kind === 'wait' ? 'waiting' : 'stopped';
  }
  const staleBefore = new Date(Date.parse(now) - STALE_CLAIM_MS).toISOString();
  const claimed = await claimNurtureStep(deps.tableName, leadId, { version: lead.version, state: fields.nurture, step: plan.step, at: now, staleBefore });
  if (!claimed) return 'claimed-elsewhere';

  const locale = lead.locale ?? 'de';
  const stepName = `${plan.track}-${plan.step + 1}`;
  const unsubscribeUrl = `${deps.publicBaseUrl}/unsubscribe?token=${encodeURIComponent(signToken({ purpose: 'unsubscribe', leadId, data: { locale } }, deps.signingKey))}`;
  try {
    await sendEmail({
      leadId,
      to: [lead.email],
      templateId: plan.templateId as TemplateId,
      locale,
      vars: { firstName: lead.firstName ?? '', unsubscribeUrl, imprint: deps.imprint, contentUrl: `${deps.publicBaseUrl}/`, bookingUrl: deps.bookingUrl } as never,
      category: 'marketing',
      at: now,
      step: stepName,
      unsubscribeUrl,
    });
  } catch (error) {
    if (isRetryableSendError(error)) {
      // The step stays due; the next run tries again.
      await releaseNurtureStep(deps.tableName, leadId, { state: fields.nurture, dueAt: fields.nurtureDueAt, dueShard: fields.dueShard });
      return 'retry-later';
    }
    const skipped = skipStep(fields.nurture);
    const after = nurtureFieldsFor({ ...lead, nurture: skipped }, now, deps.nurture);
    await releaseNurtureStep(deps.tableName, leadId, {
      state: skipped,
      dueAt: after.nurtureDueAt,
      dueShard: after.dueShard,
      failure: { step: stepName, templateId: plan.templateId, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error), at: now },
    });
    return 'failed';
  }
  const sent = markSent(fields.nurture, now);
  const after = nurtureFieldsFor({ ...lead, nurture: sent }, now, deps.nurture);
  await releaseNurtureStep(deps.tableName, leadId, { state: sent, dueAt: after.nurtureDueAt, dueShard: after.dueShard });
  return 'sent';
}
