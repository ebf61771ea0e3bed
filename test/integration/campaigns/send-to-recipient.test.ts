/**
 * sendToRecipient, the sender Lambda's use case, against the test stack's DynamoDB table and SES emulator:
 * the claim, the mail as SES gets it, the record on the lead and the campaign, the nurture pause, a second
 * call, an unsubscribe in between, a throttled send, and the campaign figures SES feedback and the unsubscribe
 * link add. Subscribers are made over HTTP, as people become subscribers.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyCounts, type Campaign } from '../../../shared/campaigns/campaign';
import type { CampaignStore } from '../../../shared/campaigns/campaign-store';
import type { CampaignMailDeps } from '../../../shared/campaigns/send-campaign-mail';
import { readEnv } from '../../../shared/config/read-env';
import { FUNCTION_ENV } from '../../../shared/wiring/function-config';
import { startTestStack, uniqueEmail, type TestStack } from '../../support/test-stack';
import { header, unsubscribeLink } from '../nurture/nurture-helpers';
import { leadIdOf, signUpConfirmed, unsubscribe } from './campaign-helpers';

const HOUR_MS = 3_600_000;

describe('sendToRecipient on DynamoDB Local and the SES emulator', () => {
  let stack: TestStack;
  let store: CampaignStore;
  let deps: CampaignMailDeps;
  let tableName: string;
  let sendToRecipient: typeof import('../../../shared/campaigns/send-campaign-mail').sendToRecipient;
  let handleSesFeedback: typeof import('../../../shared/feedback/handle-ses-feedback').handleSesFeedback;
  let feedbackStore: import('../../../shared/feedback/feedback-store').FeedbackStore;
  let documentClient: typeof import('../../../shared/storage/dynamodb-client').documentClient;
  let keys: typeof import('../../../shared/storage/table-design').keys;

  beforeAll(async () => {
    stack = await startTestStack();
    tableName = stack.stack.tableName;
    // Storage modules create their SDK clients at import: import them once the stack set the environment.
    ({ sendToRecipient } = await import('../../../shared/campaigns/send-campaign-mail'));
    ({ handleSesFeedback } = await import('../../../shared/feedback/handle-ses-feedback'));
    ({ documentClient } = await import('../../../shared/storage/dynamodb-client'));
    ({ keys } = await import('../../../shared/storage/table-design'));
    const { dynamoCampaignStore } = await import('../../../shared/storage/dynamo-campaign-store');
    const { dynamoFeedbackStore } = await import('../../../shared/storage/dynamo-feedback-store');
    const { getLead } = await import('../../../shared/storage/lead-store');
    const { emailSendingOf } = await import('../../../shared/email/send-email');
    store = dynamoCampaignStore(tableName);
    feedbackStore = dynamoFeedbackStore(tableName);
    // The sender identity and configuration sets every sending function of the stack reads.
    const config = readEnv(FUNCTION_ENV['nurture-dispatcher']);
    deps = {
      store,
      readLead: (leadId) => getLead(tableName, leadId),
      sending: emailSendingOf(config),
      signingKey: process.env.LEADPIPE_SIGNING_KEY!,
      publicBaseUrl: stack.url,
      imprint: config.IMPRINT,
      senderName: config.SENDER_NAME,
      companyName: config.COMPANY_NAME,
    };
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** A stored campaign from the example folder. Its send time is far ahead, so no engine on the stack starts it. */
  async function storedCampaign(id: string): Promise<Campaign> {
    const { loadCampaignFolder } = await import('../../../shared/campaigns/campaign-folder');
    const { sendAt: _sendAt, ...definition } = loadCampaignFolder('content/campaigns/2027-01-newsletter');
    const now = stack.stack.clock.now().toISOString();
    const campaign: Campaign = {
      ...definition,
      id,
      status: 'sending',
      sendAt: '2099-01-01T00:00:00.000Z',
      contentHash: 'test',
      createdAt: now,
      updatedAt: now,
      counts: emptyCounts(),
    };
    expect(await store.createCampaign(campaign)).toMatchObject({ created: true });
    return campaign;
  }

  async function profile(leadId: string): Promise<Record<string, unknown>> {
    return (await documentClient.send(new GetCommand({ TableName: tableName, Key: keys.lead(leadId), ConsistentRead: true }))).Item!;
  }

  function campaignMails(mails: Awaited<ReturnType<TestStack['mailTo']>>) {
    return mails.filter((mail) => !mail.text.includes('/confirm?token='));
  }

  it('claims, sends one mail with List-Unsubscribe, records it and pauses nurture; a second call sends nothing', async () => {
    // Prepare
    const campaign = await storedCampaign(`c-once-${crypto.randomUUID().slice(0, 6)}`);
    const email = uniqueEmail('once');
    await signUpConfirmed(stack, email, 'Nora');
    const leadId = leadIdOf(stack, email);
    const now = stack.stack.clock.now().toISOString();
    const nurtureBefore = (await profile(leadId)).nurture;

    // Act
    const first = await sendToRecipient(deps, campaign, leadId, now);
    const second = await sendToRecipient(deps, campaign, leadId, now);

    // Assess: one mail, as a marketing mail
    expect(first).toMatchObject({ kind: 'sent', recorded: true });
    expect(second).toEqual({ kind: 'already-claimed' });
    const mails = campaignMails(await stack.mailTo(email));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe(campaign.content.de.subject);
    expect(header(mails[0]!, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(unsubscribeLink(mails[0]!)).toMatch(new RegExp(`^${stack.url}/unsubscribe\\?token=`));
    expect(mails[0]!.text).toContain(deps.imprint);
    // the claim marked with the message, the campaign counted, the mail on the timeline and findable by SES feedback
    const messageId = (first as { messageId: string }).messageId;
    // the local stack publishes SES's Delivery of the mail, as SES does: counted once drained
    await stack.drain();
    expect(await store.getClaim(campaign.id, leadId)).toMatchObject({ messageId, sentAt: now, counted: ['delivered'] });
    expect((await store.getCampaign(campaign.id))!.counts).toEqual({ ...emptyCounts(), sent: 1, delivered: 1 });
    const lead = await stack.lead(email);
    expect(lead!.emails).toContainEqual(
      expect.objectContaining({ messageId, templateId: `campaign:${campaign.id}`, category: 'marketing' }),
    );
    expect(await feedbackStore.messageLookup(messageId)).toMatchObject({ leadId, templateId: `campaign:${campaign.id}` });
    // nurture waits 24 hours; the campaign mail is no nurture step
    const stored = await profile(leadId);
    expect(stored.nurtureResumeAt).toBe(new Date(Date.parse(now) + 24 * HOUR_MS).toISOString());
    expect(stored.nurture).toEqual(nurtureBefore);
  });

  it('holds the next nurture step back until 24 hours after the campaign mail', async () => {
    // Prepare: tofu-1 falls due 48 hours after the confirmation; the campaign mail goes out one hour before that
    const campaign = await storedCampaign(`c-cap-${crypto.randomUUID().slice(0, 6)}`);
    const email = uniqueEmail('capped');
    await signUpConfirmed(stack, email);
    const leadId = leadIdOf(stack, email);
    await stack.tick(47);
    const sentAt = stack.stack.clock.now().toISOString();
    expect(await sendToRecipient(deps, campaign, leadId, sentAt)).toMatchObject({ kind: 'sent' });
    const nurtureMails = async () =>
      (await stack.lead(email))!.emails.filter((mail: { templateId: string }) => mail.templateId === 'tofu-1');

    // Act + Assess: not when it fell due, but once the 24 hours have passed
    await stack.tick(3);
    expect(await nurtureMails()).toHaveLength(0);
    await stack.tick(22);
    expect(await nurtureMails()).toEqual([expect.objectContaining({ templateId: 'tofu-1' })]);
    const tofu1 = (await nurtureMails())[0] as { sentAt: string };
    expect(Date.parse(tofu1.sentAt) - Date.parse(sentAt)).toBeGreaterThanOrEqual(24 * HOUR_MS);
  });

  it('publishes Campaign Sent once per recipient through the outbox', async () => {
    // Prepare
    const campaign = await storedCampaign(`c-event-${crypto.randomUUID().slice(0, 6)}`);
    const email = uniqueEmail('event');
    await signUpConfirmed(stack, email);
    const leadId = leadIdOf(stack, email);

    // Act
    const sent = await sendToRecipient(deps, campaign, leadId, stack.stack.clock.now().toISOString());
    await stack.drain();

    // Assess
    const events = (await (await fetch(`${stack.url}/_dev/events?detail-type=Campaign%20Sent`)).json()) as Array<{ detail: unknown }>;
    expect(events.filter((event) => (event.detail as { campaignId: string }).campaignId === campaign.id)).toEqual([
      expect.objectContaining({
        detail: { campaignId: campaign.id, leadId, messageId: (sent as { messageId: string }).messageId, at: expect.any(String) },
      }),
    ]);
  });

  it('keeps a later nurture pause the lead already has', async () => {
    // Prepare
    const campaign = await storedCampaign(`c-pause-${crypto.randomUUID().slice(0, 6)}`);
    const email = uniqueEmail('paused');
    await signUpConfirmed(stack, email);
    const leadId = leadIdOf(stack, email);
    const later = new Date(stack.stack.clock.now().getTime() + 30 * 24 * HOUR_MS).toISOString();
    const { UpdateCommand } = await import('@aws-sdk/lib-dynamodb');
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.lead(leadId),
        UpdateExpression: 'SET nurtureResumeAt = :r',
        ExpressionAttributeValues: { ':r': later },
      }),
    );

    // Act
    const outcome = await sendToRecipient(deps, campaign, leadId, stack.stack.clock.now().toISOString());

    // Assess
    expect(outcome).toMatchObject({ kind: 'sent', recorded: true });
    expect((await profile(leadId)).nurtureResumeAt).toBe(later);
  });

  it('sends nothing to a subscriber who unsubscribed after the audience was read', async () => {
    // Prepare: in the audience when the planner read the index, then the one-click unsubscribe
    const campaign = await storedCampaign(`c-unsub-${crypto.randomUUID().slice(0, 6)}`);
    const email = uniqueEmail('left');
    await signUpConfirmed(stack, email);
    const leadId = leadIdOf(stack, email);
    await unsubscribe(stack, email);

    // Act
    const outcome = await sendToRecipient(deps, campaign, leadId, stack.stack.clock.now().toISOString());

    // Assess
    expect(outcome).toEqual({ kind: 'skipped', reason: 'no-consent' });
    expect(campaignMails(await stack.mailTo(email))).toHaveLength(0);
    expect(await store.getClaim(campaign.id, leadId)).toBeUndefined();
  });

  it('releases the claim when SES throttles, so the retried message sends exactly once', async () => {
    // Prepare
    const campaign = await storedCampaign(`c-throttle-${crypto.randomUUID().slice(0, 6)}`);
    const email = uniqueEmail('throttled');
    await signUpConfirmed(stack, email);
    const leadId = leadIdOf(stack, email);
    const throttled = Object.assign(new Error('Maximum sending rate exceeded.'), {
      name: 'TooManyRequestsException',
      $metadata: { httpStatusCode: 429 },
    });
    const now = stack.stack.clock.now().toISOString();

    // Act
    const first = sendToRecipient({ ...deps, sendMessage: () => Promise.reject(throttled) }, campaign, leadId, now);

    // Assess
    await expect(first).rejects.toMatchObject({ name: 'CampaignSendRetryableError', reason: 'throttled' });
    expect(await store.getClaim(campaign.id, leadId)).toBeUndefined();
    expect(await sendToRecipient(deps, campaign, leadId, now)).toMatchObject({ kind: 'sent' });
    expect(await sendToRecipient(deps, campaign, leadId, now)).toEqual({ kind: 'already-claimed' });
    expect(campaignMails(await stack.mailTo(email))).toHaveLength(1);
    expect((await store.getCampaign(campaign.id))!.counts.sent).toBe(1);
  });

  it('counts delivery, open, click and unsubscribe once per mail; the click scores +5 once, the open 0', async () => {
    // Prepare
    const campaign = await storedCampaign(`c-stats-${crypto.randomUUID().slice(0, 6)}`);
    const email = uniqueEmail('engaged');
    await signUpConfirmed(stack, email);
    const leadId = leadIdOf(stack, email);
    const sent = await sendToRecipient(deps, campaign, leadId, stack.stack.clock.now().toISOString());
    const messageId = (sent as { messageId: string }).messageId;
    // The stack reports the mail's Send and Delivery itself, as SES does: counted before the test's own events
    await stack.drain();
    const lookup = (await feedbackStore.messageLookup(messageId))!;
    const { reportedSesTags } = await import('../../../shared/email/message-lookup');
    const mail = { messageId, tags: reportedSesTags(lookup) };
    const at = stack.stack.clock.now().toISOString();
    const feedback = {
      delivery: { kind: 'delivery', detail: { eventType: 'Delivery', mail, delivery: { timestamp: at } } },
      open: { kind: 'open', detail: { eventType: 'Open', mail, open: { timestamp: at } } },
      click: { kind: 'click', detail: { eventType: 'Click', mail, click: { timestamp: at, link: 'https://www.example.com/webinare' } } },
    } as const;
    const campaigns = store;
    const scoreBefore = (await stack.lead(email))!.score as number;

    // Act: SES reports each twice (the Delivery again, a second open and click of the same mail)
    const outcomes: string[] = [];
    for (const kind of ['open', 'click', 'delivery', 'open', 'click'] as const) {
      outcomes.push(await handleSesFeedback(feedback[kind], at, { store: feedbackStore, campaigns }));
    }
    const { countCampaignUnsubscribe } = await import('../../../shared/campaigns/campaign-unsubscribe');
    const token = { leadId, data: { locale: 'de', campaign: campaign.id } };
    const unsubscribed = [await countCampaignUnsubscribe(campaigns, token), await countCampaignUnsubscribe(campaigns, token)];
    await stack.drain();

    // Assess
    expect(outcomes.slice(0, 2)).toEqual(['recorded', 'recorded']);
    expect(outcomes[2]).toBe('duplicate');
    expect(unsubscribed).toEqual([true, false]);
    expect((await store.getCampaign(campaign.id))!.counts).toEqual({
      ...emptyCounts(),
      sent: 1,
      delivered: 1,
      opened: 1,
      clicked: 1,
      unsubscribed: 1,
    });
    const lead = await stack.lead(email);
    const clicks = (lead!.interactions as Array<{ type: string; points?: number }>).filter(
      (interaction) => interaction.type === 'email_click',
    );
    expect(clicks).toHaveLength(1);
    expect(lead!.score).toBe(scoreBefore + 5);
  });

  it('counts a hard bounce and a complaint in the figures and stops the address', async () => {
    // Prepare
    const campaign = await storedCampaign(`c-bounce-${crypto.randomUUID().slice(0, 6)}`);
    const bouncing = uniqueEmail('hard-bounce');
    const complaining = uniqueEmail('complains');
    await signUpConfirmed(stack, bouncing);
    await signUpConfirmed(stack, complaining);
    const at = stack.stack.clock.now().toISOString();
    const { reportedSesTags } = await import('../../../shared/email/message-lookup');
    async function mailOf(email: string) {
      const sent = await sendToRecipient(deps, campaign, leadIdOf(stack, email), at);
      const messageId = (sent as { messageId: string }).messageId;
      return { messageId, tags: reportedSesTags((await feedbackStore.messageLookup(messageId))!) };
    }
    const bounced = await mailOf(bouncing);
    const complained = await mailOf(complaining);

    // Act
    const outcomes = [
      await handleSesFeedback({ kind: 'bounce', detail: { eventType: 'Bounce', mail: bounced, bounce: { bounceType: 'Transient' } } }, at, {
        store: feedbackStore,
        campaigns: store,
      }),
      await handleSesFeedback({ kind: 'bounce', detail: { eventType: 'Bounce', mail: bounced, bounce: { bounceType: 'Permanent' } } }, at, {
        store: feedbackStore,
        campaigns: store,
      }),
      await handleSesFeedback({ kind: 'complaint', detail: { eventType: 'Complaint', mail: complained, complaint: {} } }, at, {
        store: feedbackStore,
        campaigns: store,
      }),
    ];

    // Assess
    expect(outcomes).toEqual(['ignored', 'suppressed', 'suppressed']);
    await stack.drain();
    expect((await store.getCampaign(campaign.id))!.counts).toEqual({ ...emptyCounts(), sent: 2, delivered: 2, bounced: 1, complained: 1 });
    expect(await stack.lead(bouncing)).toMatchObject({ suppressed: 'bounce' });
    expect(await stack.lead(complaining)).toMatchObject({ suppressed: 'complaint' });
  });
});
