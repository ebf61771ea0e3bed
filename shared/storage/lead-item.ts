import type { FunnelStage, Lifecycle, Locale, Qualification, ScoreContribution } from '../domain/lead';
import type { NurtureState } from '../domain/nurture';
import type { SalesDecision } from '../domain/sales-decision';
import type { ConsentEvidence } from './record-submission';

/**
 * What one profile item may hold at most, in DynamoDB's item-size accounting (attribute names plus
 * values). Every attribute that could grow with what strangers post is bounded (see below), so the
 * profile stays far below DynamoDB's 400 KB item limit whatever is posted for an address.
 */
export const PROFILE_SIZE_BUDGET_BYTES = 32 * 1024;
/** scoreExplanation as stored: at most this many lines; older engagement lines are summed into one. */
export const MAX_STORED_EXPLANATION_LINES = 40;
/** interactionPoints as stored: only interactions that earned points, at most this many (the oldest, which decay first). */
export const MAX_STORED_INTERACTION_POINTS = 100;

/**
 * The lead profile item as stored. Consent state is derived from the three timestamps (see consent-state.ts).
 *
 * Bounded by construction: text fields by the form schemas; consent evidence as the first and the
 * latest request (every request's evidence is kept on its own interaction item); scoreExplanation and
 * interactionPoints by the limits above; nurtureFailures by the nurture sequences (one per step).
 */
export interface LeadItem {
  pk: string;
  sk: string;
  leadId: string;
  email: string;
  firstName?: string;
  lastName?: string;
  company?: string;
  jobTitle?: string;
  phone?: string;
  locale?: Locale;
  createdAt: string;
  updatedAt: string;
  version: number;
  lifecycle: Lifecycle;
  consentRequestedAt?: string;
  consentConfirmedAt?: string;
  consentWithdrawnAt?: string;
  /** the evidence of the first consent request, written once */
  consentEvidenceFirst?: ConsentEvidence;
  /** the evidence of the latest consent request */
  consentEvidenceLatest?: ConsentEvidence;
  /** written by earlier versions (one entry per request, unbounded); read by the export, never appended to again */
  consentEvidence?: ConsentEvidence[];
  optInSentAt?: string;
  qualification?: Qualification;
  funnelStage?: FunnelStage | null;
  pql?: boolean;
  score?: number;
  fitScore?: number;
  engagementScore?: number;
  scoreExplanation?: ScoreContribution[];
  /** points by interaction id, only for interactions that earned points (see MAX_STORED_INTERACTION_POINTS) */
  interactionPoints?: Record<string, number>;
  suppressed?: 'bounce' | 'complaint' | null;
  classifiedAt?: string;
  /** how often the lead became MQL; each value gets exactly one sales notification */
  qualificationSeq?: number;
  mqlAt?: string;
  pqlAt?: string;
  /** set by a sales recycle: interactions at or before it earn no engagement */
  engagementResetAt?: string;
  nurture?: NurtureState;
  nurtureResumeAt?: string;
  nurtureDueAt?: string;
  dueShard?: string;
  /** YYYY-MM-DD (UTC) of createdAt: the partition of the console's recent-leads index (table-design.ts recentIndex) */
  createdDay?: string;
  /** set while an MQL awaits the sales decision (salesQueueIndex); removed by the decision */
  salesQueue?: string;
  /** set while marketing consent is confirmed and the lead is mailable (subscriberIndex); the campaign audience */
  subscriberShard?: string;
  /** nurture steps that failed permanently: what failed, when and why */
  nurtureFailures?: Array<{ step: string; templateId: string; error: string; at: string }>;
  salesNotifiedAt?: string;
  salesDecision?: SalesDecision | null;
}

export interface SentEmailItem {
  pk: string;
  sk: string;
  messageId: string;
  templateId: string;
  category: 'system' | 'marketing' | 'sales';
  sentAt: string;
  step?: string;
}
