import { createHash, randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { type FunctionName, QUEUES, type QueueDeclaration } from '../../shared/wiring/app-wiring';
import { readBody, sendAwsJson } from '../aws-json-wire';
import { journalFiles, writeFileAtomically } from '../durable-file';
import type { VirtualClock } from '../virtual-clock';

/**
 * A local SQS, built like the local bus (local/event-bus/local-event-bus.ts): it speaks the wire protocol the real
 * @aws-sdk/client-sqs v3 uses (AWS JSON 1.0: POST / with `X-Amz-Target: AmazonSQS.<Operation>`), so functions send
 * with the real client through AWS_ENDPOINT_URL_SQS; and it plays the Lambda event source mapping of every queue in
 * QUEUES: batches of up to batchSize, at most maxConcurrency invocations at once, through the FunctionRuntime, with
 * ReportBatchItemFailures honoured (a failed or unnamed message goes back, the others are deleted).
 *
 * Semantics kept from SQS: a message handed out is invisible until deleted or its visibility ends; every hand-out
 * counts a receive; a message received maxReceiveCount times moves to the queue's dead-letter queue
 * (`<name>-dlq`) on its next receive; a batch response naming an unknown or empty id fails the whole batch.
 * One local difference: a message the consumer failed is visible again after `redeliveryDelayMs` (default 100 ms)
 * instead of the visibility timeout (minutes on AWS), so a drain does not wait minutes. ReceiveMessage with a
 * VisibilityTimeout (a test, or a person reading a dead-letter queue) uses real seconds.
 *
 * Time: SentTimestamp and ApproximateFirstReceiveTimestamp come from the virtual clock (what handlers take as
 * "now"); visibility and delays run on the wall clock.
 */

export const LOCAL_QUEUE_ACCOUNT = '000000000000';
const MAX_BODY_BYTES = 262_144;
const MAX_BATCH_ENTRIES = 10;

export interface StoredMessage {
  messageId: string;
  body: string;
  /** virtual-clock epoch ms */
  sentAtMs: number;
  firstReceiveAtMs?: number;
  receiveCount: number;
  /** wall-clock epoch ms from which it may be received; Infinity while a local consumer holds it */
  visibleAtMs: number;
  receiptHandle?: string;
}

interface QueueState {
  name: string;
  /** the declaration for a consumer queue; undefined for a dead-letter queue */
  declaration?: QueueDeclaration;
  deadLetterQueue?: string;
  messages: Map<string, StoredMessage>;
  activeInvocations: number;
}

type Deliver = (consumer: FunctionName, event: SQSEvent) => Promise<unknown>;

export interface LocalQueuesOptions {
  region: string;
  clock: VirtualClock;
  deliver: Deliver;
  queues?: readonly QueueDeclaration[];
  redeliveryDelayMs?: number;
  /**
   * Persistent stacks only: every accepted, undeleted message is kept here (one file per message, rewritten when its
   * receive count changes) and resumeJournal() puts them back after a restart, as SQS keeps a message it accepted.
   */
  journalDir?: string;
}

class SqsError extends Error {
  constructor(
    readonly type: string,
    readonly queryCode: string,
    message: string,
  ) {
    super(message);
  }
}

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

export class LocalQueues {
  private readonly queues = new Map<string, QueueState>();
  private readonly receipts = new Map<string, { queue: string; messageId: string }>();
  private server?: Server;
  private endpoint = 'http://127.0.0.1:1';
  private timer?: NodeJS.Timeout;
  private timerAtMs = Number.POSITIVE_INFINITY;
  private pumpScheduled = false;
  private closed = false;
  private idleWaiters: Array<() => void> = [];
  /** every invocation's outcome, for /_dev and tests: which messages a consumer failed */
  readonly deliveries: Array<{ queue: string; messageIds: string[]; failed: string[]; error?: string }> = [];

  constructor(private readonly options: LocalQueuesOptions) {
    for (const declaration of options.queues ?? QUEUES) {
      const deadLetterQueue = `${declaration.name}-dlq`;
      this.queues.set(declaration.name, {
        name: declaration.name,
        declaration,
        deadLetterQueue,
        messages: new Map(),
        activeInvocations: 0,
      });
      this.queues.set(deadLetterQueue, { name: deadLetterQueue, messages: new Map(), activeInvocations: 0 });
    }
  }

  async listen(port: number): Promise<string> {
    this.server = createServer((request, response) => void this.handleHttp(request, response));
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.endpoint = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.endpoint;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  queueUrl(name: string, endpoint = this.endpoint): string {
    return `${endpoint}/${LOCAL_QUEUE_ACCOUNT}/${name}`;
  }

  /** The messages of a queue (a dead-letter queue included), oldest first: for /_dev/dead-letters and tests. */
  messages(name: string): StoredMessage[] {
    return [...(this.queues.get(name)?.messages.values() ?? [])].sort((a, b) => a.sentAtMs - b.sentAtMs);
  }

  /** Every dead-letter queue's messages, by queue name: what `/_dev/dead-letters` lists. */
  deadLetterMessages(): Record<string, Array<{ messageId: string; body: string; receiveCount: number }>> {
    const result: Record<string, Array<{ messageId: string; body: string; receiveCount: number }>> = {};
    for (const queue of this.queues.values()) {
      if (queue.declaration) continue;
      result[queue.name] = this.messages(queue.name).map(({ messageId, body, receiveCount }) => ({ messageId, body, receiveCount }));
    }
    return result;
  }

  /** True when no consumer queue holds a message and no consumer runs: dead-letter queues do not count. */
  get isIdle(): boolean {
    for (const queue of this.queues.values()) {
      if (queue.declaration && (queue.messages.size > 0 || queue.activeInvocations > 0)) return false;
    }
    return true;
  }

  /** Resolves once every consumer queue is empty and no consumer runs (failed messages are retried or dead-lettered first). */
  idle(): Promise<void> {
    if (this.isIdle) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Puts back what a previous run accepted and did not delete; returns how many. */
  resumeJournal(): number {
    const dir = this.options.journalDir;
    if (!dir) return 0;
    let resumed = 0;
    for (const queue of this.queues.values()) {
      const queueDir = join(dir, queue.name);
      for (const file of journalFiles(queueDir)) {
        const path = join(queueDir, file);
        // A temporary file is a write a crash interrupted before its rename: never accepted.
        if (!file.endsWith('.json')) {
          rmSync(path, { force: true });
          continue;
        }
        const message = JSON.parse(readFileSync(path, 'utf8')) as StoredMessage;
        queue.messages.set(message.messageId, { ...message, visibleAtMs: Date.now(), receiptHandle: undefined });
        resumed += 1;
      }
    }
    this.schedulePump();
    return resumed;
  }

  /** Sends one message as SendMessage would (tests and dev routes). */
  send(queueName: string, body: string, delaySeconds = 0): StoredMessage {
    return this.accept(this.queue(queueName), body, delaySeconds);
  }

  // ---- the wire protocol ---------------------------------------------------------------------------------------

  private async handleHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const target = String(request.headers['x-amz-target'] ?? '');
    const body = await readBody(request);
    try {
      if (request.method !== 'POST' || !target.startsWith('AmazonSQS.')) {
        throw new SqsError(
          'UnsupportedOperation',
          'AWS.SimpleQueueService.UnsupportedOperation',
          `The local SQS speaks the JSON protocol only`,
        );
      }
      let input: Record<string, unknown>;
      try {
        input = JSON.parse(body || '{}') as Record<string, unknown>;
      } catch {
        throw new SqsError('InvalidParameterValue', 'InvalidParameterValue', 'Request body is not JSON');
      }
      sendJson(response, 200, this.operate(target.slice('AmazonSQS.'.length), input));
    } catch (error) {
      if (!(error instanceof SqsError)) throw error;
      response.writeHead(400, {
        'content-type': 'application/x-amz-json-1.0',
        // The SDK's awsQueryCompatible mode reads the legacy error code from this header.
        'x-amzn-query-error': `${error.queryCode};Sender`,
      });
      response.end(JSON.stringify({ __type: `com.amazonaws.sqs#${error.type}`, message: error.message }));
    }
  }

  private operate(operation: string, input: Record<string, unknown>): unknown {
    switch (operation) {
      case 'SendMessage': {
        const message = this.accept(this.queueOf(input), String(input.MessageBody ?? ''), Number(input.DelaySeconds ?? 0));
        return { MessageId: message.messageId, MD5OfMessageBody: md5(message.body) };
      }
      case 'SendMessageBatch':
        return this.sendBatch(
          this.queueOf(input),
          (input.Entries ?? []) as Array<{ Id?: string; MessageBody?: string; DelaySeconds?: number }>,
        );
      case 'ReceiveMessage':
        return this.receive(this.queueOf(input), input);
      case 'DeleteMessage':
        this.deleteByReceipt(this.queueOf(input), String(input.ReceiptHandle ?? ''));
        return {};
      case 'DeleteMessageBatch': {
        const queue = this.queueOf(input);
        const entries = (input.Entries ?? []) as Array<{ Id: string; ReceiptHandle: string }>;
        for (const entry of entries) this.deleteByReceipt(queue, entry.ReceiptHandle);
        return { Successful: entries.map((entry) => ({ Id: entry.Id })), Failed: [] };
      }
      case 'ChangeMessageVisibility': {
        const queue = this.queueOf(input);
        const message = this.byReceipt(queue, String(input.ReceiptHandle ?? ''));
        message.visibleAtMs = Date.now() + Number(input.VisibilityTimeout ?? 0) * 1000;
        this.schedulePump();
        return {};
      }
      case 'GetQueueUrl': {
        const name = String(input.QueueName ?? '');
        this.queue(name);
        return { QueueUrl: this.queueUrl(name) };
      }
      case 'GetQueueAttributes':
        return { Attributes: this.attributes(this.queueOf(input)) };
      case 'PurgeQueue': {
        const queue = this.queueOf(input);
        for (const id of [...queue.messages.keys()]) this.remove(queue, id);
        this.checkIdle();
        return {};
      }
      case 'ListQueues':
        return { QueueUrls: [...this.queues.keys()].map((name) => this.queueUrl(name)) };
      default:
        throw new SqsError(
          'UnsupportedOperation',
          'AWS.SimpleQueueService.UnsupportedOperation',
          `The local SQS does not support ${operation}`,
        );
    }
  }

  private sendBatch(queue: QueueState, entries: Array<{ Id?: string; MessageBody?: string; DelaySeconds?: number }>) {
    if (entries.length === 0) throw new SqsError('EmptyBatchRequest', 'AWS.SimpleQueueService.EmptyBatchRequest', 'No entries');
    if (entries.length > MAX_BATCH_ENTRIES) {
      throw new SqsError('TooManyEntriesInBatchRequest', 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest', 'At most 10 entries');
    }
    if (new Set(entries.map((entry) => entry.Id)).size !== entries.length) {
      throw new SqsError('BatchEntryIdsNotDistinct', 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct', 'Entry ids must be distinct');
    }
    const total = entries.reduce((sum, entry) => sum + Buffer.byteLength(entry.MessageBody ?? ''), 0);
    if (total > MAX_BODY_BYTES) {
      throw new SqsError(
        'BatchRequestTooLong',
        'AWS.SimpleQueueService.BatchRequestTooLong',
        `Batch requests may carry ${MAX_BODY_BYTES} bytes`,
      );
    }
    const Successful = entries.map((entry) => {
      const message = this.accept(queue, entry.MessageBody ?? '', Number(entry.DelaySeconds ?? 0));
      return { Id: entry.Id, MessageId: message.messageId, MD5OfMessageBody: md5(message.body) };
    });
    return { Successful, Failed: [] };
  }

  private receive(queue: QueueState, input: Record<string, unknown>) {
    const max = Math.min(10, Math.max(1, Number(input.MaxNumberOfMessages ?? 1)));
    const visibilityMs = Number(input.VisibilityTimeout ?? queue.declaration?.visibilityTimeoutSeconds ?? 30) * 1000;
    const messages = this.takeVisible(queue, max).map((message) => {
      message.visibleAtMs = Date.now() + visibilityMs;
      this.schedulePump();
      return {
        MessageId: message.messageId,
        ReceiptHandle: message.receiptHandle,
        MD5OfBody: md5(message.body),
        Body: message.body,
        Attributes: this.recordAttributes(message),
      };
    });
    return messages.length > 0 ? { Messages: messages } : {};
  }

  private attributes(queue: QueueState): Record<string, string> {
    const now = Date.now();
    const all = [...queue.messages.values()];
    return {
      QueueArn: this.arn(queue.name),
      ApproximateNumberOfMessages: String(all.filter((m) => m.visibleAtMs <= now).length),
      ApproximateNumberOfMessagesNotVisible: String(all.filter((m) => m.visibleAtMs > now && m.receiveCount > 0).length),
      ApproximateNumberOfMessagesDelayed: String(all.filter((m) => m.visibleAtMs > now && m.receiveCount === 0).length),
      VisibilityTimeout: String(queue.declaration?.visibilityTimeoutSeconds ?? 30),
      ...(queue.declaration && queue.deadLetterQueue
        ? {
            RedrivePolicy: JSON.stringify({
              deadLetterTargetArn: this.arn(queue.deadLetterQueue),
              maxReceiveCount: queue.declaration.maxReceiveCount,
            }),
          }
        : {}),
    };
  }

  // ---- the queue itself ----------------------------------------------------------------------------------------

  private queueOf(input: Record<string, unknown>): QueueState {
    const url = String(input.QueueUrl ?? '');
    return this.queue(url.split('/').pop() ?? url);
  }

  private queue(name: string): QueueState {
    const queue = this.queues.get(name);
    if (!queue) {
      throw new SqsError('QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue', `The specified queue ${name} does not exist.`);
    }
    return queue;
  }

  private arn(name: string): string {
    return `arn:aws:sqs:${this.options.region}:${LOCAL_QUEUE_ACCOUNT}:${name}`;
  }

  private accept(queue: QueueState, body: string, delaySeconds: number): StoredMessage {
    if (body.length === 0) throw new SqsError('InvalidParameterValue', 'InvalidParameterValue', 'The message body must not be empty');
    if (Buffer.byteLength(body) > MAX_BODY_BYTES) {
      throw new SqsError('InvalidParameterValue', 'InvalidParameterValue', `The message body may have ${MAX_BODY_BYTES} bytes`);
    }
    const message: StoredMessage = {
      messageId: randomUUID(),
      body,
      sentAtMs: this.options.clock.now().getTime(),
      receiveCount: 0,
      visibleAtMs: Date.now() + Math.max(0, delaySeconds) * 1000,
    };
    queue.messages.set(message.messageId, message);
    // Journaled before SendMessage answers: a message SQS accepted survives a crash.
    this.journal(queue, message);
    this.schedulePump();
    return message;
  }

  /**
   * Hands out up to `max` visible messages, counting a receive on each; one that was received maxReceiveCount
   * times already goes to the dead-letter queue instead (SQS's redrive).
   */
  private takeVisible(queue: QueueState, max: number): StoredMessage[] {
    const now = Date.now();
    const taken: StoredMessage[] = [];
    for (const message of queue.messages.values()) {
      if (taken.length >= max) break;
      if (message.visibleAtMs > now) continue;
      if (queue.declaration && queue.deadLetterQueue && message.receiveCount >= queue.declaration.maxReceiveCount) {
        this.moveToDeadLetters(queue, message);
        continue;
      }
      message.receiveCount += 1;
      message.firstReceiveAtMs ??= this.options.clock.now().getTime();
      if (message.receiptHandle) this.receipts.delete(message.receiptHandle);
      message.receiptHandle = randomUUID();
      this.receipts.set(message.receiptHandle, { queue: queue.name, messageId: message.messageId });
      this.journal(queue, message);
      taken.push(message);
    }
    return taken;
  }

  private moveToDeadLetters(queue: QueueState, message: StoredMessage): void {
    const target = this.queue(queue.deadLetterQueue!);
    this.remove(queue, message.messageId);
    // SQS keeps the message id, body and receive count; it is visible in the dead-letter queue at once.
    const moved: StoredMessage = { ...message, visibleAtMs: Date.now(), receiptHandle: undefined };
    target.messages.set(moved.messageId, moved);
    this.journal(target, moved);
  }

  private byReceipt(queue: QueueState, receiptHandle: string): StoredMessage {
    const receipt = this.receipts.get(receiptHandle);
    const message = receipt && receipt.queue === queue.name ? queue.messages.get(receipt.messageId) : undefined;
    if (!message) throw new SqsError('ReceiptHandleIsInvalid', 'ReceiptHandleIsInvalid', 'The receipt handle is not valid');
    return message;
  }

  private deleteByReceipt(queue: QueueState, receiptHandle: string): void {
    const receipt = this.receipts.get(receiptHandle);
    if (!receipt || receipt.queue !== queue.name) {
      throw new SqsError('ReceiptHandleIsInvalid', 'ReceiptHandleIsInvalid', 'The receipt handle is not valid');
    }
    // As on SQS, deleting a message that is gone already (deleted through another receipt) is not an error.
    this.remove(queue, receipt.messageId);
    this.checkIdle();
  }

  private remove(queue: QueueState, messageId: string): void {
    const message = queue.messages.get(messageId);
    if (message?.receiptHandle) this.receipts.delete(message.receiptHandle);
    queue.messages.delete(messageId);
    this.unjournal(queue, messageId);
  }

  // ---- the event source mappings ---------------------------------------------------------------------------------

  private schedulePump(): void {
    if (this.pumpScheduled || this.closed) return;
    this.pumpScheduled = true;
    // On the next turn: the entries of one SendMessageBatch arrive together and go out in one batch.
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    if (this.closed) return;
    let nextVisibleAtMs = Number.POSITIVE_INFINITY;
    for (const queue of this.queues.values()) {
      const declaration = queue.declaration;
      if (!declaration) continue;
      while (queue.activeInvocations < declaration.maxConcurrency) {
        const batch = this.takeVisible(queue, declaration.batchSize);
        if (batch.length === 0) break;
        for (const message of batch) message.visibleAtMs = Number.POSITIVE_INFINITY;
        void this.invoke(queue, declaration, batch);
      }
      for (const message of queue.messages.values()) nextVisibleAtMs = Math.min(nextVisibleAtMs, message.visibleAtMs);
    }
    this.armTimer(nextVisibleAtMs);
    this.checkIdle();
  }

  private armTimer(atMs: number): void {
    if (!Number.isFinite(atMs) || atMs >= this.timerAtMs) return;
    clearTimeout(this.timer);
    this.timerAtMs = atMs;
    this.timer = setTimeout(
      () => {
        this.timerAtMs = Number.POSITIVE_INFINITY;
        this.pump();
      },
      Math.max(0, atMs - Date.now()),
    );
  }

  private async invoke(queue: QueueState, declaration: QueueDeclaration, batch: StoredMessage[]): Promise<void> {
    queue.activeInvocations += 1;
    const ids = new Set(batch.map((message) => message.messageId));
    let failed: Set<string>;
    let error: string | undefined;
    try {
      const response = await this.options.deliver(declaration.consumer, { Records: batch.map((message) => this.record(queue, message)) });
      failed = failedIds(response, ids);
    } catch (caught) {
      // A function error fails the whole batch, as with the real event source mapping.
      failed = ids;
      error = caught instanceof Error ? caught.message : String(caught);
    }
    this.deliveries.push({ queue: queue.name, messageIds: [...ids], failed: [...failed], ...(error ? { error } : {}) });
    if (this.deliveries.length > 1000) this.deliveries.shift();
    const retryAtMs = Date.now() + (this.options.redeliveryDelayMs ?? 100);
    for (const message of batch) {
      if (!queue.messages.has(message.messageId)) continue;
      if (failed.has(message.messageId)) message.visibleAtMs = retryAtMs;
      else this.remove(queue, message.messageId);
    }
    queue.activeInvocations -= 1;
    this.schedulePump();
  }

  private record(queue: QueueState, message: StoredMessage): SQSRecord {
    return {
      messageId: message.messageId,
      receiptHandle: message.receiptHandle ?? '',
      body: message.body,
      attributes: this.recordAttributes(message) as unknown as SQSRecord['attributes'],
      messageAttributes: {},
      md5OfBody: md5(message.body),
      eventSource: 'aws:sqs',
      eventSourceARN: this.arn(queue.name),
      awsRegion: this.options.region,
    };
  }

  private recordAttributes(message: StoredMessage): Record<string, string> {
    return {
      ApproximateReceiveCount: String(message.receiveCount),
      SentTimestamp: String(message.sentAtMs),
      SenderId: LOCAL_QUEUE_ACCOUNT,
      ApproximateFirstReceiveTimestamp: String(message.firstReceiveAtMs ?? message.sentAtMs),
    };
  }

  private checkIdle(): void {
    if (this.isIdle) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  // ---- the journal -----------------------------------------------------------------------------------------------

  private journal(queue: QueueState, message: StoredMessage): void {
    const dir = this.options.journalDir;
    if (!dir) return;
    const { receiptHandle: _receipt, ...kept } = message;
    writeFileAtomically(join(dir, queue.name, `${message.messageId}.json`), JSON.stringify({ ...kept, visibleAtMs: 0 }));
  }

  private unjournal(queue: QueueState, messageId: string): void {
    const dir = this.options.journalDir;
    if (dir) rmSync(join(dir, queue.name, `${messageId}.json`), { force: true });
  }
}

/**
 * The ids to retry from a ReportBatchItemFailures response. As on AWS: an empty or unknown itemIdentifier fails the
 * whole batch; a response without batchItemFailures (or null) means every message succeeded.
 */
export function failedIds(response: unknown, ids: ReadonlySet<string>): Set<string> {
  const failures = (response as { batchItemFailures?: Array<{ itemIdentifier?: unknown }> } | null | undefined)?.batchItemFailures;
  if (!Array.isArray(failures)) return new Set();
  const failed = new Set<string>();
  for (const failure of failures) {
    const id = failure?.itemIdentifier;
    if (typeof id !== 'string' || !ids.has(id)) return new Set(ids);
    failed.add(id);
  }
  return failed;
}

/** SQS speaks AWS JSON 1.0. */
function sendJson(response: ServerResponse, status: number, body: unknown): void {
  sendAwsJson(response, status, body, '1.0');
}
