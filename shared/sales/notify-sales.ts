import { consoleLeadUrl } from '../console/console-config';
import { defaultBookingConfig } from '../domain/booking/booking-config';
import type { Locale } from '../domain/lead';
import { SentButNotRecordedError, sendEmail, type EmailSending } from '../email/send-email';
import { logger } from '../observability/logger';
import { signToken } from '../security/signed-token';
import { bookedCall } from './booked-call';
import { salesNotificationContent } from './sales-notification-content';
import type { SalesNotice, SalesStore } from './sales-store';

export const DECISION_LINK_TTL_DAYS = 30;

export type NotifyOutcome = 'sent' | 'no-lead' | 'already-notified';

export interface NotifyDeps {
  store: SalesStore;
  sending: EmailSending;
  signingKey: string;
  publicBaseUrl: string;
  /** the console's root URL: the mail links the lead's page there */
  consoleUrl: string;
  salesRecipients: string[];
  salesLocale: Locale;
}

type NotifyInput = { leadId: string; kind: 'MQL' | 'PQL'; qualificationSeq: number; eventId: string; at: string };

/**
 * One notification per qualification and recipient. A conditional write on the lead claims the
 * qualification's sequence number, so other events about the same qualification send nothing;
 * then each recipient is claimed on its own before its mail is sent and marked mailed in the same
 * write that records the mail. A retry of the event (after SES failed for one recipient, say) so
 * mails only the recipients not mailed yet. Each recipient gets their own signed links, so the
 * lead records who decided.
 *
 * The one window left: a crash after SES accepted a mail and before it was recorded leaves that
 * recipient's claim unfinished, and the retry mails that recipient a second time. (The same holds
 * if EventBridge delivers one event twice at the same moment: both deliveries carry the event's id,
 * which is what lets a retry take over an unfinished claim.)
 */
export async function notifySales(input: NotifyInput, deps: NotifyDeps): Promise<NotifyOutcome> {
  const { leadId, kind, qualificationSeq: seq, eventId, at } = input;
  const claimed = await deps.store.claimNotification({ leadId, kind, seq, eventId, at });
  if (claimed !== 'claimed') return claimed;
  const { lead, interactions } = await deps.store.getLeadWithInteractions(input.leadId);
  if (!lead) return 'no-lead';
  const expiresAt = new Date(Date.parse(input.at) + DECISION_LINK_TTL_DAYS * 86_400_000).toISOString();
  // A booked expert call goes into the subject and the first line, with its calendar event.
  const call = bookedCall(interactions, {
    at: input.at,
    leadId,
    leadLocale: lead.locale ?? 'de',
    salesLocale: deps.salesLocale,
    config: defaultBookingConfig,
    publicBaseUrl: deps.publicBaseUrl,
    signingKey: deps.signingKey,
  });
  const leadUrl = consoleLeadUrl(deps.consoleUrl, lead.email);
  const failures: unknown[] = [];
  for (const recipient of deps.salesRecipients) {
    const notice: SalesNotice = { leadId: input.leadId, kind: input.kind, seq: input.qualificationSeq, recipient };
    if (!(await deps.store.claimRecipient(notice, { eventId: input.eventId, at: input.at, linksExpireAt: expiresAt }))) continue;
    const data = { seq: String(seq), by: recipient, kind };
    const link = (purpose: 'sales-accept' | 'sales-recycle', path: string) =>
      `${deps.publicBaseUrl}${path}?token=${encodeURIComponent(signToken({ purpose, leadId, expiresAt, data }, deps.signingKey))}`;
    try {
      await sendEmail({
        // The mail is recorded in the same write that marks the recipient mailed.
        store: deps.store.recordingMailTo(notice, input.eventId),
        sending: deps.sending,
        leadId: input.leadId,
        to: [recipient],
        replyTo: [lead.email],
        templateId: 'sales-notification',
        locale: deps.salesLocale,
        vars: {
          firstName: '',
          ...salesNotificationContent(
            lead,
            interactions,
            input.kind,
            { acceptUrl: link('sales-accept', '/sales/accept'), recycleUrl: link('sales-recycle', '/sales/recycle'), leadUrl },
            // Sales reads times on the expert call's clock (Europe/Berlin), as the call slot above.
            { locale: deps.salesLocale, timeZone: defaultBookingConfig.timeZone },
            call,
          ),
        },
        category: 'sales',
        at: input.at,
      });
    } catch (error) {
      if (error instanceof SentButNotRecordedError) {
        // SES has it: never send it again, even if the timeline missed it.
        await deps.store.markRecipientMailed(notice, input.eventId, error.messageId);
        continue;
      }
      // Not sent: give the recipient back, so the retry of this event mails them.
      await deps.store.releaseRecipient(notice, input.eventId);
      logger.warn('sales notification not sent to one recipient', {
        leadId: input.leadId,
        kind: input.kind,
        errorName: (error as Error).name,
      });
      failures.push(error);
    }
  }
  // The event fails, so it is retried; every recipient mailed above stays mailed.
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) throw new AggregateError(failures, `Sales notification failed for ${failures.length} recipients`);
  return 'sent';
}
