import type { ReclassifyOutcome } from '../classification/reclassify-lead';
import type { ScoringConfig } from '../domain/classification';
import { markSent, skipStep, type NurtureConfig, type NurtureState } from '../domain/nurture';
import type { OutgoingEmail } from '../email/send-email';
import { SentButNotRecordedError } from '../email/sent-but-not-recorded-error';
import { logger } from '../observability/logger';
import { isMarketingTemplate, isTemplateId, type MarketingTemplateId } from '../email/email-templates';
import { withRetry } from '../retry/with-retry';
import { classifySendError } from '../email/send-errors';
import type { LeadSnapshot, NurtureFailure, NurtureStore } from './nurture-store';
import { scheduleFor, type NurtureFields } from './nurture-schedule';
import { purgeExpiredOptIn } from './purge-expired-opt-in';
import { nurtureEmailVars } from './offers';

/** A claim older than this belongs to a run that died mid-send; the next run takes it over. */
const STALE_CLAIM_MS = 60 * 60_000;
const LEADS_IN_PARALLEL = 8;

/** A nurture email as the run hands it to the sender: where it is recorded, and from whom it goes, is the sender's business. */
export type NurtureEmail = Omit<OutgoingEmail<MarketingTemplateId>, 'store' | 'sending'>;

export interface DispatchDeps {
  store: NurtureStore;
  /**
   * The classification use case, given the lead as just read: decay may change the stage, and so the
   * track. Anything but `unchanged` means it wrote (or found no lead), and the lead is read again.
   */
  reclassify: (leadId: string, now: string, snapshot: LeadSnapshot) => Promise<Pick<ReclassifyOutcome, 'kind'>>;
  /** Sends and records one email (sendEmail): throws SentButNotRecordedError when SES accepted it but the record failed. */
  sendEmail: (email: NurtureEmail) => Promise<unknown>;
  /** how long an unconfirmed opt-in is kept (deploy config `retentionDays`) */
  retentionDays: number;
  signingKey: string;
  publicBaseUrl: string;
  imprint: string;
  /** the mails' sign-off (SENDER_NAME) */
  senderName: string;
  scoring: ScoringConfig;
  nurture: NurtureConfig;
}

/**
 * `retry-later`: SES was busy or failing; `setup-error`: SES refused for a reason of the account or its
 * configuration. Both leave the step due, unrecorded on the lead, for the next run.
 */
export type LeadDispatchOutcome =
  | 'sent'
  | 'waiting'
  | 'stopped'
  | 'claimed-elsewhere'
  | 'retry-later'
  | 'setup-error'
  | 'failed'
  | 'no-lead'
  | 'purged';

export interface DispatchReport {
  dueLeads: number;
  readUnits: number;
  outcomes: Record<LeadDispatchOutcome, number>;
}

/**
 * One scheduled nurture run at `now` (the schedule event's time): reads only the due shards of the
 * index, re-evaluates decay for each due lead, and sends at most one claimed step per lead. Each due
 * lead is visited once per run, so a step that stays due (SES busy, or a setup error) costs one
 * attempt per run, never a loop within the run; the next run tries it again.
 */
export async function dispatchNurture(now: string, deps: DispatchDeps): Promise<DispatchReport> {
  const shards = Array.from({ length: deps.nurture.dueIndexShards }, (_, index) => `DUE#${index}`);
  const pages = await Promise.all(shards.map((shard) => deps.store.dueLeadIds(shard, now)));
  const leadIds = [...new Set(pages.flatMap((page) => page.leadIds))];
  const outcomes: Record<LeadDispatchOutcome, number> = {
    sent: 0,
    waiting: 0,
    stopped: 0,
    'claimed-elsewhere': 0,
    'retry-later': 0,
    'setup-error': 0,
    failed: 0,
    'no-lead': 0,
    purged: 0,
  };
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
  // One read serves the purge, the reclassification and the plan, unless one of them wrote.
  let snapshot = await deps.store.readLead(leadId);
  if (!snapshot) return 'no-lead';
  const purge = await purgeExpiredOptIn(deps.store, snapshot, now, deps.retentionDays);
  if (purge === 'deleted-lead') return 'purged';
  if (purge === 'dropped-request') snapshot = await deps.store.readLead(leadId);
  if (!snapshot) return 'no-lead';
  // Decay first: a lead whose score decays may change stage, and so track.
  const reclassified = await deps.reclassify(leadId, now, snapshot);
  if (reclassified.kind !== 'unchanged') snapshot = await deps.store.readLead(leadId);
  if (!snapshot) return 'no-lead';
  const { lead } = snapshot;
  const fields = dueFields(snapshot, lead.nurture, now, deps);
  const plan = fields.plan;
  if (plan.kind !== 'send' || !fields.nurture) {
    if ((lead.nurtureDueAt ?? null) !== fields.nurtureDueAt) {
      await deps.store.storeDueTime(leadId, lead.version, { dueAt: fields.nurtureDueAt, dueShard: fields.dueShard });
    }
    return plan.kind === 'wait' ? 'waiting' : 'stopped';
  }
  const staleBefore = new Date(Date.parse(now) - STALE_CLAIM_MS).toISOString();
  const claimed = await deps.store.claimStep(leadId, {
    version: lead.version,
    state: fields.nurture,
    step: plan.step,
    at: now,
    staleBefore,
  });
  if (!claimed) return 'claimed-elsewhere';
  // What the claim stored: the result of the send is applied to this, unless another writer came in between.
  const claim: LeadSnapshot = { ...snapshot, lead: { ...lead, nurture: fields.nurture, version: lead.version + 1 } };

  const locale = lead.locale ?? 'de';
  const stepName = `${plan.track}-${plan.step + 1}`;
  try {
    // Inside the try: a step whose offer no catalogue knows fails visibly, like a step naming a non-marketing template.
    const { vars, unsubscribeUrl } = nurtureEmailVars({
      leadId,
      firstName: lead.firstName,
      locale,
      step: stepName,
      offer: plan.offer,
      templateId: plan.templateId,
      at: now,
      publicBaseUrl: deps.publicBaseUrl,
      signingKey: deps.signingKey,
      imprint: deps.imprint,
      senderName: deps.senderName,
    });
    await deps.sendEmail({
      leadId,
      to: [lead.email],
      templateId: marketingTemplate(plan.templateId),
      locale,
      vars,
      category: 'marketing',
      at: now,
      step: stepName,
      unsubscribeUrl,
    });
  } catch (error) {
    if (error instanceof SentButNotRecordedError) {
      logger.warn('nurture email sent but not recorded on the timeline', { leadId, messageId: error.messageId });
      await endClaim(claim, fields.nurture, { kind: 'sent' }, now, deps);
      return 'sent';
    }
    const kind = classifySendError(error);
    if (kind !== 'permanent') {
      // Not sent, and not the lead's fault: the step stays due and nothing is held against the lead.
      await endClaim(claim, fields.nurture, { kind: 'retry' }, now, deps);
      return kind === 'setup' ? 'setup-error' : 'retry-later';
    }
    const failure = {
      step: stepName,
      templateId: plan.templateId,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      at: now,
    };
    await endClaim(claim, fields.nurture, { kind: 'failed', failure }, now, deps);
    return 'failed';
  }
  await endClaim(claim, fields.nurture, { kind: 'sent' }, now, deps);
  return 'sent';
}

