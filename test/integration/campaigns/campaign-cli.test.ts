/**
 * Issue 16's audience, through the CLI: 30 cold imported leads (no consent), 5 confirmed subscribers, 1 who
 * unsubscribed and 1 whose address bounced. `campaign preview` counts 5; `campaign send` stores the campaign once
 * (a second send stores nothing new); `campaign status` and `campaign cancel` read and stop it. The full send
 * through the engine is campaign-send.test.ts.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, uniqueEmail, type TestStack } from '../../support/test-stack';
import { writeDiscoveryFile, runCliOn } from '../cli/cli-kit';
import { bounceOptIn, importColdLeads, subscribe, unsubscribe, exampleCampaignCopy, EXAMPLE_CAMPAIGN } from './campaign-helpers';

const LATER = '2099-01-01T09:00:00+01:00';

describe('leadpipe campaign preview, send, status, cancel', () => {
  let stack: TestStack;
  let stateFile: string;
  const dir = mkdtempSync(path.join(tmpdir(), 'campaign-cli-'));

  beforeAll(async () => {
    stack = await startTestStack();
    stateFile = writeDiscoveryFile(dir, stack);
    await importColdLeads(stack, dir, 30, 'cold');
    for (const locale of ['de', 'de', 'de', 'en', 'en'] as const) await subscribe(stack, uniqueEmail(`subscriber-${locale}`), locale);
    const leaving = uniqueEmail('unsubscribed');
    await subscribe(stack, leaving, 'de');
    await unsubscribe(stack, leaving);
    const bouncing = uniqueEmail('bounced');
    await subscribe(stack, bouncing, 'en');
    await bounceOptIn(stack, bouncing);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const cli = (...argv: string[]) => runCliOn(stack, stateFile, argv);

  const folderWithId = (id: string, audience: Record<string, unknown> = {}) => exampleCampaignCopy(dir, id, { audience });

  it('preview counts the 5 confirmed subscribers per locale and renders one sample per locale', async () => {
    // Act
    const result = await cli('campaign', 'preview', EXAMPLE_CAMPAIGN);

    // Assess
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.out).toContain('Recipients: 5 (de 3, en 2)');
    expect(result.out).toContain('Subject:   Januar 2027: Was gutes Lead-Scoring von schlechtem unterscheidet');
    expect(result.out).toContain('Subject:   January 2027: what separates good lead scoring from bad');
    expect(result.out).toContain('Hello Alex,');
    const htmlFiles = [...result.out.matchAll(/^HTML: +(\S+\.html)$/gm)].map((match) => match[1]!);
    expect(htmlFiles).toHaveLength(2);
    for (const file of htmlFiles) {
      const html = readFileSync(file, 'utf8');
      // Handlebars escapes "=" in an attribute
      expect(html).toContain('href="https://example.com/unsubscribe?token&#x3D;sample"');
      expect(html).toContain('Musterstraße 1, 10115 Berlin');
    }
  });

  it('preview applies the folder audience', async () => {
    const result = await cli('campaign', 'preview', folderWithId('english-only', { locales: ['en'] }));
    expect(result.out).toContain('Recipients: 2 (de 0, en 2)');
  });

  it('refuses a folder with a bad field, naming it, before it looks for a table', async () => {
    // Prepare
    const folder = folderWithId('bad-audience');
    writeFileSync(path.join(folder, 'campaign.json'), JSON.stringify({ id: 'bad-audience', name: 'Bad', audience: { minScore: 'high' } }));

    // Act
    const result = await cli('campaign', 'send', folder);

    // Assess
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/^leadpipe: campaign folder .*: campaign\.json \(audience\.minScore\): /);
  });

  it('send stores the campaign once and schedules it; a second send of the same folder stores nothing new', async () => {
    // Prepare
    const folder = folderWithId('once-only');

    // Act
    const first = await cli('campaign', 'send', folder, '--at', LATER);
    const second = await cli('campaign', 'send', folder, '--at', LATER);
    await stack.drain();

    // Assess
    expect(first).toMatchObject({ code: 0, err: '' });
    expect(first.out).toContain('Campaign once-only scheduled: sending starts at 2099-01-01T08:00:00.000Z');
    expect(second).toMatchObject({ code: 0, err: '' });
    expect(second.out).toContain('Campaign once-only exists already (scheduled, 0 sent): nothing new stored, nobody mailed again.');
    const events = (await (await fetch(`${stack.url}/_dev/events?detail-type=Campaign%20Scheduled`)).json()) as Array<{ detail: unknown }>;
    expect(events.filter((event) => (event.detail as { campaignId: string }).campaignId === 'once-only')).toEqual([
      expect.objectContaining({ detail: { campaignId: 'once-only', sendAt: '2099-01-01T08:00:00.000Z', at: expect.any(String) } }),
    ]);
  });

  it('send refuses changed copy under an id already used', async () => {
    const folder = folderWithId('changed-copy');
    expect((await cli('campaign', 'send', folder, '--at', LATER)).code).toBe(0);
    writeFileSync(path.join(folder, 'en', 'subject.txt'), 'A different subject');
    const again = await cli('campaign', 'send', folder, '--at', LATER);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(
      /Campaign changed-copy exists already \(scheduled, created .*\) with other content; a changed campaign needs a new id/,
    );
  });

  it('status prints the figures; cancel stops a scheduled campaign once', async () => {
    // Prepare
    await cli('campaign', 'send', folderWithId('to-cancel'), '--at', LATER);

    // Act
    const status = await cli('campaign', 'status', 'to-cancel');
    const cancelled = await cli('campaign', 'cancel', 'to-cancel');
    const again = await cli('campaign', 'cancel', 'to-cancel');
    const after = await cli('campaign', 'status', 'to-cancel', '--json');

    // Assess
    expect(status.out).toMatch(/Status: +scheduled/);
    for (const figure of ['sent', 'delivered', 'opened', 'clicked', 'bounced', 'complained', 'unsubscribed']) {
      expect(status.out).toMatch(new RegExp(`^${figure}: +0$`, 'm'));
    }
    expect(cancelled.out).toMatch(/^Campaign to-cancel cancelled at .* \(0 sent before\); nobody else gets it\.$/m);
    expect(again.out).toBe('Campaign to-cancel is cancelled already; nothing to cancel.\n');
    expect(JSON.parse(after.out)).toMatchObject({ id: 'to-cancel', status: 'cancelled', cancelledAt: expect.any(String) });
    expect(JSON.parse(after.out)).not.toHaveProperty('content');
  });

  it('status and cancel of an unknown id exit 1', async () => {
    expect(await cli('campaign', 'status', 'no-such-campaign')).toMatchObject({
      code: 1,
      err: 'leadpipe: No campaign with id no-such-campaign\n',
    });
    expect(await cli('campaign', 'cancel', 'no-such-campaign')).toMatchObject({
      code: 1,
      err: 'leadpipe: No campaign with id no-such-campaign\n',
    });
  });

  it('send rejects an --at without a zone', async () => {
    const result = await cli('campaign', 'send', EXAMPLE_CAMPAIGN, '--at', '2027-01-14T09:00');
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/--at must be an ISO date-time with a zone/);
  });
});
