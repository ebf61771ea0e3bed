/**
 * What a form post does after the address was erased (GDPR Art. 17). Every form post is the person's
 * own, active request, so it is taken as given anew: the lead starts afresh from what was just posted
 * (nothing of the erased lead comes back) and the suppression entry is lifted, with or without the
 * marketing-consent box. Paths that only repeat what other systems know (import, signals, SES events)
 * keep honouring the suppression.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leadErase } from '../../../cli/commands/lead-erase';
import { startTestStack, uniqueEmail, type TestStack } from '../../support/test-stack';
import { contextFor, getItem, leadIdOf, partitionItems } from '../cli/cli-kit';
import { SALES_INBOX } from '../sales/sales-helpers';
import { downloadMails, optInMails, validBody } from './capture-helpers';

describe('form posts after an erasure', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** A lead with a download (consent ticked), then erased; answers its address. */
  async function erasedLead(label: string): Promise<string> {
    const email = uniqueEmail(label);
    expect(
      (await stack.postJson('/forms/download', { ...validBody('download', email), company: 'Old GmbH', marketingConsent: true })).status,
    ).toBe(200);
    await stack.drain();
    await leadErase(contextFor(stack).ctx, { email });
    expect(await partitionItems(stack, email)).toEqual([]);
    expect(await getItem(stack, { pk: `SUPPRESSED#${leadIdOf(stack, email)}`, sk: 'SUPPRESSED' })).toBeDefined();
    return email;
  }

  it('a contact request without marketing consent is stored afresh, lifts the suppression and reaches sales', async () => {
    // Prepare
    const email = await erasedLead('erased-contact');
    const mailsBefore = (await stack.mailTo(email)).length;

    // Act
    const response = await stack.postJson('/forms/contact', validBody('contact', email));
    await stack.drain();

    // Assess: only what was just posted, no consent, no marketing mail
    expect(response.status).toBe(200);
    const lead = await stack.lead(email);
    expect(lead).toMatchObject({ firstName: 'Carla', company: null, lifecycle: 'mql', consent: { marketing: 'none' } });
    expect(lead!.interactions.map((interaction: { type: string }) => interaction.type)).toEqual(['contact']);
    expect(await getItem(stack, { pk: `SUPPRESSED#${leadIdOf(stack, email)}`, sk: 'SUPPRESSED' })).toBeUndefined();
    expect((await stack.mailTo(SALES_INBOX)).filter((mail) => (mail.replyTo ?? []).includes(email))).toHaveLength(1);
    // the one new mail is the transactional acknowledgement of the request; nothing asks for consent or markets
    const newMails = (await stack.mailTo(email)).slice(mailsBefore);
    expect(newMails.map((mail) => mail.subject)).toEqual(['Ihre Anfrage bei Leadpipe Example GmbH ist angekommen']);
    expect(newMails[0]!.text).not.toMatch(/\/confirm\?token=|unsubscribe|abmelden/i);
  });

  it('a download without marketing consent is delivered and stored afresh, and lifts the suppression', async () => {
    // Prepare
    const email = await erasedLead('erased-download');

    // Act
    const response = await stack.postJson('/forms/download', validBody('download', email));
    await stack.drain();

    // Assess
    expect(response.status).toBe(200);
    expect(await getItem(stack, { pk: `SUPPRESSED#${leadIdOf(stack, email)}`, sk: 'SUPPRESSED' })).toBeUndefined();
    expect((await stack.lead(email))!.interactions).toHaveLength(1);
    expect(await downloadMails(stack, email)).toHaveLength(2);
    expect(await optInMails(stack, email)).toHaveLength(1);
  });

  it('a newsletter signup (a new opt-in) lifts the suppression and asks for confirmation again', async () => {
    // Prepare
    const email = await erasedLead('erased-newsletter');

    // Act
    await stack.postJson('/forms/newsletter', { email, marketingConsent: true });
    await stack.drain();

    // Assess
    expect(await getItem(stack, { pk: `SUPPRESSED#${leadIdOf(stack, email)}`, sk: 'SUPPRESSED' })).toBeUndefined();
    expect((await stack.lead(email))!.consent.marketing).toBe('pending');
    expect(await optInMails(stack, email)).toHaveLength(2);
  });
});
