import type { SendEmailCommand, MessageTag } from '@aws-sdk/client-sesv2';
import { ses } from '../adapters/ses-client';
import { sesSendCommand, type EmailSending } from '../email/send-email';
import { classifySendError } from '../email/send-errors';
import { logger } from '../observability/logger';
import { countMetric } from '../observability/metrics';
import { signToken } from '../security/signed-token';
import type { LeadItem } from '../storage/lead-item';
import { inAudience, notMailableReason } from './audience';
import { CAMPAIGN_TAG, campaignTemplateId, type Campaign } from './campaign';
import type { CampaignStore } from './campaign-store';
import { renderCampaignEmail } from './render-campaign';

/** Nurture waits this long after a campaign mail (the shared frequency cap; plan-nurture honours nurtureResumeAt). */
export const NURTURE_PAUSE_AFTER_CAMPAIGN_MS = 24 * 3_600_000;

export interface CampaignMailDeps {
  store: CampaignStore;
  /** The lead's profile, read consistently (lead-store.ts getLead): the last word on consent and suppression. */
  readLead: (leadId: string) => Promise<LeadItem | undefined>;
  sending: EmailSending;
  signingKey: string;
  publicBaseUrl: string;
  imprint: string;
  senderName: string;
  companyName: string;
  /** The SES call; tests pass a failing one. Default: SES v2 SendEmail. */
  sendMessage?: (command: SendEmailCommand) => Promise<{ MessageId?: string }>;
}

export type SkipReason =
  | 'cancelled'
  | 'no-lead'
  | 'no-consent'
  | 'suppressed'
  | 'not-in-audience'
  /** SES refused this one message for good (a malformed address): the claim is released, nothing was sent */
  | 'rejected'
  /** the request may have reached SES (a timeout, a reset connection): the claim stays, so nobody is mailed twice */
  | 'outcome-unknown';

export type RecipientOutcome =
  | { kind: 'sent'; messageId: string; recorded: boolean }
  | { kind: 'skipped'; reason: SkipReason }
  | { kind: 'already-claimed' };

/**
 * SES did not take the mail, for a reason that passes (throttling, a service fault) or an operator fixes (the
 * account or configuration set): the claim was released, nothing was sent. The sender backs off and retries
 * the message (SQS batch item failure); `throttled` says SES asked to slow down.
 */
export class CampaignSendRetryableError extends Error {
  override name = 'CampaignSendRetryableError';
  constructor(
    readonly reason: 'throttled' | 'transient' | 'setup',
    cause: unknown,
  ) {
    super(`campaign mail not sent (${reason}): ${cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)}`, { cause });
  }
}

const THROTTLING = new Set(['TooManyRequestsException', 'LimitExceededException', 'ThrottlingException', 'Throttling']);
/** Network failures that happen before a request is written: the mail cannot have reached SES. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** True when SES certainly did not accept the mail: it answered with an error, or was never reached. */
function definitelyNotSent(error: unknown): boolean {
  const sdk = error as { $metadata?: { httpStatusCode?: number }; code?: string; $response?: unknown };
  if (typeof sdk?.$metadata?.httpStatusCode === 'number' && sdk.$metadata.httpStatusCode >= 400) return true;
  return typeof sdk?.code === 'string' && NOT_CONNECTED.has(sdk.code);
}

/**
 * Sends one campaign mail to one lead, at most once, ever:
 * 1. the campaign as the caller read it (once per batch) must not be cancelled;
 * 2. a consistent read of the lead: marketing consent confirmed and not withdrawn, not suppressed, not erased,
 *    still in the campaign's audience (an unsubscribe or bounce during the send stops the mail here);
 * 3. the claim (campaign, lead), a conditional put: whoever loses it sends nothing (`already-claimed`);
 * 4. SES SendEmail through the lead-mail configuration set, tagged with lead, category and campaign, with the
 *    RFC 8058 List-Unsubscribe headers;
 * 5. one write: the claim marked sent, `sent` counted, the mail on the lead's timeline with its message-id lookup
 *    (so SES feedback finds lead and campaign), nurture paused 24 h, and `Campaign Sent` in the outbox.
 * When SES refuses or throttles, the claim is released and the error says whether a retry may help. When
 * step 5 fails after SES accepted the mail, the claim stays unmarked: never mailed again, reported `recorded: false`.
 */
