/**
 * The campaign engine on the local stack (its local SQS, the planner and sender functions, DynamoDB Local and an
 * SES emulator of this test's own): a throttled part of a batch, a redelivered message and a cancel mid-way.
 *
 * The SES emulator runs in this process (so GetAccount answers with the local account, AWS_SES_ACCOUNT) behind a
 * small proxy that answers SES's own throttling error (HTTP 429 TooManyRequestsException) for chosen recipients:
 * the emulator cannot throttle, everything else is real (the SDK's retries, the sender's back-off, SQS redelivery).
 */
import { randomUUID } from 'node:crypto';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleCampaign, seedSubscribers } from '../../../bench/campaign';
import { type LocalStack, startLocalStack } from '../../../local/local-stack';
import { type SesEmulator, startSesEmulator, storedEmails } from '../../../local/ses-emulator';
import type { Campaign } from '../../../shared/campaigns/campaign';
import type { CampaignStore } from '../../../shared/campaigns/campaign-store';
import { dropTable } from '../../support/test-stack';
import { suiteDynamoDbEndpoint } from '../../support/suite-dynamodb';

let ses: SesEmulator;
let proxy: ThrottlingProxy;
let stack: LocalStack;
let store: CampaignStore;

beforeAll(async () => {
  ses = await startSesEmulator();
  proxy = await startThrottlingProxy(ses.endpoint);
  stack = await startLocalStack({
    port: 0,
    dynamoDbEndpoint: suiteDynamoDbEndpoint(),
    sesEndpoint: proxy.url,
    tableName: `leadpipe-test-${randomUUID().slice(0, 8)}`,
  });
  const { dynamoCampaignStore } = await import('../../../shared/storage/dynamo-campaign-store');
  store = dynamoCampaignStore(stack.tableName);
});

afterAll(async () => {
  await stack?.stop();
  if (stack) await dropTable(stack);
  await proxy?.close();
  await ses?.stop();
});

let testsSeeded = 0;

/**
 * Subscribers of one test only: created a day after those of the test before, and the campaign's audience starts
 * there (createdSince), so a campaign never reaches the subscribers of an earlier test.
 */
async function subscribersOfTest(count: number, label: string): Promise<{ leadIds: string[]; since: string }> {
  testsSeeded += 1;
  const since = new Date(Date.parse('2026-02-01T00:00:00.000Z') + testsSeeded * 86_400_000).toISOString();
  return { leadIds: await seedSubscribers(stack.tableName, count, label, since), since };
}

function campaignFor(since: string, overrides: Partial<Campaign> = {}): Campaign {
  const campaign = exampleCampaign(stack.clock.now().toISOString(), `engine-${randomUUID().slice(0, 8)}`);
  return { ...campaign, audience: { createdSince: since }, ...overrides };
}

/** How many mails each lead got (the seeded address is `<leadId>@subscriber.example`). */
async function mailsPerLead(leadIds: readonly string[]): Promise<number[]> {
  const mails = await storedEmails(ses.endpoint);
  return leadIds.map((leadId) => mails.filter((mail) => mail.destination.to.includes(`${leadId}@subscriber.example`)).length);
}

