/**
 * SES feedback without tags finds the lead through the message-id lookup item written at send time.
 * That item is parsed, not cast (issue 12): an item as older versions wrote it (no category, no
 * tags) still finds the lead, and a malformed one fails the event under a message naming the
 * field, instead of being taken for "no lead". Real DynamoDB Local through the feedback store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SesFeedback } from '../../../shared/feedback/handle-ses-feedback';
import { startTestStack, uniqueEmail, type TestStack } from '../../support/test-stack';

const AT = '2026-11-02T10:00:00.000Z';

describe('SES feedback: the message-id lookup item is parsed', () => {
  let stack: TestStack;
  let handle: (feedback: SesFeedback) => ReturnType<typeof import('../../../shared/feedback/handle-ses-feedback').handleSesFeedback>;
  let putItem: (item: Record<string, unknown>) => Promise<void>;

  beforeAll(async () => {
    stack = await startTestStack();
    // Modules create their SDK clients at import: import them once the stack set the environment.
    const { handleSesFeedback } = await import('../../../shared/feedback/handle-ses-feedback');
    const { dynamoFeedbackStore } = await import('../../../shared/storage/dynamo-feedback-store');
    const { documentClient } = await import('../../../shared/storage/dynamodb-client');
    const { PutCommand } = await import('@aws-sdk/lib-dynamodb');
    const store = dynamoFeedbackStore(stack.stack.tableName);
    handle = (feedback) => handleSesFeedback(feedback, AT, { store });
    putItem = async (item) => {
      await documentClient.send(new PutCommand({ TableName: stack.stack.tableName, Item: item }));
    };
  });
  afterAll(async () => {
    await stack?.stop();
  });

  async function lead(label: string): Promise<{ email: string; leadId: string }> {
    const email = uniqueEmail(label);
    expect((await stack.postJson('/forms/newsletter', { email, marketingConsent: true, firstName: 'Hanna' })).status).toBe(200);
    await stack.drain();
    return { email, leadId: (await stack.lead(email))!.leadId as string };
  }

  /** A click on a message whose SES event carries no tags, so only the lookup item names the lead. */
  function untaggedClick(messageId: string): SesFeedback {
    return { kind: 'click', detail: { eventType: 'Click', mail: { messageId }, click: { timestamp: AT } } };
  }

  it('finds the lead through a lookup item written before categories and tags were kept', async () => {
    // Prepare
    const { email, leadId } = await lead('lookup-legacy');
    const messageId = `legacy-${leadId}`;
    await putItem({ pk: `MESSAGE#${messageId}`, sk: 'MESSAGE', leadId, templateId: 'opt-in', sentAt: AT });

    // Act
    const outcome = await handle(untaggedClick(messageId));

    // Assess
    expect(outcome).toBe('recorded');
    const clicks = (await stack.lead(email))!.interactions.filter((interaction: { type: string }) => interaction.type === 'email_click');
    expect(clicks).toHaveLength(1);
  });

  it('fails the event, naming the field, on a malformed lookup item, and records nothing', async () => {
    // Prepare: a lookup item without its lead id (a non-string leadId cannot even be written: it keys the subscribers index)
    const { email, leadId } = await lead('lookup-malformed');
    const messageId = `malformed-${leadId}`;
    await putItem({ pk: `MESSAGE#${messageId}`, sk: 'MESSAGE', templateId: 'opt-in', sentAt: AT, category: 'system' });
    const before = (await stack.lead(email))!;

    // Act
    const outcome = handle(untaggedClick(messageId));

    // Assess
    await expect(outcome).rejects.toThrow(/message lookup item .* malformed[\s\S]*leadId/);
    expect((await stack.lead(email))!.interactions).toEqual(before.interactions);
  });
});
