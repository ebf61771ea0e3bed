import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { documentClient } from '../shared/storage/dynamodb-client';
import { keys } from '../shared/storage/table-design';
import { reportedSesTags, type MessageLookupItem } from '../shared/email/message-lookup';
import type { VirtualClock } from './virtual-clock';
import { buildLeadView } from '../shared/lead-view/lead-view';
import { loadAppSecrets } from '../shared/security/app-secrets';
import { leadIdFor, normalizeEmail } from '../shared/security/lead-id';
import { loadLeadPartition } from '../shared/storage/lead-partition';
import type { LocalEventBus } from './event-bus/local-event-bus';
import type { DevRoute } from './http-server';
import { MAILBOX_HEADERS, mailboxList, mailboxMessage } from './dev-mailbox';
import { storedEmails, toDevMail } from './ses-emulator';
import type { StreamPoller } from './stream-poller';

const tickBody = z.object({
  advanceHours: z
    .number()
    .positive()
    .max(24 * 365),
});

const sesEventBody = z.object({
  type: z.enum(['bounce', 'complaint', 'click', 'open', 'delivery']),
  messageId: z.string().min(1),
  bounceType: z.enum(['Permanent', 'Transient']).default('Permanent'),
  link: z.string().optional(),
});

const SES_DETAIL_TYPES = {
  bounce: { detailType: 'Email Bounced', eventType: 'Bounce' },
  complaint: { detailType: 'Email Complaint Received', eventType: 'Complaint' },
  click: { detailType: 'Email Clicked', eventType: 'Click' },
  open: { detailType: 'Email Opened', eventType: 'Open' },
  delivery: { detailType: 'Email Delivered', eventType: 'Delivery' },
} as const;

/**
 * Development endpoints. They exist only here: the CDK stack never routes /_dev. This module is
 * imported after the local environment is set, because it uses the same storage code as the functions.
 */
