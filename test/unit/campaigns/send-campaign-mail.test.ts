import type { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { describe, expect, it } from 'vitest';
import { emptyCounts, type Campaign } from '../../../shared/campaigns/campaign';
import { loadCampaignFolder } from '../../../shared/campaigns/campaign-folder';
import { CampaignSendRetryableError, sendToRecipient, type CampaignMailDeps } from '../../../shared/campaigns/send-campaign-mail';
import { verifyToken } from '../../../shared/security/signed-token';
import type { LeadItem } from '../../../shared/storage/lead-item';
import { memoryCampaignStore } from './memory-campaign-store';

const NOW = '2027-01-14T08:00:00.000Z';
const SIGNING_KEY = 'unit-test-signing-key-0123456789';
const IMPRINT = 'Beispiel GmbH\nMusterstraße 1, 10115 Berlin';

const definition = loadCampaignFolder('content/campaigns/2027-01-newsletter');
const campaign: Campaign = {
  ...definition,
  status: 'sending',
  sendAt: NOW,
  contentHash: 'h',
  createdAt: NOW,
  updatedAt: NOW,
  counts: emptyCounts(),
};

function lead(overrides: Partial<LeadItem> = {}): LeadItem {
  return {
    pk: 'LEAD#l1',
    sk: 'PROFILE',
    leadId: 'l1',
    email: 'nora@kunde.example',
    firstName: 'Nora',
    locale: 'en',
    createdAt: '2026-10-01T00:00:00.000Z',
    updatedAt: '2026-10-01T00:00:00.000Z',
    version: 3,
    lifecycle: 'warm',
    consentRequestedAt: '2026-10-01T00:00:00.000Z',
    consentConfirmedAt: '2026-10-01T00:10:00.000Z',
    ...overrides,
  };
}

function setup(options: { lead?: LeadItem | undefined; send?: (command: SendEmailCommand) => Promise<{ MessageId?: string }> } = {}) {
  const memory = memoryCampaignStore();
  void memory.store.createCampaign(structuredClone(campaign));
  const commands: SendEmailCommand[] = [];
  const current = { lead: 'lead' in options ? options.lead : lead() };
  const deps: CampaignMailDeps = {
    store: memory.store,
    readLead: async () => current.lead,
    sending: { senderAddress: 'hello@beispiel.example', leadConfigurationSet: 'leadpipe-lead-mail', salesConfigurationSet: 'sales' },
    signingKey: SIGNING_KEY,
    publicBaseUrl: 'https://leads.beispiel.example',
    imprint: IMPRINT,
    senderName: 'Anna Berger, Beispiel GmbH',
    companyName: 'Beispiel GmbH',
    sendMessage: async (command) => {
      commands.push(command);
      return options.send ? options.send(command) : { MessageId: `msg-${commands.length}` };
    },
  };
  return { deps, memory, commands, current };
}

function sesError(name: string, status?: number, code?: string): Error {
  return Object.assign(new Error(`${name} from SES`), {
    name,
    ...(status ? { $metadata: { httpStatusCode: status } } : {}),
    ...(code ? { code } : {}),
  });
}

describe('sendToRecipient', () => {
  it('sends one marketing mail with the RFC 8058 headers, configuration set, campaign tag, imprint and unsubscribe link', async () => {
    // Prepare
    const { deps, memory, commands } = setup();

    // Act
    const outcome = await sendToRecipient(deps, campaign, 'l1', NOW);

    // Assess
    expect(outcome).toEqual({ kind: 'sent', messageId: 'msg-1', recorded: true });
    const input = commands[0]!.input;
    expect(input.ConfigurationSetName).toBe('leadpipe-lead-mail');
    expect(input.Destination?.ToAddresses).toEqual(['nora@kunde.example']);
    expect(input.EmailTags).toEqual(
      expect.arrayContaining([
        { Name: 'campaign', Value: '2027-01-newsletter' },
        { Name: 'leadId', Value: 'l1' },
        { Name: 'category', Value: 'marketing' },
      ]),
    );
    const simple = input.Content!.Simple!;
    const headers = Object.fromEntries(simple.Headers!.map((header) => [header.Name, header.Value]));
    expect(headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    const unsubscribeUrl = /^<(https:\/\/leads\.beispiel\.example\/unsubscribe\?token=[^>]+)>$/.exec(headers['List-Unsubscribe']!)![1]!;
    const token = verifyToken(new URL(unsubscribeUrl).searchParams.get('token')!, { purpose: 'unsubscribe', now: NOW }, [SIGNING_KEY]);
    expect(token).toMatchObject({ leadId: 'l1', data: { locale: 'en', campaign: '2027-01-newsletter' } });
    expect(simple.Subject!.Data).toBe(definition.content.en.subject);
    expect(simple.Body!.Text!.Data).toContain('Hello Nora,');
    expect(simple.Body!.Text!.Data).toContain(`Unsubscribe: ${unsubscribeUrl}`);
    expect(simple.Body!.Text!.Data).toContain('Musterstraße 1, 10115 Berlin');
    expect(simple.Body!.Html!.Data).toContain('Beispiel GmbH<br>\nMusterstraße 1, 10115 Berlin');
    expect(simple.Body!.Html!.Data).toContain(`href="${unsubscribeUrl.replace(/&/g, '&amp;').replace(/=/g, '&#x3D;')}"`);
    // recorded as a campaign mail, nurture paused for 24 hours, not a nurture step
    expect(memory.sent).toEqual([
      expect.objectContaining({
        campaignId: '2027-01-newsletter',
        nurtureResumeAt: '2027-01-15T08:00:00.000Z',
        email: expect.objectContaining({ templateId: 'campaign:2027-01-newsletter', category: 'marketing', messageId: 'msg-1' }),
      }),
    ]);
    expect(memory.sent[0]!.email).not.toHaveProperty('step');
  });

  it('renders in German for a lead without a locale', async () => {
    const { deps, commands } = setup({ lead: lead({ locale: undefined, firstName: undefined }) });
    await sendToRecipient(deps, campaign, 'l1', NOW);
    expect(commands[0]!.input.Content!.Simple!.Subject!.Data).toBe(definition.content.de.subject);
    expect(commands[0]!.input.Content!.Simple!.Body!.Text!.Data).toMatch(/^Hallo,\n/);
  });

  it('sends nothing the second time: the claim is taken', async () => {
    const { deps, commands } = setup();
    await sendToRecipient(deps, campaign, 'l1', NOW);
    expect(await sendToRecipient(deps, campaign, 'l1', NOW)).toEqual({ kind: 'already-claimed' });
    expect(commands).toHaveLength(1);
  });

  it.each([
    ['an erased lead', undefined, 'no-lead'],
    ['a withdrawn consent', lead({ consentWithdrawnAt: '2027-01-14T07:59:00.000Z' }), 'no-consent'],
    ['a pending consent', lead({ consentConfirmedAt: undefined }), 'no-consent'],
    ['a bounced address', lead({ suppressed: 'bounce' }), 'suppressed'],
  ])('skips %s without claiming', async (_label, current, reason) => {
    const { deps, memory, commands } = setup({ lead: current });
    expect(await sendToRecipient(deps, campaign, 'l1', NOW)).toEqual({ kind: 'skipped', reason });
    expect(commands).toHaveLength(0);
    expect(memory.claims.size).toBe(0);
  });

  it('skips everyone once the campaign is cancelled, and leads outside the audience', async () => {
    const { deps, commands } = setup();
    expect(await sendToRecipient(deps, { ...campaign, status: 'cancelled' }, 'l1', NOW)).toEqual({ kind: 'skipped', reason: 'cancelled' });
    expect(await sendToRecipient(deps, { ...campaign, audience: { locales: ['de'] } }, 'l1', NOW)).toEqual({
      kind: 'skipped',
      reason: 'not-in-audience',
    });
    expect(commands).toHaveLength(0);
  });

  it('releases the claim and throws a retryable error when SES throttles, so the retry sends', async () => {
    // Prepare: SES throttles the first call only
    let calls = 0;
    const { deps, memory } = setup({
      send: async () => {
        calls += 1;
        if (calls === 1) throw sesError('TooManyRequestsException', 429);
        return { MessageId: 'after-retry' };
      },
    });

    // Act
    const first = sendToRecipient(deps, campaign, 'l1', NOW);

    // Assess
    await expect(first).rejects.toThrow(CampaignSendRetryableError);
    await expect(first).rejects.toMatchObject({ reason: 'throttled' });
    expect(memory.claims.size).toBe(0);
    expect(await sendToRecipient(deps, campaign, 'l1', NOW)).toEqual({ kind: 'sent', messageId: 'after-retry', recorded: true });
  });

  it('releases the claim on a setup error (retryable) and on a refused address (skipped)', async () => {
    const setupError = setup({ send: async () => Promise.reject(sesError('MessageRejected', 400)) });
    await expect(sendToRecipient(setupError.deps, campaign, 'l1', NOW)).rejects.toMatchObject({ reason: 'setup' });
    expect(setupError.memory.claims.size).toBe(0);

    const refused = setup({ send: async () => Promise.reject(sesError('BadRequestException', 400)) });
    expect(await sendToRecipient(refused.deps, campaign, 'l1', NOW)).toEqual({ kind: 'skipped', reason: 'rejected' });
    expect(refused.memory.claims.size).toBe(0);
  });

  it('keeps the claim when the request may have reached SES (a timeout), so nobody is mailed twice', async () => {
    const { deps, memory, commands } = setup({ send: async () => Promise.reject(sesError('TimeoutError', undefined, 'ETIMEDOUT')) });
    expect(await sendToRecipient(deps, campaign, 'l1', NOW)).toEqual({ kind: 'skipped', reason: 'outcome-unknown' });
    expect(memory.claims.size).toBe(1);
    expect(await sendToRecipient(deps, campaign, 'l1', NOW)).toEqual({ kind: 'already-claimed' });
    expect(commands).toHaveLength(1);
  });

  it('keeps a later nurture pause the lead already has', async () => {
    const { deps, memory } = setup({ lead: lead({ nurtureResumeAt: '2027-02-01T00:00:00.000Z' }) });
    await sendToRecipient(deps, campaign, 'l1', NOW);
    expect(memory.sent[0]).toMatchObject({ nurtureResumeAt: '2027-01-15T08:00:00.000Z', previousResumeAt: '2027-02-01T00:00:00.000Z' });
  });
});
