/**
 * Nurture sequences: which template goes out how many days after a lead enters a funnel-stage track.
 * The values live in config/nurture-sequences.json so marketers can change them without touching code;
 * this module validates that file (and any other candidate config) before the planner trusts it.
 */
import { en } from 'zod/locales';
import * as z from 'zod/mini';
import { describeConfigIssues } from '../config-issues';
import rawDefaultNurtureConfig from '../../../config/nurture-sequences.json';
import { resolveOffer, unknownOfferMessage } from '../../offers/offer-catalogue';

// The error names each bad field with zod's message ("Too small: expected number to be >=0"); zod/mini has none of its own.
z.config(en());

export const nurtureStepSchema = z
  .strictObject({
    day: z.number().check(z.nonnegative()),
    templateId: z.string().check(z.trim(), z.minLength(1)),
    /**
     * What the step's one button offers: an asset id of config/content-catalogue.json, `webinar:<id>` of
     * config/webinars.json, or `expert-call`. A typo would send mails whose button leads nowhere, so it fails here.
     */
    offer: z.string(),
  })
  .check(
    z.superRefine((step, ctx) => {
      if (resolveOffer(step.offer) !== undefined) return;
      ctx.addIssue({
        code: 'custom',
        path: ['offer'],
        message: `${unknownOfferMessage(step.offer)} (step ${step.templateId})`,
        input: step,
      });
    }),
  );
export type NurtureStep = z.infer<typeof nurtureStepSchema>;

export const nurtureTrackSchema = z.array(nurtureStepSchema).check(
  z.minLength(1),
  z.superRefine((steps, ctx) => {
    for (let i = 1; i < steps.length; i++) {
      const prev = steps[i - 1]!;
      const cur = steps[i]!;
      if (cur.day <= prev.day) {
        ctx.addIssue({
          code: 'custom',
          path: [i, 'day'],
          message: `must be greater than the previous step's day (${prev.day}), got ${cur.day}`,
        });
      }
    }
  }),
);

export const nurtureConfigSchema = z.strictObject({
  tracks: z.strictObject({
    tofu: nurtureTrackSchema,
    mofu: nurtureTrackSchema,
    bofu: nurtureTrackSchema,
  }),
  frequencyCapHours: z.number().check(z.nonnegative()),
  recycleCoolOffDays: z.number().check(z.nonnegative()),
  dueIndexShards: z.number().check(z.int(), z.positive()),
});
export type NurtureConfig = z.infer<typeof nurtureConfigSchema>;

/** Validates a candidate nurture config; throws an Error whose message names every bad field path. */
export function parseNurtureConfig(json: unknown): NurtureConfig {
  const result = nurtureConfigSchema.safeParse(json);
  if (!result.success) {
    const details = describeConfigIssues(result.error.issues);
    throw new Error(`Invalid nurture config: ${details.join('; ')}`);
  }
  return result.data;
}

// Parsed at load time so a broken edit of the JSON fails at startup, not at the first send.
export const defaultNurtureConfig: NurtureConfig = parseNurtureConfig(rawDefaultNurtureConfig);
