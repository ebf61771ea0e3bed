/**
 * Scoring rules for lead classification. The defaults live in `config/scoring-rules.json` so that
 * marketing can tune points and thresholds without a code change; this schema guards that file.
 */
import { en } from 'zod/locales';
import * as z from 'zod/mini';
import { deepFreeze, describeConfigIssues } from '../config-issues';
import rules from '../../../config/scoring-rules.json';

// The error names each bad field with zod's message ("Too small: expected number to be >=0"); zod/mini has none of its own.
z.config(en());

const points = (description: string) => z.int().check(z.minimum(0), z.describe(description));
const sectionDescription = z.optional(z.string()).check(z.describe('Free text for people editing the file; ignored by code'));

const freemailDomain = z
  .string()
  .check(z.trim(), z.toLowerCase(), z.regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'must be a bare domain such as gmail.com'));

const fitSchema = z
  .strictObject({
    description: sectionDescription,
    businessEmailPoints: points('Points when the email domain is not a freemail domain'),
    companyGivenPoints: points('Points when the lead gave a non-empty company name'),
    freemailDomains: z
      .array(freemailDomain)
      .check(z.describe('Domains of free mail providers; addresses there do not count as business email')),
  })
  .check(z.describe('Fit: points for who the lead is'));

const engagementSchema = z
  .strictObject({
    description: sectionDescription,
    consentConfirmedPoints: points('Points for confirming marketing consent (double opt-in), once per lead'),
    newsletterSignupPoints: points('Points for a newsletter signup (a ToFu interaction), once per lead'),
    downloadPoints: z
      .strictObject({
        tofu: points('Points for a ToFu asset download'),
        mofu: points('Points for a MoFu asset download'),
        bofu: points('Points for a BoFu asset download'),
      })
      .check(z.describe('Points for the first download of each asset, by the funnel stage of the asset')),
    webinarAttendedPoints: points('Points for attending a webinar, once per webinar'),
    webinarRegisteredPoints: points('Points for registering for a webinar from a nurture mail, once per webinar'),
    emailClickPoints: points('Points for clicking a link in an email, once per email message'),
    emailOpenPoints: points('Points for opening an email, once per message; keep low, privacy proxies fake opens'),
    contactPoints: points('Points for a contact request, once per lead; the request makes the lead an MQL anyway'),
    trialStartedPoints: points('Points for starting a trial, once per trial; the trial makes the lead a PQL anyway'),
    callRequestedPoints: points('Points for booking a call with an expert; the request makes the lead an MQL anyway'),
  })
  .check(z.describe('Engagement: points for what the lead did'));

const stagesSchema = z
  .strictObject({
    description: sectionDescription,
    qualifiedThreshold: points('From this score on a lead is qualified'),
    mqlThreshold: points('From this score on a lead is a Marketing Qualified Lead (MQL)'),
  })
  .check(
    z.refine((stages) => stages.qualifiedThreshold <= stages.mqlThreshold, {
      message: 'must not exceed mqlThreshold',
      path: ['qualifiedThreshold'],
    }),
    z.describe('Score thresholds for the lead stages'),
  );

const decaySchema = z
  .strictObject({
    description: sectionDescription,
    decayDays: z.int().check(z.minimum(1), z.describe('Interactions older than this many days earn no engagement points')),
  })
  .check(z.describe('Decay: old engagement stops counting'));

export const scoringConfigSchema = z
  .strictObject({
    description: sectionDescription,
    fit: fitSchema,
    engagement: engagementSchema,
    stages: stagesSchema,
    decay: decaySchema,
  })
  .check(z.describe('Lead scoring rules'));

export type ScoringConfig = z.infer<typeof scoringConfigSchema>;

/** Validates raw scoring rules (e.g. parsed JSON); the error message names every bad field path. */
export function parseScoringConfig(json: unknown): ScoringConfig {
  const result = scoringConfigSchema.safeParse(json);
  if (result.success) return result.data;
  const problems = describeConfigIssues(result.error.issues, 'unknown field');
  throw new Error(`Invalid scoring config: ${problems.join('; ')}`);
}

/** The rules from config/scoring-rules.json, validated at load time and frozen because it is shared. */
export const defaultScoringConfig: ScoringConfig = deepFreeze(parseScoringConfig(rules));
