import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SES_CONFIGURATION_SETS } from '../shared/email/configuration-sets';
import { reportedSesTags, type MessageLookupItem } from '../shared/email/message-lookup';
import { keys } from '../shared/storage/table-design';
import type { LocalEventBus } from './event-bus/local-event-bus';
import type { StoredEmail } from './ses-emulator';
import type { VirtualClock } from './virtual-clock';

/** The SES sending events the local stack produces, by the name POST /_dev/ses-event takes (plus `send`, published only here). */
export const SES_DETAIL_TYPES = {
  send: { detailType: 'Email Sent', eventType: 'Send' },
  delivery: { detailType: 'Email Delivered', eventType: 'Delivery' },
  bounce: { detailType: 'Email Bounced', eventType: 'Bounce' },
  complaint: { detailType: 'Email Complaint Received', eventType: 'Complaint' },
  click: { detailType: 'Email Clicked', eventType: 'Click' },
  open: { detailType: 'Email Opened', eventType: 'Open' },
} as const;

export type SesEventType = keyof typeof SES_DETAIL_TYPES;

export interface SesEventInput {
  type: SesEventType;
  messageId: string;
  bounceType?: 'Permanent' | 'Transient';
  link?: string;
  /** the mail's recipients, when known (SES reports them in mail.destination) */
  destination?: string[];
}

/** An event of the shape SES's EventBridge destination publishes, with the tags SES reports (EmailTags + configuration set). */
export function sesEventDetail(input: SesEventInput, sent: MessageLookupItem, now: string) {
  const { eventType } = SES_DETAIL_TYPES[input.type];
  const destination = input.destination ?? [];
  const mail = {
    timestamp: sent.sentAt,
    source: process.env.SENDER_ADDRESS,
    messageId: input.messageId,
    destination,
    tags: reportedSesTags(sent),
  };
  switch (input.type) {
    case 'send':
      return { eventType, mail, send: {} };
    case 'delivery':
      return {
        eventType,
        mail,
        delivery: { timestamp: now, recipients: destination, processingTimeMillis: 1, smtpResponse: '250 OK', reportingMTA: 'local' },
      };
    case 'bounce':
      return {
        eventType,
        mail,
        bounce: { bounceType: input.bounceType ?? 'Permanent', bounceSubType: 'General', bouncedRecipients: [], timestamp: now },
      };
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
  }
}

/**
 * How long a mail in the emulator may go without a message lookup in this stack's table before it is taken
 * for another stack's (the test suite shares one emulator): sendEmail writes the lookup right after SES
 * accepted the mail, so only a very slow write, or a failed one (SentButNotRecordedError), takes this long.
 */
export const LOOKUP_GRACE_SECONDS = 60;
/** How often the background poll looks up a mail still without a lookup again (drain() always does). */
const RECHECK_MS = 2000;
/** BatchGetItem's limit of keys per request. */
const BATCH_GET_KEYS = 100;

export interface SesEventPublisherOptions {
  sesEndpoint: string;
  tableName: string;
  /** this stack's DynamoDB client (the publisher is created before the functions' environment is set) */
  dynamo: DynamoDBClient;
  bus: LocalEventBus;
  clock: VirtualClock;
  /** the emulator's clock, unix seconds (tests move it) */
  nowSeconds?: () => number;
  /** the acceptance second to start from (default: the emulator's present) */
  since?: number;
}

/**
 * What SES's event destination does for the lead-mail configuration set on AWS: for every mail this stack's
 * functions sent through it, an "Email Sent" (Send) and an "Email Delivered" (Delivery) event on the DEFAULT bus,
 * where the same forward rule (BUS_FORWARDS) brings them to the app bus and its handlers. The emulator keeps
 * neither the configuration set nor the EmailTags, so both come from the message lookup (MESSAGE#<messageId>)
 * sendEmail wrote; a mail without one in this table is another stack's, and sales mail (the untracked set)
 * publishes nothing, as on AWS.
 *
 * Position in the emulator's store: the acceptance second of the oldest mail not yet settled (GET /store?since=),
 * plus the ids settled at or after it. So each mail is published once per stack, and memory holds only the
 * mails of the last seconds (or of the grace window while a lookup is awaited), however long the stack runs.
 * A stack starts at the emulator's present: mail a persistent stack's earlier runs sent is not published again.
 */
export class SesEventPublisher {
  private since: number;
  /** mails settled (published, or not this stack's lead mail) whose acceptance second is >= since: id → second */
  private readonly settled = new Map<string, number>();
  /** mails still without a lookup in this table, within the grace window: id → when last looked up (ms) */
  private readonly checkedAt = new Map<string, number>();
  private readonly documents: DynamoDBDocumentClient;
  private readonly nowSeconds: () => number;
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(private readonly options: SesEventPublisherOptions) {
    this.nowSeconds = options.nowSeconds ?? (() => Math.floor(Date.now() / 1000));
    this.since = options.since ?? this.nowSeconds();
    this.documents = DynamoDBDocumentClient.from(options.dynamo);
  }

  /** Where the publisher stands: the acceptance second it reads the store from, and how many mails at or after it it remembers. */
  get position(): { since: number; remembered: number } {
    return { since: this.since, remembered: this.settled.size + this.checkedAt.size };
  }

