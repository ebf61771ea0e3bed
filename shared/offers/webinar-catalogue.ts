/**
 * The webinars a nurture step can offer (`webinar:<id>`). The data lives in config/webinars.json so
 * marketing can schedule the next date without touching code; this schema guards the file at module load.
 */
import { en } from 'zod/locales';
import * as z from 'zod/mini';
import type { Locale } from '../domain/lead';
import rawWebinars from '../../config/webinars.json';

// A bad file fails at load with zod's messages; zod/mini has none of its own (see read-env.ts).
z.config(en());

const title = () => z.string().check(z.trim(), z.minLength(1));

const webinarSchema = z.strictObject({
  // Part of the offer reference "webinar:<id>" and of the once-per-webinar key, so keep it a plain slug.
  id: z.string().check(z.regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be a lower-case slug such as lead-scoring-praxis')),
  title: z.strictObject({ de: title(), en: title() }),
  // An explicit offset: without one the instant would depend on the host's zone.
  starts: z.iso.datetime({ offset: true }),
  durationMinutes: z.int().check(z.positive(), z.lte(24 * 60)),
});

const webinarFileSchema = z
  .strictObject({
    description: z.optional(z.string()),
    webinars: z.array(webinarSchema),
  })
  .check(
    z.superRefine((file, ctx) => {
      const seen = new Set<string>();
      file.webinars.forEach((webinar, index) => {
        if (seen.has(webinar.id)) ctx.addIssue({ code: 'custom', message: 'duplicate webinar id', path: ['webinars', index, 'id'] });
        seen.add(webinar.id);
      });
    }),
  );

export interface Webinar {
  id: string;
  title: Record<Locale, string>;
  /** ISO instant (UTC) */
  starts: string;
  durationMinutes: number;
}

/** The time zone webinar times are shown in (pages and mails). */
export const WEBINAR_TIME_ZONE = 'Europe/Berlin';

export function parseWebinarCatalogue(raw: unknown): readonly Webinar[] {
  return Object.freeze(
    webinarFileSchema.parse(raw).webinars.map((webinar) => Object.freeze({ ...webinar, starts: new Date(webinar.starts).toISOString() })),
  );
}

export const webinarCatalogue: readonly Webinar[] = parseWebinarCatalogue(rawWebinars);

const webinarsById = new Map(webinarCatalogue.map((webinar) => [webinar.id, webinar]));

export function findWebinar(id: string): Webinar | undefined {
  return webinarsById.get(id);
}

/** The instant the webinar ends: registering after it makes no sense. */
export function webinarEndsAt(webinar: Webinar): string {
  return new Date(Date.parse(webinar.starts) + webinar.durationMinutes * 60_000).toISOString();
}
