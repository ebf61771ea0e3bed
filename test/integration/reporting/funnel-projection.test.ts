import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCsv } from '../../../cli/commands/import';
import { reportFunnel } from '../../../cli/commands/report-funnel';
import { createdOn, firstTouchOf, MAX_KEYS_PER_DAY, OTHER_KEY } from '../../../shared/reporting/funnel-projection';
import type { FunnelProjectionStore } from '../../../shared/reporting/funnel-projection-store';
import { buildFunnelReport, type LeadStageRecord } from '../../../shared/reporting/funnel-report';
import { readEmailPerformance, readFunnel } from '../../../shared/reporting/funnel-read-model';
import { FUNNEL_PROJECTION_EVENTS, type ProjectedEvent, projectFunnelEvent } from '../../../shared/reporting/project-funnel';
import { contextFor, tempDir, writeTemp } from '../cli/cli-kit';
import { sesEvent } from '../nurture/nurture-helpers';
import { decisionLink, postFormAction, pressButton, qualifiedLead, sendSignal, stackNow } from '../sales/sales-helpers';
import { uniqueEmail, type TestStack, startTestStack } from '../../support/test-stack';

interface LoggedEvent {
  id: string;
  source: string;
  'detail-type': string;
  time: string;
  detail: any;
}

/**
 * The funnel projection on a running local stack: leads come in through the real forms, signal endpoint, import and
 * sales links, the outbox relay publishes, and the project-funnel function keeps the aggregate items.
 */