export function devRoutes(deps: {
  tableName: string;
  sesEndpoint: string;
  drain: () => Promise<{ deadLetters: number }>;
  tick: (hours: number) => Promise<{ now: string }>;
  bus: LocalEventBus;
  pollers: StreamPoller[];
  clock: VirtualClock;
}): DevRoute[] {
  return [
    {
      method: 'GET',
      path: '/_dev/mail',
      handle: async () => ({ status: 200, body: (await storedEmails(deps.sesEndpoint)).map(toDevMail) }),
    },
    {
      method: 'GET',
      path: '/_dev/mailbox',
      handle: async () => ({
        status: 200,
        contentType: 'text/html; charset=utf-8',
        headers: MAILBOX_HEADERS,
        body: mailboxList(await storedEmails(deps.sesEndpoint)),
      }),
    },
    {
      method: 'GET',
      path: '/_dev/mailbox/{messageId}',
      handle: async ({ params }) => {
        const mail = (await storedEmails(deps.sesEndpoint)).find((email) => email.messageId === params.messageId);
        return mail
          ? { status: 200, contentType: 'text/html; charset=utf-8', headers: MAILBOX_HEADERS, body: mailboxMessage(mail) }
          : { status: 404, contentType: 'text/plain; charset=utf-8', body: 'No mail with this id' };
      },
    },
    {
      method: 'GET',
      path: '/_dev/leads/{email}',
      handle: async ({ params }) => {
        const { leadIdKey } = await loadAppSecrets(process.env);
        const leadId = leadIdFor(normalizeEmail(params.email ?? ''), leadIdKey);
        const view = buildLeadView(await loadLeadPartition(deps.tableName, leadId));
        return view
          ? { status: 200, body: view }
          : { status: 404, body: { error: { code: 'not_found', message: 'No lead with this email' } } };
      },
    },
    {
      method: 'POST',
      path: '/_dev/drain',
      handle: async () => {
        const result = await deps.drain();
        return { status: 200, body: { drained: true, ...result } };
      },
    },
    {
      method: 'POST',
      path: '/_dev/tick',
      handle: async ({ body }) => {
        const parsed = tickBody.safeParse(safeJson(body));
        if (!parsed.success) {
          return {
            status: 400,
            body: {
              error: {
                code: 'validation_failed',
                message: 'advanceHours must be a positive number',
                fields: { advanceHours: 'must be a positive number of hours' },
              },
            },
          };
        }
        return { status: 200, body: await deps.tick(parsed.data.advanceHours) };
      },
    },
    {
      method: 'GET',
      path: '/_dev/clock',
      handle: async () => ({ status: 200, body: { now: deps.clock.now().toISOString() } }),
    },
    {
      method: 'POST',
      path: '/_dev/ses-event',
      handle: async ({ body }) => {
        const parsed = sesEventBody.safeParse(safeJson(body));
        if (!parsed.success) {
          const fields = Object.fromEntries(parsed.error.issues.map((issue) => [issue.path.join('.') || 'body', issue.message]));
          return {
            status: 400,
            body: { error: { code: 'validation_failed', message: `Invalid SES event: ${Object.keys(fields).join(', ')}`, fields } },
          };
        }
        const sent = await documentClient.send(
          new GetCommand({ TableName: deps.tableName, Key: keys.messageLookup(parsed.data.messageId) }),
        );
        if (!sent.Item) return { status: 404, body: { error: { code: 'not_found', message: 'No email with this messageId was sent' } } };
        const now = deps.clock.now().toISOString();
        const detail = sesEventDetail(parsed.data, sent.Item as MessageLookupItem, now);
        const event = deps.bus.put('default', {
          source: 'aws.ses',
          detailType: SES_DETAIL_TYPES[parsed.data.type].detailType,
          detail,
          time: deps.clock.now(),
        });
        return { status: 202, body: { eventId: event.id, detailType: event['detail-type'] } };
      },
    },
    {
      method: 'GET',
      path: '/_dev/events',
      handle: async ({ query }) => {
        const detailType = query.get('detail-type');
        return { status: 200, body: deps.bus.log.filter((event) => !detailType || event['detail-type'] === detailType) };
      },
    },
    {
      method: 'GET',
      path: '/_dev/dead-letters',
      handle: async () => ({
        status: 200,
        body: {
          events: deps.bus.deadLetters,
          streamRecords: deps.pollers.flatMap((poller) => poller.failedRecords),
        },
      }),
    },
  ];
}

/** An event of the shape SES's EventBridge destination publishes, with the tags SES reports (EmailTags + configuration set). */
function sesEventDetail(input: z.infer<typeof sesEventBody>, sent: MessageLookupItem, now: string) {
  const { eventType } = SES_DETAIL_TYPES[input.type];
  const mail = {
    timestamp: sent.sentAt,
    source: process.env.SENDER_ADDRESS,
    messageId: input.messageId,
    destination: [],
    tags: reportedSesTags(sent),
  };
  switch (input.type) {
    case 'bounce':
      return { eventType, mail, bounce: { bounceType: input.bounceType, bounceSubType: 'General', bouncedRecipients: [], timestamp: now } };
    case 'complaint':
      return { eventType, mail, complaint: { complainedRecipients: [], timestamp: now, feedbackId: `local-${input.messageId}` } };
    case 'click':
      return {
        eventType,
        mail,
        click: { timestamp: now, link: input.link ?? 'https://leadpipe.example/', ipAddress: '127.0.0.1', userAgent: 'local' },
      };
    case 'open':
      return { eventType, mail, open: { timestamp: now, ipAddress: '127.0.0.1', userAgent: 'local' } };
    case 'delivery':
      return { eventType, mail, delivery: { timestamp: now, recipients: [], processingTimeMillis: 1, smtpResponse: '250 OK' } };
  }
}

function safeJson(body: string): unknown {
  try {
    return JSON.parse(body || '{}');
  } catch {
    return undefined;
  }
}