/** A sequence step must name a marketing template (imprint, unsubscribe link); a typo in the config fails the step, visibly. */
function marketingTemplate(templateId: string): MarketingTemplateId {
  if (!isTemplateId(templateId) || !isMarketingTemplate(templateId))
    throw new Error(`Nurture step template ${templateId} is not a marketing email template`);
  return templateId as MarketingTemplateId;
}

type SendResult = { kind: 'sent' } | { kind: 'retry' } | { kind: 'failed'; failure: NurtureFailure };

/** How often ending a claim reads the lead again after another writer came in between (each attempt is one write). */
export const MAX_RELEASE_ATTEMPTS = 10;

/** The nurture state and due time, with the decay and opt-in reviews kept (see scheduleFor). */
function dueFields(snapshot: LeadSnapshot, nurture: NurtureState | undefined, now: string, deps: DispatchDeps): NurtureFields {
  return scheduleFor({ ...snapshot.lead, nurture }, snapshot.interactions, now, {
    nurture: deps.nurture,
    scoring: deps.scoring,
    retentionDays: deps.retentionDays,
  });
}

/**
 * Ends the claim with the send's result. The write is guarded by the version the claim left; if
 * another writer came in between (a stage change during the send re-entered the track, say), the
 * lead is read again and the result applied to what that writer stored, so neither is lost.
 */
async function endClaim(
  claim: LeadSnapshot,
  claimedState: NurtureState,
  result: SendResult,
  now: string,
  deps: DispatchDeps,
): Promise<void> {
  const { leadId } = claim.lead;
  await withRetry(
    {
      what: `release the nurture claim of lead ${leadId}`,
      attempts: MAX_RELEASE_ATTEMPTS,
      retryOn: (error) => error instanceof ReleaseConflict,
    },
    async (attempt) => {
      const snapshot = attempt === 1 ? claim : await deps.store.readLead(leadId);
      // The lead was erased in between: there is no claim left to end.
      if (!snapshot) return;
      const state = afterSend(snapshot.lead.nurture ?? claimedState, claimedState, result, now);
      const fields = dueFields(snapshot, state, now, deps);
      const released = await deps.store.releaseStep(leadId, {
        state: fields.nurture ?? state,
        dueAt: fields.nurtureDueAt,
        dueShard: fields.dueShard,
        ...(result.kind === 'failed' ? { failure: result.failure } : {}),
        expectedVersion: snapshot.lead.version,
      });
      if (!released) throw new ReleaseConflict();
    },
  );
}

/** Another writer wrote the lead between the read and the release. */
class ReleaseConflict extends Error {
  override name = 'ReleaseConflict';
}

/** The stored state after the send: the claimed step advances only if the lead is still on it. */
function afterSend(current: NurtureState, claimed: NurtureState, result: SendResult, now: string): NurtureState {
  const sameStep = current.track === claimed.track && current.nextStep === claimed.nextStep && current.enteredAt === claimed.enteredAt;
  switch (result.kind) {
    case 'retry':
      return current;
    case 'failed':
      return sameStep ? skipStep(current) : current;
    case 'sent':
      // An email went out either way: the next one counts from it and keeps the frequency cap.
      return sameStep ? markSent(current, now) : { ...current, lastSentAt: now };
  }
}
