/**
 * What the local stack does with work that keeps failing: a bus target that always throws, and an
 * outbox record whose PutEvents entry is always rejected. Both must end in /_dev/dead-letters (the
 * local counterparts of the rule's DLQ and the event source mapping's on-failure queue), after a
 * bounded number of attempts, while the work behind them carries on.
 *
 * The bus and the targets are real. Only the relay's own EventBridge client is mocked, and only to
 * reject the poison entry; every other entry goes to the real local bus through a second, real client.
 */
import { EventBridgeClient, PutEventsCommand, type PutEventsCommandInput, type PutEventsCommandOutput } from '@aws-sdk/client-eventbridge';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack } from '../../../local/local-stack';
import { MAX_ATTEMPTS } from '../../../local/stream-poller';
import { TestStack, uniqueEmail } from '../../support/test-stack';
import { suiteDynamoDbEndpoint } from '../../support/suite-dynamodb';

interface DeadLetters {
  events: { rule: string; attempts: number; error: string; event: { id: string; 'detail-type': string } }[];
  streamRecords: { eventID: string; dynamodb: { NewImage: { outbox?: { M: { detail: { S: string } } } } } }[];
}

describe('dead letters: work that keeps failing is set aside, visible, and blocks nothing', () => {
  let stack: TestStack;
  let realBus: EventBridgeClient;
  let relayClient: AwsClientStub<EventBridgeClient> | undefined;

  beforeAll(async () => {
    // As startTestStack, but the stream is read only when drained: what is relayed, and when, is up to the test.
    stack = new TestStack(
      await startLocalStack({
        port: 0,
        dynamoDbEndpoint: suiteDynamoDbEndpoint(),
        tableName: `leadpipe-test-${randomUUID().slice(0, 8)}`,
        streamPollMs: 0,
      }),
    );
    realBus = new EventBridgeClient({ endpoint: stack.stack.environment.AWS_ENDPOINT_URL_EVENTBRIDGE, region: 'eu-central-1' });
  });
  afterEach(() => {
    relayClient?.restore();
    relayClient = undefined;
  });
  afterAll(async () => {
    realBus.destroy();
    await stack.stop();
  });

  async function deadLetters(): Promise<DeadLetters> {
    return (await (await fetch(`${stack.url}/_dev/dead-letters`)).json()) as DeadLetters;
  }

  async function signUp(email: string): Promise<void> {
    const response = await stack.postJson('/forms/newsletter', { email, marketingConsent: true });
    expect(response.status).toBe(200);
  }

  it('dead-letters an event whose target throws on every attempt, and keeps delivering the next ones', async () => {
    // Prepare: an Interaction Recorded whose detail classify-lead rejects (no leadId), put on the real local bus
    const put = await realBus.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: stack.stack.environment.EVENT_BUS_NAME,
            Source: 'leadpipe',
            DetailType: 'Interaction Recorded',
            Detail: JSON.stringify({ type: 'newsletter_signup' }),
          },
        ],
      }),
    );
    const email = uniqueEmail('after-poison');

    // Act
    await stack.drain();
    await signUp(email);
    await stack.drain();

    // Assess
    const letters = await deadLetters();
    const letter = letters.events.find((entry) => entry.event.id === put.Entries![0]!.EventId);
    const error = expect.stringContaining('Interaction Recorded detail is invalid');
    expect(letter).toMatchObject({ rule: 'classify-on-interaction', attempts: 3, error });
    expect(await stack.mailTo(email)).toHaveLength(1);
  });

  it(`sets an outbox record aside after ${MAX_ATTEMPTS} rejected relays, and relays the records behind it in order`, async () => {
    // Prepare: three sign-ups; the relay's PutEvents rejects the first one's event every time
    const [poison, second, third] = [uniqueEmail('relay-poison'), uniqueEmail('relay-second'), uniqueEmail('relay-third')];
    for (const email of [poison, second, third]) await signUp(email);
    const poisonLeadId = (await stack.lead(poison))!.leadId as string;
    const { eventBridge } = await import('../../../shared/adapters/event-bridge-client');
    relayClient = mockClient(eventBridge);
    const relayedOrder: string[] = [];
    let rejections = 0;
    relayClient.on(PutEventsCommand).callsFake(async (input: PutEventsCommandInput): Promise<Partial<PutEventsCommandOutput>> => {
      const entries = input.Entries!;
      const poisonAt = entries.findIndex((entry) => entry.Detail!.includes(poisonLeadId));
      if (poisonAt >= 0) rejections += 1;
      const accepted = poisonAt < 0 ? entries : entries.slice(0, poisonAt);
      const result = accepted.length > 0 ? await realBus.send(new PutEventsCommand({ Entries: accepted })) : { Entries: [] };
      const interactions = accepted.filter((entry) => entry.DetailType === 'Interaction Recorded');
      relayedOrder.push(...interactions.map((entry) => (JSON.parse(entry.Detail!) as { leadId: string }).leadId));
      if (poisonAt < 0) return result;
      const rejected = entries.slice(poisonAt).map(() => ({ ErrorCode: 'InternalFailure', ErrorMessage: 'rejected by the test' }));
      return { FailedEntryCount: rejected.length, Entries: [...(result.Entries ?? []), ...rejected] };
    });

    // Act
    await stack.drain();

    // Assess
    const letters = await deadLetters();
    const setAside = letters.streamRecords.filter((record) => record.dynamodb.NewImage.outbox?.M.detail.S.includes(poisonLeadId));
    expect(setAside).toHaveLength(1);
    expect(rejections).toBe(MAX_ATTEMPTS);
    expect(await stack.mailTo(poison)).toHaveLength(0);
    expect(await stack.mailTo(second)).toHaveLength(1);
    expect(await stack.mailTo(third)).toHaveLength(1);
    const [secondLeadId, thirdLeadId] = [(await stack.lead(second))!.leadId, (await stack.lead(third))!.leadId];
    expect(relayedOrder).toEqual([secondLeadId, thirdLeadId]);
  });
});
