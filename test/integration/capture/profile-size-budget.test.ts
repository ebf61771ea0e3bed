import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSENT_REQUESTS_PER_IP_PER_HOUR } from '../../../shared/capture/rate-limits';
import { defaultScoringConfig } from '../../../shared/domain/classification';
import type { Interaction } from '../../../shared/domain/lead';
import { MAX_STORED_EXPLANATION_LINES, MAX_STORED_INTERACTION_POINTS, PROFILE_SIZE_BUDGET_BYTES } from '../../../shared/storage/lead-item';
import { startTestStack, uniqueEmail, type TestStack } from '../../support/test-stack';
import { SALES_INBOX } from '../sales/sales-helpers';
import { optInMails, RawTable, validBody } from './capture-helpers';
import { dynamoItemSize } from './dynamo-item-size';
import { destroyAgents, inParallel, postFrom } from './post-from-address';

const HOSTILE_POSTS = 2000;
/** The flood comes from five source addresses; each may make CONSENT_REQUESTS_PER_IP_PER_HOUR consent requests an hour. */
const SOURCES = Array.from({ length: 5 }, (_, index) => `127.0.1.${index + 1}`);
const STORED = SOURCES.length * CONSENT_REQUESTS_PER_IP_PER_HOUR;

describe('one address flooded with hostile newsletter posts', () => {
  let stack: TestStack;
  let table: RawTable;
  /** writes items straight into the stack's table, as an earlier version of the code (or a long life) left them */
  let raw: DynamoDBDocumentClient;
  beforeAll(async () => {
    stack = await startTestStack();
    table = new RawTable(stack);
    raw = DynamoDBDocumentClient.from(
      new DynamoDBClient({ endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB, region: process.env.AWS_REGION }),
    );
  });
  afterAll(async () => {
    destroyAgents();
    raw?.destroy();
    table?.destroy();
    await stack?.stop();
  });

  /** Stored interactions without an outbox entry: their events were relayed long ago. */
  async function seedInteractions(leadId: string, interactions: Interaction[]): Promise<void> {
    for (let start = 0; start < interactions.length; start += 25) {
      const chunk = interactions.slice(start, start + 25);
      await raw.send(
        new BatchWriteCommand({
          RequestItems: {
            [stack.stack.tableName]: chunk.map((interaction) => ({
              PutRequest: { Item: { pk: `LEAD#${leadId}`, sk: `INTERACTION#${interaction.at}#${interaction.id}`, leadId, ...interaction } },
            })),
          },
        }),
      );
    }
  }

  function minutesAgo(minutes: number): string {
    return new Date(stack.stack.clock.now().getTime() - minutes * 60_000).toISOString();
  }

  it(`keeps the profile within ${PROFILE_SIZE_BUDGET_BYTES} bytes after ${HOSTILE_POSTS} posts, \
and a contact request still makes the lead an MQL and notifies sales`, async () => {
    // Prepare: 2,000 posts for one address, each different (no double-click dedupe), each with a 512-byte User-Agent,
    // all within one clock hour (the rate-limit window): if the hour is about to end, start in the next one
    const email = uniqueEmail('flooded');
    const minutesLeft = 60 - stack.stack.clock.now().getUTCMinutes();
    if (minutesLeft < 10) stack.stack.clock.advanceHours(minutesLeft / 60);
    const started = Date.now();
    // Four in flight: enough to keep the stack busy, few enough not to starve the other test files sharing DynamoDB Local.
    const responses = await inParallel(
      Array.from({ length: HOSTILE_POSTS }, (_, index) => index),
      4,
      async (index) => {
        const source = SOURCES[index % SOURCES.length]!;
        const userAgent = `Mozilla/5.0 (hostile ${index}) `.padEnd(512, 'x');
        const body = JSON.stringify({ email, marketingConsent: true, firstName: `Bot ${index}`, utm_campaign: `flood-${index}` });
        return { source, response: await postFrom(source, stack.url, '/forms/newsletter', body, { 'user-agent': userAgent }) };
      },
    );
    const posted = Date.now();
    await stack.drain();
    const drained = Date.now();

    // Assess: each source got its 20 consent requests an hour through, and no more; what got through was stored
    for (const source of SOURCES) {
      const fromSource = responses.filter((entry) => entry.source === source).map((entry) => entry.response);
      expect(fromSource.filter((response) => response.status === 200)).toHaveLength(CONSENT_REQUESTS_PER_IP_PER_HOUR);
      expect(fromSource.filter((response) => response.status === 429 && Number(response.headers['retry-after']) > 0)).toHaveLength(
        fromSource.length - CONSENT_REQUESTS_PER_IP_PER_HOUR,
      );
    }
    const lead = await stack.lead(email);
    const interactions = await table.interactions(lead!.leadId);
    expect(interactions).toHaveLength(STORED);
    // the profile holds its budget
    const profile = (await table.profile(lead!.leadId))!;
    const size = dynamoItemSize(profile);
    console.info(`flood: ${HOSTILE_POSTS} posts in ${posted - started} ms, drained in ${drained - posted} ms; profile ${size} bytes`);
    expect(size).toBeLessThanOrEqual(PROFILE_SIZE_BUDGET_BYTES);
    expect(profile.consentEvidence).toBeUndefined();
    expect(profile.consentEvidenceFirst).toMatchObject({
      form: 'newsletter',
      userAgent: expect.stringMatching(/^Mozilla\/5\.0 \(hostile \d+\) x+$/),
    });
    expect(profile.consentEvidenceLatest.userAgent).toHaveLength(512);
    // every stored request's evidence is kept with its own interaction
    expect(interactions.filter((interaction) => interaction.consentEvidence?.userAgent?.length === 512)).toHaveLength(STORED);
    // the flood mailed the address once (one opt-in mail per address and hour)
    expect(await optInMails(stack, email)).toHaveLength(1);

    // Act: the person behind the address asks to be contacted
    const contact = await stack.postJson('/forms/contact', { email, firstName: 'Real', lastName: 'Person', message: 'Please call me.' });
    await stack.drain();

    // Assess: MQL, and sales got exactly one notification for it
    expect(contact.status).toBe(200);
    expect((await stack.lead(email))!.lifecycle).toBe('mql');
    const salesMails = (await stack.mailTo(SALES_INBOX)).filter((mail) => (mail.replyTo ?? []).includes(email));
    expect(salesMails).toHaveLength(1);
    expect(dynamoItemSize((await table.profile(lead!.leadId))!)).toBeLessThanOrEqual(PROFILE_SIZE_BUDGET_BYTES);
    // 2,000 requests through the whole stack: the one slow test of the capture suite, hence its own timeout
  }, 480_000);

  it('stores a bounded explanation and only the points that count, however many scored interactions a lead has', async () => {
    // Prepare: a lead with 120 clicks on different mails (5 points each) and 60 opens (0 points)
    const email = uniqueEmail('busy');
    await stack.postJson('/forms/newsletter', { email, marketingConsent: true });
    await stack.drain();
    const { leadId } = (await stack.lead(email))!;
    const clicks: Interaction[] = Array.from({ length: 120 }, (_, n) => ({
      id: `click-${n}`,
      type: 'email_click',
      at: minutesAgo(400 - 2 * n),
      messageId: `m-${n}`,
    }));
    const opens: Interaction[] = Array.from({ length: 60 }, (_, n) => ({
      id: `open-${n}`,
      type: 'email_open',
      at: minutesAgo(399 - 2 * n),
      messageId: `m-${n}`,
    }));
    await seedInteractions(leadId, [...clicks, ...opens]);

    // Act: the next interaction classifies the lead
    await stack.postJson('/forms/download', validBody('download', email));
    await stack.drain();

    // Assess
    const lead = (await stack.lead(email))!;
    const profile = (await table.profile(leadId))!;
    expect(lead.score).toBe(10 + 120 * 5 + 15);
    expect(lead.scoreExplanation).toHaveLength(MAX_STORED_EXPLANATION_LINES);
    expect(lead.scoreExplanation.reduce((sum: number, line: { points: number }) => sum + line.points, 0)).toBe(lead.score);
    expect(Object.keys(profile.interactionPoints)).toHaveLength(MAX_STORED_INTERACTION_POINTS);
    expect(Object.values(profile.interactionPoints).every((points) => points !== 0)).toBe(true);
    expect(dynamoItemSize(profile)).toBeLessThanOrEqual(PROFILE_SIZE_BUDGET_BYTES);
  });

  it("reports a profile over DynamoDB's item size limit as ItemTooLargeError at once, not as conflicting attempts", async () => {
    // Prepare: a profile grown to the limit by the unbounded evidence list earlier versions kept, and a contact request to classify
    const leadId = `Loversized${Date.now()}`;
    const at = stack.stack.clock.now().toISOString();
    const evidence = { at, ip: '203.0.113.7', userAgent: 'x'.repeat(512), form: 'newsletter', textVersion: '2026-11-v1' };
    const profile: Record<string, unknown> & { consentEvidence: unknown[] } = {
      ...{
        pk: `LEAD#${leadId}`,
        sk: 'PROFILE',
        leadId,
        email: 'oversized@acme-gmbh.example',
        createdAt: at,
        updatedAt: at,
        version: 1,
        lifecycle: 'warm',
      },
      consentEvidence: [],
    };
    while (dynamoItemSize(profile) < 408_000) profile.consentEvidence.push(evidence);
    // up to 100 bytes below the 400 KB (409,600 bytes) limit: any classification adds more than that
    profile.note = '';
    profile.note = 'x'.repeat(409_500 - dynamoItemSize(profile));
    await raw.send(new PutCommand({ TableName: stack.stack.tableName, Item: profile }));
    await seedInteractions(leadId, [{ id: 'contact-1', type: 'contact', at }]);
    const { reclassifyLead } = await import('../../../shared/classification/reclassify-lead');
    const { ItemTooLargeError } = await import('../../../shared/storage/transaction-errors');
    const { dynamoClassificationStore } = await import('../../../shared/storage/dynamo-classification-store');

    // Act
    const error = await reclassifyLead(
      { store: dynamoClassificationStore(stack.stack.tableName), retentionDays: 30 },
      leadId,
      at,
      defaultScoringConfig,
    ).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(ItemTooLargeError);
    expect((error as Error).message).toContain('maximum item size');
  });
});
