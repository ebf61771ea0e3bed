/**
 * The catalogue of gated assets behind the download form. The data lives in
 * `config/content-catalogue.json` so marketing can add assets without touching code; this schema
 * guards the file at module load.
 */
import { en } from 'zod/locales';
import * as z from 'zod/mini';
import { FUNNEL_STAGES, type FunnelStage, type Locale } from '../domain/lead';
import rawCatalogue from '../../config/content-catalogue.json';

// A bad catalogue fails at load with zod's messages; zod/mini has none of its own (see read-env.ts).
z.config(en());

const title = () => z.string().check(z.trim(), z.minLength(1));

const assetSchema = z.strictObject({
  id: z.string().check(z.regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be a lower-case slug such as ebook-lead-types')),
  funnelStage: z.enum(FUNNEL_STAGES),
  title: z.strictObject({ de: title(), en: title() }),
  // Served under this name from the assets bucket, so keep it a plain file name (no path).
  file: z.string().check(z.regex(/^[a-z0-9]+(-[a-z0-9]+)*\.pdf$/, 'must be a plain file name such as ebook-lead-types.pdf')),
  contentType: z.literal('application/pdf'),
});

const catalogueSchema = z
  .strictObject({
    description: z.optional(z.string()),
    assets: z.array(assetSchema).check(z.minLength(1)),
  })
  .check(
    z.superRefine((catalogue, ctx) => {
      const seen = new Set<string>();
      catalogue.assets.forEach((asset, index) => {
        if (seen.has(asset.id)) ctx.addIssue({ code: 'custom', message: 'duplicate asset id', path: ['assets', index, 'id'] });
        seen.add(asset.id);
      });
    }),
  );

export interface ContentAsset {
  id: string;
  funnelStage: FunnelStage;
  title: Record<Locale, string>;
  file: string;
  contentType: 'application/pdf';
}

export function parseContentCatalogue(raw: unknown): readonly ContentAsset[] {
  return Object.freeze(catalogueSchema.parse(raw).assets.map((asset) => Object.freeze(asset)));
}

export const contentCatalogue: readonly ContentAsset[] = parseContentCatalogue(rawCatalogue);

const assetsById = new Map(contentCatalogue.map((asset) => [asset.id, asset]));

export function findAsset(id: string): ContentAsset | undefined {
  return assetsById.get(id);
}
