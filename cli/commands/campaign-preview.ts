import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { inAudience } from '../../shared/campaigns/audience';
import { subscriberShards, type CampaignAudience, type CampaignDefinition } from '../../shared/campaigns/campaign';
import { SAMPLE_VARIABLES } from '../../shared/campaigns/campaign-folder';
import { renderCampaignEmail } from '../../shared/campaigns/render-campaign';
import { LOCALES, type Locale } from '../../shared/domain/lead';
import type { CommandContext } from '../context';

const PAGE_SIZE = 1000;

export interface CampaignPreview {
  recipients: Record<Locale, number>;
  samples: Record<Locale, { subject: string; preheader: string; text: string; htmlFile: string }>;
}

/**
 * Who the audience is now: every shard of the subscribers index, paged (never a Scan), through the same
 * filter the planner applies. The sender checks each lead's profile again right before its mail.
 */
export async function countAudience(tableName: string, audience: CampaignAudience): Promise<Record<Locale, number>> {
  const { dynamoCampaignStore } = await import('../../shared/storage/dynamo-campaign-store');
  const store = dynamoCampaignStore(tableName);
  const counts: Record<Locale, number> = { de: 0, en: 0 };
  for (const shard of subscriberShards()) {
    let cursor: string | undefined;
    do {
      const page = await store.listAudiencePage(shard, cursor, PAGE_SIZE);
      for (const row of page.rows) if (inAudience(row, audience)) counts[row.locale ?? 'de'] += 1;
      cursor = page.cursor;
    } while (cursor);
  }
  return counts;
}

/**
 * `leadpipe campaign preview <folder>`: the recipient count per locale from the subscribers index, and one
 * sample per locale rendered with sample values (subject, preheader and text printed; the HTML written to a
 * temporary folder, its path printed, to open in a browser). Sends nothing, stores nothing.
 */
export async function campaignPreview(ctx: CommandContext, input: { definition: CampaignDefinition }): Promise<CampaignPreview> {
  const { definition } = input;
  const recipients = await countAudience(ctx.tableName, definition.audience);
  const dir = await mkdtemp(path.join(os.tmpdir(), `leadpipe-campaign-${definition.id}-`));
  const lines = [
    `Campaign ${definition.id}: ${definition.name}`,
    `Recipients: ${recipients.de + recipients.en} (de ${recipients.de}, en ${recipients.en})`,
  ];
  const samples = {} as CampaignPreview['samples'];
  for (const locale of LOCALES) {
    const rendered = renderCampaignEmail(definition.content[locale], locale, SAMPLE_VARIABLES);
    const htmlFile = path.join(dir, `${locale}.html`);
    await writeFile(htmlFile, rendered.html, 'utf8');
    samples[locale] = { subject: rendered.subject, preheader: rendered.preheader, text: rendered.text, htmlFile };
    lines.push(
      '',
      `--- ${locale} (${recipients[locale]} recipients) ---`,
      `Subject:   ${rendered.subject}`,
      `Preheader: ${rendered.preheader}`,
      `HTML:      ${htmlFile}`,
      '',
      rendered.text.trimEnd(),
    );
  }
  lines.push('', `Samples use sample values (first name "${SAMPLE_VARIABLES.firstName}", a sample imprint and unsubscribe link).`);
  ctx.out.write(`${lines.join('\n')}\n`);
  return { recipients, samples };
}
