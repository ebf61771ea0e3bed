import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliError } from '../../../cli/cli-error';
import { importCsv } from '../../../cli/commands/import';
import { leadErase } from '../../../cli/commands/lead-erase';
import { leadExport } from '../../../cli/commands/lead-export';
import { leadShow } from '../../../cli/commands/lead-show';
import { uniqueEmail, type TestStack, startTestStack } from '../../support/test-stack';
import { contextFor, getItem, leadIdOf, partitionItems, tempDir, writeTemp } from './cli-kit';

interface BusEvent {
  id: string;
  'detail-type': string;
  source: string;
  time: string;
  detail: Record<string, unknown>;
}

function interactionTypesOf(lead: Record<string, any> | undefined): string[] {
  return (lead?.interactions ?? []).map((interaction: { type: string }) => interaction.type);
}

describe('leadpipe lead show / export / erase', () => {
  let stack: TestStack;
  let dir: string;
  beforeAll(async () => {
    stack = await startTestStack();
    dir = tempDir();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** A lead with consent evidence, attribution, a hand-raiser message and the mails that follow. */
  async function engagedLead(label: string): Promise<string> {
    const email = uniqueEmail(label);
    const download = await stack.postJson('/forms/download', {
      email,
      firstName: 'Erika',
      lastName: 'Mustermann',
      company: 'ACME GmbH',
      assetId: 'case-study-b2b',
      marketingConsent: true,
      utm_source: 'linkedin',
      utm_campaign: 'q3-launch',
    });
    expect(download.status).toBe(200);
    const contact = await stack.postJson('/forms/contact', {
      email,
      firstName: 'Erika',
      lastName: 'Mustermann',
      message: 'Please call me, line two',
    });
    expect(contact.status).toBe(200);
    await stack.drain();
    return email;
  }

  async function interactionEventsOf(leadId: string): Promise<BusEvent[]> {
    const events = (await (
      await fetch(`${stack.url}/_dev/events?detail-type=${encodeURIComponent('Interaction Recorded')}`)
    ).json()) as BusEvent[];
    return events.filter((event) => event.detail.leadId === leadId);
  }

  describe('lead show and export (read-only, on one engaged lead)', () => {
    let email: string;
    beforeAll(async () => {
      email = await engagedLead('read');
    });

    it('lead show prints with --json exactly the JSON of GET /_dev/leads/<email>', async () => {
      // Prepare
      const { ctx, out } = contextFor(stack);

      // Act
      await leadShow(ctx, { email: `  ${email.toUpperCase()} `, json: true });

      // Assess
      const devView = await stack.lead(email);
      expect(devView).toBeDefined();
      expect(JSON.parse(out())).toEqual(devView);
    });

    it('lead show prints a readable summary: stages, score with explanation, consent, interactions with points, emails', async () => {
      // Prepare
      const view = (await stack.lead(email))!;
      const { ctx, out } = contextFor(stack);

      // Act
      await leadShow(ctx, { email, json: false });

      // Assess
      const text = out();
      expect(text).toContain(`Erika Mustermann <${email}>`);
      expect(text).toMatch(/Company:\s+ACME GmbH/);
      expect(text).toMatch(/Lifecycle:\s+mql/);
      expect(text).toMatch(/Qualification:\s+qualified/);
      expect(text).toMatch(/Funnel stage:\s+bofu/);
      expect(text).toMatch(/PQL:\s+no/);
      expect(text).toContain(`Score:          ${view.score} = fit ${view.fitScore} + engagement ${view.engagementScore}`);
      expect(text).toMatch(/\+10 {2}business email domain/);
      expect(text).toMatch(/\+25 {2}download: case-study-b2b \(mofu\)/);
      expect(text).toMatch(/Consent:\s+pending/);
      expect(text).toMatch(/download\s+\+25 pts {2}case-study-b2b \(mofu\)/);
      expect(text).toMatch(/contact\s+0 pts/);
      expect(text).toMatch(/opt-in \(system\)/);
      expect(text).toMatch(/download-link \(system\)/);
    });

    it('lead show exits 1 with "No lead with email" for an unknown address', async () => {
      // Prepare
      const unknown = uniqueEmail('nobody');
      const { ctx, out } = contextFor(stack);

      // Act
      const showing = leadShow(ctx, { email: unknown, json: true });

      // Assess
      await expect(showing).rejects.toThrow(CliError);
      await expect(leadShow(ctx, { email: unknown, json: false })).rejects.toThrow(`No lead with email ${unknown}`);
      expect(out()).toBe('');
    });

    it(`lead export prints everything stored for the lead: profile, consent evidence, interactions with attribution and message, \
emails with lookups`, async () => {
      // Prepare
      const stored = await partitionItems(stack, email);
      const { ctx, out } = contextFor(stack);

      // Act
      await leadExport(ctx, { email });

      // Assess
      const text = out();
      const exported = JSON.parse(text);
      expect(text).not.toMatch(/"(pk|sk)":/);
      expect(exported.subject).toEqual({ email, leadId: leadIdOf(stack, email) });
      expect(exported.profile).toMatchObject({ email, firstName: 'Erika', lastName: 'Mustermann', company: 'ACME GmbH', lifecycle: 'mql' });
      expect(exported.consent.marketing).toBe('pending');
      expect(exported.consent.evidence).toEqual([
        expect.objectContaining({
          form: 'download',
          ip: expect.any(String),
          userAgent: expect.any(String),
          textVersion: expect.any(String),
        }),
      ]);
      expect(exported.interactions).toHaveLength(2);
      expect(exported.interactions).toContainEqual(
        expect.objectContaining({
          type: 'download',
          assetId: 'case-study-b2b',
          attribution: { utm_source: 'linkedin', utm_campaign: 'q3-launch' },
        }),
      );
      expect(exported.interactions).toContainEqual(expect.objectContaining({ type: 'contact', message: 'Please call me, line two' }));
      const templates = exported.emails.map((mail: { templateId: string }) => mail.templateId);
      expect(templates).toEqual(expect.arrayContaining(['opt-in', 'download-link']));
      for (const mail of exported.emails)
        expect(mail.lookup).toMatchObject({ leadId: leadIdOf(stack, email), templateId: mail.templateId });
      expect(exported.messageLookups).toHaveLength(exported.emails.length);
      // every stored item appears once, in its section
      const exportedItems =
        1 +
        exported.interactions.length +
        exported.emails.length +
        exported.outboxEvents.length +
        exported.submissions.length +
        exported.otherItems.length;
      expect(exportedItems).toBe(stored.length);
      expect(exported.salesDecision).toEqual(expect.any(Object));
      expect(exported.suppressionList).toBeNull();
    });

    it('lead export exits 1 for an address nothing is stored for', async () => {
      // Prepare
      const unknown = uniqueEmail('export-nobody');
      const { ctx } = contextFor(stack);

      // Act
      const exporting = leadExport(ctx, { email: unknown });

      // Assess
      await expect(exporting).rejects.toThrow(`No lead with email ${unknown}`);
    });
  });

  describe('lead erase', () => {
    it(`deletes every item and message lookup, suppresses the address, \
and a replayed old event neither re-creates nor mails the lead`, async () => {
      // Prepare
      const email = await engagedLead('erase');
      const leadId = leadIdOf(stack, email);
      const before = await partitionItems(stack, email);
      const messageIds = before.filter((item) => String(item.sk).startsWith('EMAIL#')).map((item) => String(item.messageId));
      expect(messageIds.length).toBeGreaterThanOrEqual(2);
      for (const id of messageIds) expect(await getItem(stack, { pk: `MESSAGE#${id}`, sk: 'MESSAGE' })).toBeDefined();
      const original = await interactionEventsOf(leadId);
      expect(original.length).toBe(2);
      const mailsBefore = (await stack.mailTo(email)).length;
      const { ctx, out, err } = contextFor(stack);

      // Act
      await leadErase(ctx, { email });

      // Assess: everything is gone, the suppression entry is there
      expect(await partitionItems(stack, email)).toEqual([]);
      for (const id of messageIds) expect(await getItem(stack, { pk: `MESSAGE#${id}`, sk: 'MESSAGE' })).toBeUndefined();
      expect(await getItem(stack, { pk: `SUPPRESSED#${leadId}`, sk: 'SUPPRESSED' })).toEqual({
        pk: `SUPPRESSED#${leadId}`,
        sk: 'SUPPRESSED',
        erasedAt: expect.any(String),
      });
      const count = (label: string) => Number(new RegExp(`^ {2}${label}\\s+(\\d+)$`, 'm').exec(out())?.[1]);
      expect(count('profile')).toBe(1);
      expect(count('interactions')).toBe(2);
      expect(count('emails sent')).toBe(messageIds.length);
      expect(count('message lookups')).toBe(messageIds.length);
      expect(count('dedupe items')).toBe(before.filter((item) => String(item.sk).startsWith('SUBMISSION#')).length);
      expect(count('outbox events')).toBe(before.filter((item) => String(item.sk).startsWith('EVENT#')).length);
      expect(err()).toMatch(new RegExp(`deleted ${before.length + messageIds.length}/${before.length + messageIds.length}\\n$`));

      // Act: replay the lead's original Interaction Recorded events on the bus
      const bus = new EventBridgeClient({ endpoint: process.env.AWS_ENDPOINT_URL_EVENTBRIDGE });
      const put = await bus.send(
        new PutEventsCommand({
          Entries: original.map((event) => ({
            EventBusName: process.env.EVENT_BUS_NAME,
            Source: event.source,
            DetailType: event['detail-type'],
            Detail: JSON.stringify(event.detail),
            Time: new Date(event.time),
          })),
        }),
      );
      bus.destroy();
      await stack.drain();

      // Assess: delivered, but no lead, no item, no mail
      expect(put.FailedEntryCount).toBe(0);
      expect(await interactionEventsOf(leadId)).toHaveLength(4);
      expect(await stack.lead(email)).toBeUndefined();
      expect((await fetch(`${stack.url}/_dev/leads/${encodeURIComponent(email)}`)).status).toBe(404);
      expect(await partitionItems(stack, email)).toEqual([]);
      expect(await stack.mailTo(email)).toHaveLength(mailsBefore);

      // Act + Assess: importing the erased address again is rejected
      const reimport = contextFor(stack);
      const summary = await importCsv(reimport.ctx, { file: writeTemp(dir, 'reimport.csv', `email,firstName\r\n${email},Erika\r\n`) });
      expect(summary).toMatchObject({ created: 0, updated: 0, unchanged: 0 });
      expect(summary.rejected).toEqual([{ row: 2, email, reason: 'address is on the suppression list (erased lead)' }]);
      expect(await stack.lead(email)).toBeUndefined();
      await expect(leadShow(ctx, { email, json: false })).rejects.toThrow(
        /No lead with email .* \(erased at .*; the address is on the suppression list\)/,
      );
    });

    it('SES feedback that arrives after the erasure (open, click, permanent bounce, complaint) re-creates nothing', async () => {
      // Prepare: SES events of each kind about a mail that went to the lead, as SES published them
      const email = await engagedLead('erase-ses');
      const leadId = leadIdOf(stack, email);
      const items = await partitionItems(stack, email);
      const mailToLead = items.find((item) => String(item.sk).startsWith('EMAIL#') && item.templateId === 'download-link');
      const messageId = String(mailToLead!.messageId);
      for (const type of ['open', 'click', 'bounce', 'complaint']) {
        const body = JSON.stringify({ type, messageId });
        const response = await fetch(`${stack.url}/_dev/ses-event`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        expect(response.status).toBe(202);
      }
      await stack.drain();
      const sesLog = ((await (await fetch(`${stack.url}/_dev/events`)).json()) as Array<BusEvent & { bus: string }>).filter(
        (event) =>
          event.source === 'aws.ses' && event.bus === 'default' && (event.detail.mail as { messageId?: string }).messageId === messageId,
      );
      // the local stack publishes SES's Send and Delivery of the mail too, as SES does on AWS
      const kinds = ['Email Bounced', 'Email Clicked', 'Email Complaint Received', 'Email Delivered', 'Email Opened', 'Email Sent'];
      expect(sesLog.map((event) => event['detail-type']).sort()).toEqual(kinds);
      expect(interactionTypesOf(await stack.lead(email))).toEqual(expect.arrayContaining(['email_open', 'email_click']));
      await leadErase(contextFor(stack).ctx, { email });

      // Act: SES delivers the same events again (late or redelivered), through the real forward rule and handler
      const bus = new EventBridgeClient({ endpoint: process.env.AWS_ENDPOINT_URL_EVENTBRIDGE });
      const put = await bus.send(
        new PutEventsCommand({
          Entries: sesLog.map((event) => ({
            EventBusName: 'default',
            Source: event.source,
            DetailType: event['detail-type'],
            Detail: JSON.stringify(event.detail),
            Time: new Date(event.time),
          })),
        }),
      );
      bus.destroy();
      await stack.drain();

      // Assess: delivered, but no lead, no item, only the suppression entry
      expect(put.FailedEntryCount).toBe(0);
      expect(await stack.lead(email)).toBeUndefined();
      expect(await partitionItems(stack, email)).toEqual([]);
      expect(await getItem(stack, { pk: `SUPPRESSED#${leadId}`, sk: 'SUPPRESSED' })).toBeDefined();
      expect(await getItem(stack, { pk: `MESSAGE#${messageId}`, sk: 'MESSAGE' })).toBeUndefined();
    });

    it('still puts an address nothing is stored for on the suppression list, and says so', async () => {
      // Prepare
      const email = uniqueEmail('erase-unknown');
      const { ctx, out } = contextFor(stack);

      // Act
      await leadErase(ctx, { email });

      // Assess
      expect(out()).toContain(`No data stored for ${email}`);
      expect(out()).toContain('suppressed since');
      expect(await getItem(stack, { pk: `SUPPRESSED#${leadIdOf(stack, email)}`, sk: 'SUPPRESSED' })).toBeDefined();
    });
  });
});
