/**
 * Issue 16's last item: the console shows the same figures as `npx leadpipe campaign status`. A campaign is sent through
 * the real engine on a test stack (the local queue mirror, drained), a second one is scheduled for later; then
 * GET /console/api/campaigns lists both, newest send time first, with exactly the figures `campaign status --json` reports.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignRow } from '../../../shared/console/campaign-overview';
import { startTestStack, uniqueEmail, type TestStack } from '../../support/test-stack';
import { subscribe, exampleCampaignCopy } from '../campaigns/campaign-helpers';
import { writeDiscoveryFile, runCliOn } from '../cli/cli-kit';
import { consoleFetch, signIn } from './console-helpers';

describe('GET /console/api/campaigns', () => {
  let stack: TestStack;
  let stateFile: string;
  const dir = mkdtempSync(path.join(tmpdir(), 'console-campaigns-'));

  beforeAll(async () => {
    stack = await startTestStack();
    stateFile = writeDiscoveryFile(dir, stack);
    await subscribe(stack, uniqueEmail('console-campaign-de'), 'de');
    await subscribe(stack, uniqueEmail('console-campaign-en'), 'en');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const cli = (...argv: string[]) => runCliOn(stack, stateFile, argv);

  const folderWithId = (id: string) => exampleCampaignCopy(dir, id, { name: `Console ${id}` });

  async function statusJson(id: string): Promise<Record<string, unknown>> {
    const status = await cli('campaign', 'status', id, '--json');
    expect(status).toMatchObject({ code: 0, err: '' });
    return JSON.parse(status.out) as Record<string, unknown>;
  }

  it('lists a sent and a scheduled campaign, newest send time first, with the figures campaign status reports', async () => {
    // Prepare
    expect((await cli('campaign', 'send', folderWithId('console-sent'))).code).toBe(0);
    await stack.drain();
    const later = new Date(stack.stack.clock.now().getTime() + 2 * 3_600_000).toISOString();
    expect((await cli('campaign', 'send', folderWithId('console-later'), '--at', later)).code).toBe(0);
    await stack.drain();
    const token = await signIn(stack, 'marketing@example.com', ['marketing']);

    // Act
    const response = await consoleFetch(stack, { method: 'GET', path: '/console/api/campaigns', token });
    const body = (await response.json()) as { items: CampaignRow[] };
    const sent = await statusJson('console-sent');
    const scheduled = await statusJson('console-later');

    // Assess
    expect(response.status).toBe(200);
    expect(body.items.map((item) => item.id)).toEqual(['console-later', 'console-sent']);
    const [laterRow, sentRow] = body.items;
    expect(sentRow).toEqual({
      id: 'console-sent',
      name: 'Console console-sent',
      status: 'finished',
      sendAt: sent.sendAt,
      startedAt: sent.startedAt,
      finishedAt: sent.finishedAt,
      counts: sent.counts,
    });
    expect(sentRow?.counts.sent).toBe(2);
    expect(laterRow).toEqual({
      id: 'console-later',
      name: 'Console console-later',
      status: 'scheduled',
      sendAt: later,
      counts: scheduled.counts,
    });
  });

  it('answers 403 to sales', async () => {
    // Prepare
    const token = await signIn(stack, 'sales@example.com', ['sales']);

    // Act
    const response = await consoleFetch(stack, { method: 'GET', path: '/console/api/campaigns', token });

    // Assess
    expect(response.status).toBe(403);
  });
});
