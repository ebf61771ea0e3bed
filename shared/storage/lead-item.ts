import type { FunnelStage, Lifecycle, Locale, Qualification, ScoreContribution } from '../domain/lead';
import type { NurtureState } from '../domain/nurture';
import type { SalesDecision } from '../domain/sales-decision';
import type { ConsentEvidence } from './record-submission';

/** The lead profile item as stored. Consent state is derived from the three timestamps (see consent-state.ts). */
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
  consentEvidence?: ConsentEvidence[];
  optInSentAt?: string;
  qualification?: Qualification;
  funnelStage?: FunnelStage | null;
  pql?: boolean;
  score?: number;
  fitScore?: number;
  engagementScore?: number;
  scoreExplanation?: ScoreContribution[];
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
