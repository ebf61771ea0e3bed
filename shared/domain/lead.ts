/**
 * The lead model, in the terms of the lead taxonomy (cold/warm, unqualified/qualified,
 * ToFu/MoFu/BoFu, MQL/SQL/PQL). Pure types: no I/O lives here.
 */
export const LIFECYCLES = ['cold', 'warm', 'mql', 'sql'] as const;
export type Lifecycle = (typeof LIFECYCLES)[number];

export const QUALIFICATIONS = ['unqualified', 'qualified'] as const;
export type Qualification = (typeof QUALIFICATIONS)[number];

export const FUNNEL_STAGES = ['tofu', 'mofu', 'bofu'] as const;
export type FunnelStage = (typeof FUNNEL_STAGES)[number];

export const MARKETING_CONSENTS = ['none', 'pending', 'confirmed', 'withdrawn'] as const;
export type MarketingConsent = (typeof MARKETING_CONSENTS)[number];

export const LOCALES = ['de', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export const INTERACTION_TYPES = [
  'newsletter_signup',
  'download',
  'contact',
  'consent_confirmed',
  'webinar_attended',
  'trial_started',
  'email_click',
  'email_open',
  // pressed "register" on a webinar offered in a nurture mail (externalId: the webinar id)
  'webinar_registered',
  // booked a 15-minute call with an expert, or asked for a call back: a hand-raiser, like contact
  'call_requested',
] as const;
export type InteractionType = (typeof INTERACTION_TYPES)[number];

export interface Attribution {
  utm_source?: string;
  utm_medium?: string;
  utm_campaign?: string;
  page?: string;
  referrer?: string;
}

/** One thing a lead did. `at` is an ISO-8601 UTC timestamp taken from the request or event that caused it. */
export interface Interaction {
  id: string;
  type: InteractionType;
  at: string;
  /** download: the catalogue asset and its funnel stage */
  assetId?: string;
  funnelStage?: FunnelStage;
  /** webinar_attended / webinar_registered / trial_started / call_requested: the webinar, trial or booking id */
  externalId?: string;
  /** email_click / email_open: the SES message id */
  messageId?: string;
  /** contact: the hand-raiser's message */
  message?: string;
  /** where it happened: 'email' for an action taken from a link in one of our mails (messageId says which) */
  channel?: 'web' | 'email';
  /** call_requested: the booked slot's start (ISO, UTC); absent for a call-back request */
  slot?: string;
  /** call_requested: why we may contact the person ('contact-request': asked for the call, no marketing consent) */
  legalBasis?: string;
  attribution?: Attribution;
}

export interface ScoreContribution {
  reason: string;
  points: number;
  at: string;
}

/** What classification derives from a lead and its interactions. */
export interface Classification {
  lifecycle: Lifecycle;
  qualification: Qualification;
  funnelStage: FunnelStage | null;
  pql: boolean;
  fitScore: number;
  engagementScore: number;
  score: number;
  scoreExplanation: ScoreContribution[];
  /** points each interaction earned, by interaction id (0 for recorded-but-unscored ones) */
  interactionPoints: Record<string, number>;
}
