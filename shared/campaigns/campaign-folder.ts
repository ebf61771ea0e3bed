/**
 * A campaign is a folder: `campaign.json` plus, per locale (de, en), `subject.txt`, `preheader.txt`,
 * `body.html` and `body.txt`. This reads and validates one; every failure is a CampaignFolderError naming
 * the file and, for campaign.json, the field. The copy is test-rendered, so a typo in a variable fails here,
 * not at the first recipient.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { en } from 'zod/locales';
import * as z from 'zod/mini';
import { FUNNEL_STAGES, LIFECYCLES, LOCALES, type Locale } from '../domain/lead';
import { CAMPAIGN_ID_PATTERN, type CampaignDefinition, type CampaignLocaleContent } from './campaign';
import { CampaignRenderError, renderCampaignEmail, type CampaignPart } from './render-campaign';

// Messages in English ("Invalid ISO datetime"); zod/mini has none of its own.
z.config(en());

/**
 * Upper bounds, so the stored campaign stays far below DynamoDB's 400 KB item limit (both locales together at
 * most 2 × (100 + 50 + 1) KB) and a mail stays below the size at which Gmail clips it (about 102 KB of HTML).
 */
export const CAMPAIGN_LIMITS = {
  'campaign.json': 16 * 1024,
  'subject.txt': 200,
  'preheader.txt': 300,
  'body.html': 100 * 1024,
  'body.txt': 50 * 1024,
} as const;

export const campaignJsonSchema = z.strictObject({
  id: z.string().check(z.regex(CAMPAIGN_ID_PATTERN, 'must be a slug: lowercase letters, digits and dashes, at most 64 characters')),
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
  audience: z.strictObject({
    locales: z.optional(z.array(z.enum(LOCALES)).check(z.minLength(1))),
    lifecycles: z.optional(z.array(z.enum(LIFECYCLES)).check(z.minLength(1))),
    funnelStages: z.optional(z.array(z.enum(FUNNEL_STAGES)).check(z.minLength(1))),
    minScore: z.optional(z.number().check(z.int(), z.gte(0), z.lte(1000))),
    createdSince: z.optional(z.iso.datetime({ offset: true })),
  }),
  sendAt: z.optional(z.iso.datetime({ offset: true })),
});

/** What is wrong with a campaign folder: the file (e.g. "en/body.html", "campaign.json") and, in campaign.json, the field. */
export class CampaignFolderError extends Error {
  override name = 'CampaignFolderError';
  constructor(
    readonly file: string,
    readonly field: string | undefined,
    readonly problem: string,
  ) {
    super(`${file}${field ? ` (${field})` : ''}: ${problem}`);
  }
}

function readText(dir: string, file: string, limit: number, unit: 'bytes' | 'characters'): string {
  let raw: string;
  try {
    raw = fs.readFileSync(path.join(dir, file), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CampaignFolderError(file, undefined, code === 'ENOENT' ? 'missing' : `cannot be read (${code ?? (err as Error).message})`);
  }
  // Editors on Windows like to prepend a BOM; it would end up in the subject.
  const text = raw.replace(/^\uFEFF/, '');
  const size = unit === 'bytes' ? Buffer.byteLength(text, 'utf8') : [...text.trim()].length;
  if (size > limit) throw new CampaignFolderError(file, undefined, `too large: ${size} ${unit}, at most ${limit}`);
  return text;
}

/** Parses campaign.json's text; exported for tests. */
export function parseCampaignJson(text: string): z.infer<typeof campaignJsonSchema> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new CampaignFolderError('campaign.json', undefined, `is not JSON: ${(err as Error).message}`);
  }
  const parsed = campaignJsonSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const keys = issue.code === 'unrecognized_keys' ? (issue as { keys?: string[] }).keys : undefined;
    const field = [...issue.path.map(String), ...(keys?.length ? [keys[0]!] : [])].join('.');
    throw new CampaignFolderError('campaign.json', field || undefined, issue.message);
  }
  return parsed.data;
}

function readLocale(dir: string, locale: Locale): CampaignLocaleContent {
  const part = (file: CampaignPart) => {
    const text = readText(
      dir,
      `${locale}/${file}`,
      CAMPAIGN_LIMITS[file],
      file.endsWith('.html') || file === 'body.txt' ? 'bytes' : 'characters',
    );
    if (text.trim() === '') throw new CampaignFolderError(`${locale}/${file}`, undefined, 'is empty');
    if ((file === 'subject.txt' || file === 'preheader.txt') && /\r|\n/.test(text.trim())) {
      throw new CampaignFolderError(`${locale}/${file}`, undefined, 'must be one line');
    }
    return file === 'subject.txt' || file === 'preheader.txt' ? text.trim() : text;
  };
  return { subject: part('subject.txt'), preheader: part('preheader.txt'), html: part('body.html'), text: part('body.txt') };
}

/** Sample values for the test render: real-looking, so the preview reads like the mail. */
export const SAMPLE_VARIABLES = {
  firstName: 'Alex',
  unsubscribeUrl: 'https://example.com/unsubscribe?token=sample',
  imprint: 'Beispiel GmbH\nMusterstraße 1, 10115 Berlin',
  senderName: 'Anna Berger, Beispiel GmbH',
  companyName: 'Beispiel GmbH',
};

/** Checks that every part compiles and uses only the campaign variables (with and without a first name). */
export function checkRenders(content: Record<Locale, CampaignLocaleContent>): void {
  for (const locale of LOCALES) {
    for (const firstName of [SAMPLE_VARIABLES.firstName, '']) {
      try {
        renderCampaignEmail(content[locale], locale, { ...SAMPLE_VARIABLES, firstName });
      } catch (err) {
        if (err instanceof CampaignRenderError)
          throw new CampaignFolderError(`${err.locale}/${err.file}`, undefined, err.message.replace(/^[^:]*: /, ''));
        throw err;
      }
    }
  }
}

/** Reads and validates a campaign folder. Throws CampaignFolderError naming the bad file and field. */
export function loadCampaignFolder(dir: string): CampaignDefinition {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new CampaignFolderError(dir, undefined, 'is not a folder');
  const json = parseCampaignJson(readText(dir, 'campaign.json', CAMPAIGN_LIMITS['campaign.json'], 'bytes'));
  const content = { de: readLocale(dir, 'de'), en: readLocale(dir, 'en') };
  checkRenders(content);
  return { ...json, content };
}

/**
 * A stable hash of the campaign's name, audience and copy, so a second send of the same id can tell "the same
 * campaign again" (nothing to do) from "changed copy under an id already used" (refused). The send time is left
 * out: `--at` or "now" differs on every run.
 */
export function definitionHash(definition: CampaignDefinition): string {
  const { id, name, audience, content } = definition;
  const copy = LOCALES.map((locale) => [content[locale].subject, content[locale].preheader, content[locale].html, content[locale].text]);
  return createHash('sha256').update(JSON.stringify({ id, name, audience, copy })).digest('hex');
}
