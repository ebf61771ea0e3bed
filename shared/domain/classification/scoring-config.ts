/**
 * Scoring rules for lead classification. The defaults live in `config/scoring-rules.json` so that
 * marketing can tune points and thresholds without a code change; this schema guards that file.
 */
import { z } from 'zod';
import rules from '../../../config/scoring-rules.json';

const points = () => z.int().min(0);
const sectionDescription = z.string().optional().describe('Free text for people editing the file; ignored by code');

const freemailDomain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'must be a bare domain such as gmail.com');

const fitSchema = z
  .strictObject({
    description: sectionDescription,
    businessEmailPoints: points().describe('Points when the email domain is not a freemail domain'),
    companyGivenPoints: points().describe('Points when the lead gave a non-empty company name'),
    freemailDomains: z.array(freemailDomain).describe('Domains of free mail providers; addresses there do not count as business email'),
  })
  .describe('Fit: points for who the lead is');

const engagementSchema = z
  .strictObject({
    description: sectionDescription,
    consentConfirmedPoints: points().describe('Points for confirming marketing consent (double opt-in), once per lead'),
    newsletterSignupPoints: points().describe('Points for a newsletter signup (a ToFu interaction), once per lead'),
    downloadPoints: z
      .strictObject({
        tofu: points().describe('Points for a ToFu asset download'),
        mofu: points().describe('Points for a MoFu asset download'),
        bofu: points().describe('Points for a BoFu asset download'),
      })
      .describe('Points for the first download of each asset, by the funnel stage of the asset'),
    webinarAttendedPoints: points().describe('Points for attending a webinar, once per webinar'),
    emailClickPoints: points().describe('Points for clicking a link in an email, once per email message'),
    emailOpenPoints: points().describe('Points for opening an email, once per message; keep low, privacy proxies fake opens'),
    contactPoints: points().describe('Points for a contact request, once per lead; the request makes the lead an MQL anyway'),
    trialStartedPoints: points().describe('Points for starting a trial, once per trial; the trial makes the lead a PQL anyway'),
  })
  .describe('Engagement: points for what the lead did');

const stagesSchema = z
  .strictObject({
    description: sectionDescription,
    qualifiedThreshold: points().describe('From this score on a lead is qualified'),
    mqlThreshold: points().describe('From this score on a lead is a Marketing Qualified Lead (MQL)'),
  })
  .refine((stages) => stages.qualifiedThreshold <= stages.mqlThreshold, {
    message: 'must not exceed mqlThreshold',
    path: ['qualifiedThreshold'],
  })
  .describe('Score thresholds for the lead stages');

const decaySchema = z
  .strictObject({
    description: sectionDescription,
    decayDays: z.int().min(1).describe('Interactions older than this many days earn no engagement points'),
  })
  .describe('Decay: old engagement stops counting');

export const scoringConfigSchema = z
  .strictObject({
    description: sectionDescription,
    fit: fitSchema,
    engagement: engagementSchema,
    stages: stagesSchema,
    decay: decaySchema,
  })
  .describe('Lead scoring rules');

export type ScoringConfig = z.infer<typeof scoringConfigSchema>;

/** Validates raw scoring rules (e.g. parsed JSON); the error message names every bad field path. */
export function parseScoringConfig(json: unknown): ScoringConfig {
  const result = scoringConfigSchema.safeParse(json);
  if (result.success) return result.data;
  const problems = result.error.issues.flatMap(describeIssue);
  throw new Error(`Invalid scoring config: ${problems.join('; ')}`);
}

function describeIssue(issue: z.core.$ZodIssue): string[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => `${formatPath([...issue.path, key])}: unknown field`);
  }
  return [`${formatPath(issue.path)}: ${issue.message}`];
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path
    .map((segment, index) => {
      if (typeof segment === 'number') return `[${segment}]`;
      const name = String(segment);
      return index === 0 ? name : `.${name}`;
    })
    .join('');
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

/** The rules from config/scoring-rules.json, validated at load time and frozen because it is shared. */
export const defaultScoringConfig: ScoringConfig = deepFreeze(parseScoringConfig(rules));