  /**
   * Publishes the events of the mails accepted since the last pass; returns how many mails it published for.
   * Every mail still without a lookup is looked up again: drain() calls this once the functions are idle.
   */
  publishOnce(): Promise<number> {
    return this.queue(true);
  }

  start(intervalMs: number): void {
    if (intervalMs <= 0) return;
    const loop = () => {
      this.timer = setTimeout(() => {
        this.queue(false)
          // a failed pass (the emulator restarting, a slow table) is retried by the next one: nothing has moved on
          .catch(() => undefined)
          .finally(() => {
            if (this.timer) loop();
          });
      }, intervalMs);
      this.timer.unref();
    };
    loop();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private queue(recheckAll: boolean): Promise<number> {
    // One pass at a time: the background timer and drain() must not both publish the same mail.
    const previous = this.running ?? Promise.resolve(0);
    const next = previous.then(
      () => this.pass(recheckAll),
      () => this.pass(recheckAll),
    );
    this.running = next;
    return next;
  }

  private async pass(recheckAll: boolean): Promise<number> {
    const emails = (await this.emailsSince(this.since)).filter((email) => !this.settled.has(email.messageId));
    if (emails.length === 0) return 0;
    const now = this.nowSeconds();
    const nowMs = Date.now();
    const expired = (email: StoredEmail) => now - email.at > LOOKUP_GRACE_SECONDS;
    // The shared emulator holds other stacks' mail for the whole grace window: the background looks each up
    // now and then, not on every poll, so many stacks polling do not load the shared DynamoDB Local.
    const due = emails.filter((email) => {
      const checked = this.checkedAt.get(email.messageId);
      return recheckAll || checked === undefined || nowMs - checked >= RECHECK_MS || expired(email);
    });
    const lookups = due.length > 0 ? await this.lookups(due.map((email) => email.messageId)) : new Map<string, MessageLookupItem>();
    const checked = new Set(due.map((email) => email.messageId));
    let published = 0;
    let oldestOpen: number | undefined;
    let newest = this.since;
    for (const email of emails) {
      newest = Math.max(newest, email.at);
      const lookup = lookups.get(email.messageId);
      if (lookup) {
        if (lookup.configurationSet === SES_CONFIGURATION_SETS.leadMail) {
          this.publish(email, lookup);
          published += 1;
        }
        this.settle(email);
      } else if (checked.has(email.messageId) && expired(email)) {
        this.settle(email);
      } else {
        if (checked.has(email.messageId)) this.checkedAt.set(email.messageId, nowMs);
        oldestOpen = Math.min(oldestOpen ?? email.at, email.at);
      }
    }
    // a mail that left the store (POST /clear-store) is not waited for
    const present = new Set(emails.map((email) => email.messageId));
    for (const messageId of this.checkedAt.keys()) if (!present.has(messageId)) this.checkedAt.delete(messageId);
    this.moveTo(oldestOpen ?? newest);
    return published;
  }

  private settle(email: StoredEmail): void {
    this.settled.set(email.messageId, email.at);
    this.checkedAt.delete(email.messageId);
  }

  private publish(email: StoredEmail, lookup: MessageLookupItem): void {
    const now = this.options.clock.now();
    for (const type of ['send', 'delivery'] as const) {
      const input = { type, messageId: email.messageId, destination: email.destination.to };
      this.options.bus.put('default', {
        source: 'aws.ses',
        detailType: SES_DETAIL_TYPES[type].detailType,
        detail: sesEventDetail(input, lookup, now.toISOString()),
        time: now,
      });
    }
  }

  /** Moves the position on and forgets the settled mails before it: /store?since= no longer returns them. */
  private moveTo(second: number): void {
    this.since = Math.max(this.since, second);
    for (const [messageId, at] of this.settled) if (at < this.since) this.settled.delete(messageId);
  }

  private async emailsSince(since: number): Promise<StoredEmail[]> {
    const response = await fetch(`${this.options.sesEndpoint}/store?since=${since}`);
    if (!response.ok) throw new Error(`SES emulator store: HTTP ${response.status}`);
    return ((await response.json()) as { emails: StoredEmail[] }).emails;
  }

  /** The message lookups of this stack's table among the given ids (the others are not this stack's mail, or not yet written). */
  private async lookups(messageIds: string[]): Promise<Map<string, MessageLookupItem>> {
    const found = new Map<string, MessageLookupItem>();
    for (let start = 0; start < messageIds.length; start += BATCH_GET_KEYS) {
      let requested: Record<string, unknown>[] = messageIds.slice(start, start + BATCH_GET_KEYS).map((id) => keys.messageLookup(id));
      // DynamoDB may leave keys unprocessed under load: ask again for those until all are answered.
      while (requested.length > 0) {
        const table = this.options.tableName;
        const result = await this.documents.send(
          new BatchGetCommand({ RequestItems: { [table]: { Keys: requested, ConsistentRead: true } } }),
        );
        for (const item of result.Responses?.[table] ?? []) {
          found.set(String(item.pk).slice('MESSAGE#'.length), item as unknown as MessageLookupItem);
        }
        requested = result.UnprocessedKeys?.[table]?.Keys ?? [];
      }
    }
    return found;
  }
}