describe('a failing sender batch', () => {
  it('SES throttles part of a batch: the rest goes back to the queue, and after redelivery everyone has exactly one mail', async () => {
    // Prepare
    const { leadIds, since } = await subscribersOfTest(30, 'throttle');
    const throttled = leadIds.filter((_, i) => i % 8 === 3).map((leadId) => `${leadId}@subscriber.example`);
    // three refusals each: the SDK's own three attempts all fail, so the sender sees the throttle
    for (const address of throttled) proxy.throttle(address, 3);
    const campaign = campaignFor(since);

    // Act
    await store.createCampaign(campaign);
    await stack.drain();

    // Assess
    expect(await mailsPerLead(leadIds)).toEqual(leadIds.map(() => 1));
    for (const address of throttled) expect(proxy.refused(address)).toBe(3);
    const failedSends = stack.queues.deliveries.filter((delivery) => delivery.queue === 'campaign-sends' && delivery.failed.length > 0);
    expect(failedSends.length).toBeGreaterThan(0);
    const stored = await store.getCampaign(campaign.id);
    expect(stored?.status).toBe('finished');
    expect(stored?.counts.sent).toBe(30);
    expect(stack.queues.messages('campaign-sends-dlq')).toEqual([]);
  });

  it('a redelivered send message (SQS delivers at least once) mails nobody a second time', async () => {
    // Prepare: a campaign already sending, which the planner leaves alone; its recipients in one hand-made message
    const { leadIds, since } = await subscribersOfTest(12, 'redelivery');
    const campaign = campaignFor(since, { status: 'sending', startedAt: stack.clock.now().toISOString() });
    await store.createCampaign(campaign);
    await stack.drain();
    const body = JSON.stringify({ campaignId: campaign.id, batchId: 'hand:0:0', leadIds });

    // Act: the same message twice at once, then once more after it was processed
    stack.queues.send('campaign-sends', body);
    stack.queues.send('campaign-sends', body);
    await stack.drain();
    const afterFirst = await mailsPerLead(leadIds);
    stack.queues.send('campaign-sends', body);
    await stack.drain();

    // Assess
    expect(afterFirst).toEqual(leadIds.map(() => 1));
    expect(await mailsPerLead(leadIds)).toEqual(leadIds.map(() => 1));
    expect((await store.getCampaign(campaign.id))?.counts.sent).toBe(12);
  });

  it('a cancel mid-way stops the rest: no mail after the messages in flight, and no Campaign Finished', async () => {
    // Prepare: 400 recipients at the local rate (100/s × 0.8) take seconds
    const { leadIds, since } = await subscribersOfTest(400, 'cancel');
    const campaign = campaignFor(since);

    // Act
    await store.createCampaign(campaign);
    let sentAtCancel = 0;
    for (let i = 0; i < 600; i += 1) {
      sentAtCancel = (await store.getCampaign(campaign.id))?.counts.sent ?? 0;
      if (sentAtCancel >= 20) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(await store.transition(campaign.id, ['scheduled', 'sending'], 'cancelled', stack.clock.now().toISOString())).toBe(true);
    await stack.drain();

    // Assess
    const perLead = await mailsPerLead(leadIds);
    const sent = perLead.reduce((sum, n) => sum + n, 0);
    expect(perLead.every((n) => n <= 1)).toBe(true);
    expect(sentAtCancel).toBeGreaterThanOrEqual(20);
    // each of the 2 sender invocations may finish the message of ≤ 50 it was on
    expect(sent).toBeLessThanOrEqual(sentAtCancel + 2 * 50);
    expect(sent).toBeLessThan(400);
    const stored = await store.getCampaign(campaign.id);
    expect(stored?.status).toBe('cancelled');
    expect(stored?.counts.sent).toBe(sent);
    expect(
      stack.bus.log.filter((event) => event['detail-type'] === 'Campaign Finished' && JSON.stringify(event.detail).includes(campaign.id)),
    ).toEqual([]);
  });
});

interface ThrottlingProxy {
  url: string;
  throttle(address: string, times: number): void;
  refused(address: string): number;
  close(): Promise<void>;
}

/** Forwards everything to the SES emulator, except sends to a throttled address: SES's 429 TooManyRequestsException. */
async function startThrottlingProxy(target: string): Promise<ThrottlingProxy> {
  const budget = new Map<string, number>();
  const refusals = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      if (request.method === 'POST' && request.url === '/v2/email/outbound-emails') {
        const to = (JSON.parse(body.toString('utf8')) as { Destination?: { ToAddresses?: string[] } }).Destination?.ToAddresses?.[0] ?? '';
        const left = budget.get(to) ?? 0;
        if (left > 0) {
          budget.set(to, left - 1);
          refusals.set(to, (refusals.get(to) ?? 0) + 1);
          response.writeHead(429, { 'content-type': 'application/json', 'x-amzn-errortype': 'TooManyRequestsException' });
          response.end(JSON.stringify({ message: 'Maximum sending rate exceeded.' }));
          return;
        }
      }
      const forward = httpRequest(`${target}${request.url}`, { method: request.method, headers: request.headers }, (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      });
      forward.on('error', () => response.destroy());
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    throttle: (address, times) => budget.set(address, times),
    refused: (address) => refusals.get(address) ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