describe('the funnel projection', () => {
  let stack: TestStack;
  let store: FunnelProjectionStore;
  let today: string;
  const emails = { linkedinA: uniqueEmail('fp-li-a'), linkedinB: uniqueEmail('fp-li-b'), google: uniqueEmail('fp-google') };
  const hand = uniqueEmail('fp-hand');
  const webinar = uniqueEmail('fp-webinar');

  beforeAll(async () => {
    stack = await startTestStack();
    const { dynamoFunnelProjectionStore } = await import('../../../shared/storage/dynamo-funnel-projection-store');
    store = dynamoFunnelProjectionStore(stack.stack.tableName);
    today = (await stackNow(stack)).toISOString().slice(0, 10);

    // Two newsletter signups from LinkedIn, a download from Google (and a second post of the same lead: no new lead)
    for (const email of [emails.linkedinA, emails.linkedinB]) {
      expect(
        (await stack.postJson('/forms/newsletter', { email, marketingConsent: true, utm_source: 'linkedin', utm_campaign: 'spring' }))
          .status,
      ).toBe(200);
    }
    const download = { email: emails.google, firstName: 'Gina', assetId: 'case-study-b2b', utm_source: 'google', utm_campaign: 'brand' };
    expect((await stack.postJson('/forms/download', download)).status).toBe(200);
    expect((await stack.postJson('/forms/newsletter', { email: emails.google, marketingConsent: true, utm_source: 'bing' })).status).toBe(
      200,
    );
    await stack.drain();
    // A hand-raiser from a partner (an MQL at once) whom sales accepts (an SQL)
    const salesMail = await qualifiedLead(stack, hand, { utm_source: 'partner' });
    const action = postFormAction(await (await fetch(decisionLink(salesMail, '/sales/accept'))).text());
    expect((await pressButton(action)).status).toBe(200);
    // A lead created by a webinar signal, and two imported cold leads
    expect((await sendSignal(stack, { email: webinar, type: 'webinar_attended', id: 'webinar-fp' })).status).toBe(202);
    const { ctx } = contextFor(stack);
    await importCsv(ctx, { file: writeTemp(tempDir(), 'fp.csv', `email\n${uniqueEmail('fp-import')}\n${uniqueEmail('fp-import')}\n`) });
    await stack.drain();
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
  });

  /** Every lead profile, read straight from the table: the recount the projection must agree with. */
  async function profiles(): Promise<Array<Record<string, any>>> {
    const { documentClient } = await import('../../../shared/storage/dynamodb-client');
    const items: Array<Record<string, any>> = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await documentClient.send(new ScanCommand({ TableName: stack.stack.tableName, ExclusiveStartKey: startKey }));
      items.push(...(page.Items ?? []).filter((item) => item.sk === 'PROFILE'));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  async function busEvents(): Promise<LoggedEvent[]> {
    return (await (await fetch(`${stack.url}/_dev/events`)).json()) as LoggedEvent[];
  }

  it('answers the dashboard with the numbers a recount of the leads gives', async () => {
    // Act
    const view = await readFunnel(store, { from: today, to: today });

    // Assess
    const leads = await profiles();
    expect(leads).toHaveLength(7);
    const recount = buildFunnelReport(leads as LeadStageRecord[]);
    expect(view.lifecycle).toEqual(recount.lifecycle);
    expect(view.funnelStage).toEqual(recount.funnelStage);
    expect(view.conversion).toEqual(recount.conversion);
    const createdToday = leads.filter((lead) => lead.createdAt.startsWith(today));
    expect(view.daily).toEqual([
      {
        date: today,
        created: createdToday.length,
        mql: leads.filter((lead) => lead.mqlAt?.startsWith(today)).length,
        sql: leads.filter((lead) => lead.salesDecision?.decision === 'accepted').length,
      },
    ]);
    // where each lead came from is its first touch, stored when it was created: bing came second, so google counts
    const bySource = new Map<string, { leads: number; mql: number }>();
    for (const lead of leads) {
      const row = bySource.get(lead.firstTouch.utm_source) ?? { leads: 0, mql: 0 };
      row.leads += 1;
      if (lead.mqlAt) row.mql += 1;
      bySource.set(lead.firstTouch.utm_source, row);
    }
    expect(new Map(view.sources.map(({ utm_source, ...row }) => [utm_source, row]))).toEqual(bySource);
    expect(view.sources).toEqual([
      { utm_source: '(none)', leads: 3, mql: 0 },
      { utm_source: 'linkedin', leads: 2, mql: 0 },
      { utm_source: 'partner', leads: 1, mql: 1 },
      { utm_source: 'google', leads: 1, mql: 0 },
    ]);
    expect(view.lifecycle).toEqual({ cold: 2, warm: 4, mql: 0, sql: 1 });
    expect(leads.every((lead) => lead.createdDay === lead.createdAt.slice(0, 10))).toBe(true);
  });

  it('says leadCreated only on the interaction whose write created the lead', async () => {
    // Act
    const interactions = (await busEvents()).filter((event) => event['detail-type'] === 'Interaction Recorded');

    // Assess: 5 leads created by an interaction (2 newsletter, download, contact, webinar); the second post of google is not one
    expect(interactions.filter((event) => event.detail.leadCreated === true)).toHaveLength(5);
    expect(interactions.length).toBeGreaterThan(5);
  });

  it('counts a redelivered event, and an event the relay published twice under another id, once', async () => {
    // Prepare
    const before = await readFunnel(store, { from: today, to: today });
    const logged = (await busEvents()).filter((event) =>
      FUNNEL_PROJECTION_EVENTS.some(
        (declaration) => declaration.detailType === event['detail-type'] && declaration.source === event.source,
      ),
    );
    expect(logged.map((event) => event['detail-type'])).toEqual(expect.arrayContaining(['Lead Stage Changed', 'Lead Imported']));

    // Act
    const outcomes = [];
    for (const event of logged) {
      const projected = { id: event.id, time: event.time, detailType: event['detail-type'], detail: event.detail } as ProjectedEvent;
      outcomes.push(await projectFunnelEvent(projected, { store }));
      outcomes.push(await projectFunnelEvent({ ...projected, id: `${event.id}-again` }, { store }));
    }

    // Assess
    expect(new Set(outcomes)).toEqual(new Set(['duplicate', 'ignored']));
    expect(await readFunnel(store, { from: today, to: today })).toEqual(before);
  });

  it('counts opens and clicks per template, once per message', async () => {
    // Prepare: the download link mail of the google lead
    const [mail] = await stack.mailTo(emails.google);
    expect(mail).toBeDefined();

    // Act
    await sesEvent(stack, { type: 'open', messageId: mail!.messageId });
    await sesEvent(stack, { type: 'open', messageId: mail!.messageId });
    await sesEvent(stack, { type: 'click', messageId: mail!.messageId });

    // Assess
    await stack.drain();
    const performance = await readEmailPerformance(store, { from: today, to: today });
    const [template] = Object.entries(performance).find(([, counts]) => counts.opened > 0) ?? [];
    expect(template).toBeDefined();
    // sent: one Send event (published by the local stack, as SES does) per mail of that template this stack sent
    const { documentClient } = await import('../../../shared/storage/dynamodb-client');
    const sentItems = await documentClient.send(
      new ScanCommand({
        TableName: stack.stack.tableName,
        FilterExpression: 'begins_with(sk, :email) AND templateId = :template',
        ExpressionAttributeValues: { ':email': 'EMAIL#', ':template': template },
      }),
    );
    expect(sentItems.Items?.length).toBeGreaterThan(0);
    expect(performance[template!]).toEqual({
      sent: sentItems.Items!.length,
      opened: 1,
      clicked: 1,
      bounced: 0,
      complained: 0,
      unsubscribed: 0,
    });
  });

  it('rebuilds from the leads the same dashboard the events built, and a second rebuild changes nothing', async () => {
    // Prepare
    const live = await readFunnel(store, { from: today, to: today });
    const liveTotals = await store.readTotals();
    const { ctx, err } = contextFor(stack);

    // Act
    const first = await reportFunnel(ctx, { json: true, rebuild: true, since: today });
    const rebuilt = await readFunnel(store, { from: today, to: today });
    const second = await reportFunnel(ctx, { json: true, rebuild: true, since: today });

    // Assess
    expect(rebuilt).toEqual(live);
    expect(await store.readTotals()).toEqual(liveTotals);
    expect(second).toEqual(first);
    expect(first).toMatchObject({ total: 7, lifecycle: live.lifecycle, period: { from: today, to: today, created: 7, mql: 1, sql: 1 } });
    expect(err()).toContain('rebuilt the funnel projection from 7 leads');
  });

  it(`keeps at most ${MAX_KEYS_PER_DAY} sources on a day when new ones race for the last places`, async () => {
    // Prepare: 70 leads, each from its own source, projected 10 at a time on a day of their own
    const at = '2031-06-01T12:00:00.000Z';
    const claimAt = '2031-06-01T12:00:00.000Z';
    // the day's counts only (createdOn): the totals of this stack's real leads stay as they are
    const change = (n: number) => createdOn(at, firstTouchOf({ type: 'newsletter_signup', attribution: { utm_source: `src-${n}` } }));

    // Act
    for (let wave = 0; wave < 7; wave += 1) {
      await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          store.apply({ id: `bound-${wave * 10 + i}`, at: claimAt, keepDays: 1 }, change(wave * 10 + i)),
        ),
      );
    }

    // Assess
    const [day] = await store.readFunnelDays(['2031-06-01']);
    expect(Object.keys(day!.bySource)).toHaveLength(MAX_KEYS_PER_DAY + 1);
    expect(day!.bySource[OTHER_KEY]!.leads).toBe(70 - MAX_KEYS_PER_DAY);
    expect(day!.created).toBe(70);
  }, 60_000);

  it('takes an erased lead out of the totals once, with the profile deletion: a second erasure changes nothing', async () => {
    // Prepare
    const { eraseLead } = await import('../../../shared/storage/erase-lead');
    const profile = (await profiles()).find((lead) => lead.email === emails.linkedinB)!;
    const erase = () => eraseLead(stack.stack.tableName, String(profile.leadId), '2031-06-02T00:00:00.000Z');

    // Act
    const first = await erase();
    const again = await erase();

    // Assess
    expect(first.deleted.profile).toBe(1);
    expect(again.found).toBe(false);
    const recount = buildFunnelReport((await profiles()) as LeadStageRecord[]);
    const view = await readFunnel(store, { from: today, to: today });
    expect(recount.total).toBe(6);
    expect((await store.readTotals()).total).toBe(6);
    expect(view.lifecycle).toEqual(recount.lifecycle);
    expect(view.funnelStage).toEqual(recount.funnelStage);
    expect(view.conversion).toEqual(recount.conversion);
  });
});
