import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { documentClient } from '../shared/storage/dynamodb-client';
import { keys } from '../shared/storage/table-design';
import type { MessageLookupItem } from '../shared/email/message-lookup';
import type { VirtualClock } from './virtual-clock';
import { buildLeadView } from '../shared/lead-view/lead-view';
import { loadAppSecrets } from '../shared/security/app-secrets';
import { leadIdFor, normalizeEmail } from '../shared/security/lead-id';
import { loadLeadPartition } from '../shared/storage/lead-partition';
import { consoleAuthDevRoutes, type LocalConsoleIssuer } from './console-auth';
import type { LocalEventBus } from './event-bus/local-event-bus';
import type { LocalQueues } from './queue/local-queue';
import type { DevRoute } from './http-server';
import { MAILBOX_HEADERS, mailboxList, mailboxMessage } from './dev-mailbox';
import { storedEmails, toDevMail } from './ses-emulator';
import { SES_DETAIL_TYPES, sesEventDetail } from './ses-event-publisher';
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
  /** the local SQS: its dead-letter queues are listed with the bus's dead letters */
  queues?: LocalQueues;
  /** the console's local sign-in: its JWKS and POST /_dev/login */
  consoleIssuer: LocalConsoleIssuer;
}): DevRoute[] {
  return [
    ...consoleAuthDevRoutes(deps.consoleIssuer),
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
          // the work queues' dead-letter queues (QUEUES): messages their consumer failed maxReceiveCount times
          queueMessages: deps.queues ? deps.queues.deadLetterMessages() : {},
        },
      }),
    },
  ];
}

function safeJson(body: string): unknown {
  try {
    return JSON.parse(body || '{}');
  } catch {
    return undefined;
  }
}