export async function sendToRecipient(deps: CampaignMailDeps, campaign: Campaign, leadId: string, now: string): Promise<RecipientOutcome> {
  if (campaign.status === 'cancelled') return { kind: 'skipped', reason: 'cancelled' };
  const lead = await deps.readLead(leadId);
  const reason = notMailableReason(lead);
  if (reason !== null || !lead) return { kind: 'skipped', reason: reason ?? 'no-lead' };
  if (!inAudience(lead, campaign.audience)) return { kind: 'skipped', reason: 'not-in-audience' };

  if (!(await deps.store.claimRecipient(campaign.id, leadId, now))) return { kind: 'already-claimed' };

  const locale = lead.locale ?? 'de';
  const unsubscribeToken = signToken({ purpose: 'unsubscribe', leadId, data: { locale, campaign: campaign.id } }, deps.signingKey);
  const unsubscribeUrl = `${deps.publicBaseUrl}/unsubscribe?token=${encodeURIComponent(unsubscribeToken)}`;
  const tags: MessageTag[] = [
    { Name: 'leadId', Value: leadId },
    // SES tag values allow letters, digits, "_" and "-" only: the timeline records `campaign:<id>`, the tag the kind.
    { Name: 'template', Value: 'campaign' },
    { Name: 'category', Value: 'marketing' },
    { Name: CAMPAIGN_TAG, Value: campaign.id },
  ];
  let messageId: string;
  try {
    // Inside the try: a copy that no longer renders must release the claim like any other send that did not happen.
    const rendered = renderCampaignEmail(campaign.content[locale], locale, {
      firstName: lead.firstName ?? '',
      unsubscribeUrl,
      imprint: deps.imprint,
      senderName: deps.senderName,
      companyName: deps.companyName,
    });
    const command = sesSendCommand({
      senderAddress: deps.sending.senderAddress,
      to: [lead.email],
      configurationSet: deps.sending.leadConfigurationSet,
      tags,
      rendered,
      unsubscribeUrl,
    });
    const response = await (deps.sendMessage ?? ((c: SendEmailCommand) => ses.send(c)))(command);
    messageId = response.MessageId ?? '';
  } catch (error) {
    return await notSent(deps, campaign, leadId, error);
  }

  try {
    await deps.store.recordSent({
      campaignId: campaign.id,
      email: {
        leadId,
        messageId,
        templateId: campaignTemplateId(campaign.id),
        category: 'marketing',
        sentAt: now,
        configurationSet: deps.sending.leadConfigurationSet,
        tags: Object.fromEntries(tags.map((tag) => [tag.Name!, tag.Value!])),
      },
      nurtureResumeAt: new Date(Date.parse(now) + NURTURE_PAUSE_AFTER_CAMPAIGN_MS).toISOString(),
      ...(lead.nurtureResumeAt ? { previousResumeAt: lead.nurtureResumeAt } : {}),
    });
    return { kind: 'sent', messageId, recorded: true };
  } catch (error) {
    // SES has the mail: the unmarked claim keeps anyone from sending it again. Logged as an error, to reconcile by hand.
    logger.error('campaign mail sent but not recorded', { campaignId: campaign.id, leadId, messageId, errorName: (error as Error).name });
    return { kind: 'sent', messageId, recorded: false };
  }
}

async function notSent(deps: CampaignMailDeps, campaign: Campaign, leadId: string, error: unknown): Promise<RecipientOutcome> {
  const rendering = error instanceof Error && error.name === 'CampaignRenderError';
  if (!rendering && !definitelyNotSent(error)) {
    // The request may have reached SES: releasing the claim could mail the person twice. Keep it.
    logger.warn('campaign send outcome unknown; the claim stays', { campaignId: campaign.id, leadId, errorName: (error as Error).name });
    return { kind: 'skipped', reason: 'outcome-unknown' };
  }
  await deps.store.releaseClaim(campaign.id, leadId);
  if (rendering) throw error;
  const kind = classifySendError(error);
  if (kind === 'permanent') {
    logger.warn('SES refused a campaign mail', { campaignId: campaign.id, leadId, errorName: (error as Error).name });
    return { kind: 'skipped', reason: 'rejected' };
  }
  if (kind === 'setup') countMetric('EmailSetupError');
  throw new CampaignSendRetryableError(
    THROTTLING.has((error as Error).name) ? 'throttled' : kind === 'setup' ? 'setup' : 'transient',
    error,
  );
}
