/**
 * SES feedback counts only for mail that went to the lead (AWS review items 2 and 7). The sales
 * notification goes through the untracked configuration set and names no lead; the forward rule
 * takes only events of this app's lead-mail configuration set; and the feedback handler ignores
 * feedback on sales mail even if such an event reaches it. Real local stack throughout.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SES_CONFIGURATION_SET_TAG, SES_CONFIGURATION_SETS } from '../../../shared/email/configuration-sets';
import { startTestStack, uniqueEmail, type TestStack } from '../../support/test-stack';
import { sesEvent } from '../nurture/nurture-helpers';
import { qualifiedLead } from './sales-helpers';

interface LoggedEvent {
  id: string;
  bus: string;
  'detail-type': string;
  detail: { mail?: { messageId: string; tags?: Record<string, string[]> } };
}

describe('SES feedback about sales mail is not credited to the lead', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  async function sesEventsAbout(messageId: string): Promise<LoggedEvent[]> {
    const all = (await (await fetch(`${stack.url}/_dev/events`)).json()) as LoggedEvent[];
    return all.filter((event) => event.detail.mail?.messageId === messageId);
  }

  /** What the lead's classification and suppression depend on. */
  function scoring(lead: Record<string, any>) {
    const { score, engagementScore, lifecycle, qualification, funnelStage, suppressed, scoreExplanation, interactions } = lead;
    return { score, engagementScore, lifecycle, qualification, funnelStage, suppressed, scoreExplanation, interactions };
  }

  it('changes nothing on the lead when sales opens or clicks the notification, or the sales mailbox bounces or complains', async () => {
    // Prepare
    const email = uniqueEmail('sales-feedback');
    const salesMail = await qualifiedLead(stack, email);
    const before = (await stack.lead(email))!;
    expect(before).toMatchObject({ lifecycle: 'mql', suppressed: null });

    // Act
    await sesEvent(stack, { type: 'open', messageId: salesMail.messageId });
    await sesEvent(stack, { type: 'click', messageId: salesMail.messageId });
    await sesEvent(stack, { type: 'bounce', messageId: salesMail.messageId, bounceType: 'Permanent' });
    await sesEvent(stack, { type: 'complaint', messageId: salesMail.messageId });

    // Assess
    const after = (await stack.lead(email))!;
    expect(scoring(after)).toEqual(scoring(before));
    expect(after.interactions.map((interaction: { type: string }) => interaction.type)).not.toContain('email_click');
    expect(after.interactions.map((interaction: { type: string }) => interaction.type)).not.toContain('email_open');
    // SES reports the sales mail under the untracked set and without the lead's id, and the forward leaves it on the default bus
    const events = await sesEventsAbout(salesMail.messageId);
    expect(events).toHaveLength(4);
    for (const event of events) {
      expect(event.bus).toBe('default');
      expect(event.detail.mail!.tags).toMatchObject({
        category: ['sales'],
        [SES_CONFIGURATION_SET_TAG]: [SES_CONFIGURATION_SETS.salesMail],
      });
      expect(event.detail.mail!.tags!.leadId).toBeUndefined();
    }
  });

  it('ignores feedback on sales mail even when the event reaches the app bus tagged with the lead (mail sent before the fix)', async () => {
    // Prepare
    const email = uniqueEmail('sales-feedback-old');
    const salesMail = await qualifiedLead(stack, email);
    const before = (await stack.lead(email))!;
    const clicked = {
      eventType: 'Click',
      mail: {
        messageId: salesMail.messageId,
        timestamp: before.salesNotifiedAt,
        tags: { leadId: [before.leadId], category: ['sales'], template: ['sales-notification'] },
      },
      click: { timestamp: before.salesNotifiedAt, link: 'https://leadpipe.example/' },
    };
    const bounced = { ...clicked, eventType: 'Bounce', bounce: { bounceType: 'Permanent', timestamp: before.salesNotifiedAt } };

    // Act
    stack.stack.bus.put(stack.stack.environment.EVENT_BUS_NAME!, { source: 'aws.ses', detailType: 'Email Clicked', detail: clicked });
    stack.stack.bus.put(stack.stack.environment.EVENT_BUS_NAME!, { source: 'aws.ses', detailType: 'Email Bounced', detail: bounced });
    await stack.drain();

    // Assess
    expect(scoring((await stack.lead(email))!)).toEqual(scoring(before));
  });

  it("still forwards and scores the lead's own mail, and leaves SES events of other configuration sets in the account alone", async () => {
    // Prepare: a lead with its opt-in mail (lead mail, tracked set)
    const email = uniqueEmail('lead-mail-feedback');
    expect((await stack.postJson('/forms/newsletter', { email, marketingConsent: true })).status).toBe(200);
    await stack.drain();
    const [optIn] = await stack.mailTo(email);
    const lead = (await stack.lead(email))!;
    // another application in the same account sends through its own configuration set
    const otherApp = {
      eventType: 'Click',
      mail: {
        messageId: optIn!.messageId,
        tags: { leadId: [lead.leadId], category: ['system'], [SES_CONFIGURATION_SET_TAG]: ['another-app'] },
      },
      click: { timestamp: new Date().toISOString(), link: 'https://other.example/' },
    };

    // Act
    const foreign = stack.stack.bus.put('default', { source: 'aws.ses', detailType: 'Email Clicked', detail: otherApp });
    await stack.drain();
    const afterForeign = (await stack.lead(email))!;
    await sesEvent(stack, { type: 'click', messageId: optIn!.messageId });

    // Assess
    expect(afterForeign.interactions.map((interaction: { type: string }) => interaction.type)).not.toContain('email_click');
    const foreignCopies = (await sesEventsAbout(optIn!.messageId)).filter((event) => event.id === foreign.id);
    expect(foreignCopies.map((event) => event.bus)).toEqual(['default']);
    // the click (the mail's Send and Delivery events are on the buses too)
    const own = (await sesEventsAbout(optIn!.messageId)).filter(
      (event) => event.id !== foreign.id && event['detail-type'] === 'Email Clicked',
    );
    expect(own.map((event) => event.bus).sort()).toEqual(['default', stack.stack.environment.EVENT_BUS_NAME].sort());
    expect(own[0]!.detail.mail!.tags).toMatchObject({
      leadId: [lead.leadId],
      [SES_CONFIGURATION_SET_TAG]: [SES_CONFIGURATION_SETS.leadMail],
    });
    const clicked = (await stack.lead(email))!;
    expect(clicked.interactions).toContainEqual(expect.objectContaining({ type: 'email_click', messageId: optIn!.messageId, points: 5 }));
  });
});
