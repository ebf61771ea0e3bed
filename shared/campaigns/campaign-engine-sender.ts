import type { Campaign } from './campaign';
import { type CampaignEngineStore, isComplete, sendMessageSchema } from './campaign-engine';
import type { CampaignStore } from './campaign-store';

/**
 * The send side of the engine: one SQS batch of recipient messages, paced to the account's SES rate, reported
 * back with batch item failures. Pure apart from the ports it is given (tested without I/O).
 *
 * Exactly once rests on h6's claims (send-campaign-mail.ts): a message that is redelivered, whole or after part
 * of it was sent, mails only who has no claim yet. So any doubt is resolved by failing the message: a failed
 * message costs a redelivery, never a second mail.
 */

/** What send-campaign-mail.ts sendToRecipient answers, as far as the engine cares. */
export type RecipientOutcomeKind = 'sent' | 'skipped' | 'already-claimed';

export interface SendRecord {
  /** the SQS message id: what a batch item failure names */
  messageId: string;
  body: string;
  /** the message's own time (the handler takes it from the record's attributes), never the wall clock */
  now: string;
}

export interface SenderDeps {
  campaigns: Pick<CampaignStore, 'getCampaign' | 'transition'>;
  engine: Pick<CampaignEngineStore, 'recordBatchDone'>;
  sendToRecipient: (campaign: Campaign, leadId: string, now: string) => Promise<{ kind: RecipientOutcomeKind }>;
  /**
   * SES did not take the mail for a reason that passes by waiting or that an operator fixes (throttling, a fault, the
   * account's setup; send-campaign-mail.ts CampaignSendRetryableError): stop sending in this invocation, back off.
   */
  isBackOff: (error: unknown) => boolean;
  /** resolves when the next send may start (Pacer.take) */
  pace: () => Promise<void>;
  /** the invocation's remaining time (context.getRemainingTimeInMillis) */
  remainingMs: () => number;
  onBackOff?: (error: unknown) => void;
  /** sends of one message at once (default 1); the pacer still spaces their starts */
  inFlight?: number;
  onError?: (error: unknown, campaignId: string, leadId: string) => void;
}

export interface SenderReport {
  batchItemFailures: Array<{ itemIdentifier: string }>;
  outcomes: Record<RecipientOutcomeKind, number>;
  /** SES asked to back off: the rest of the batch went back to the queue */
  throttled: boolean;
  finished: string[];
}

/** Leave this much of the invocation for recording the batch and answering; what is left over is redelivered. */
export const TIME_RESERVE_MS = 10_000;

export async function processSendRecords(records: readonly SendRecord[], deps: SenderDeps): Promise<SenderReport> {
  const report: SenderReport = {
    batchItemFailures: [],
    outcomes: { sent: 0, skipped: 0, 'already-claimed': 0 },
    throttled: false,
    finished: [],
  };
  const fail = (record: SendRecord) => report.batchItemFailures.push({ itemIdentifier: record.messageId });
  for (const record of records) {
    // After a back-off or near the timeout, the rest goes back to the queue untouched.
    if (report.throttled || deps.remainingMs() < TIME_RESERVE_MS) {
      fail(record);
      continue;
    }
    const parsed = sendMessageSchema.safeParse(safeJson(record.body));
    if (!parsed.success) {
      // Never right on a retry either: it ends in the dead-letter queue, where the alarm shows it.
      fail(record);
      continue;
    }
    const message = parsed.data;
    // Read per message, not per invocation: a cancel stops the rest within one message of 50.
    const campaign = await deps.campaigns.getCampaign(message.campaignId);
    if (campaign?.status !== 'sending') continue;
    let done = true;
    // Up to `inFlight` sends at once, their starts spaced by the pacer: the rate is what SES counts, and one send
    // (a read, a claim, SES, a transaction) takes longer than 1/rate once the account's rate is above ~30/s.
    const pending = [...message.leadIds];
    const worker = async () => {
      for (let leadId = pending.shift(); leadId !== undefined && done; leadId = pending.shift()) {
        if (deps.remainingMs() < TIME_RESERVE_MS) {
          done = false;
          return;
        }
        await deps.pace();
        if (!done) return;
        try {
          report.outcomes[(await deps.sendToRecipient(campaign, leadId, record.now)).kind] += 1;
        } catch (error) {
          done = false;
          if (deps.isBackOff(error)) {
            report.throttled = true;
            deps.onBackOff?.(error);
          } else {
            deps.onError?.(error, campaign.id, leadId);
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, deps.inFlight ?? 1) }, worker));
    if (!done) {
      fail(record);
      continue;
    }
    const progress = await deps.engine.recordBatchDone(campaign.id, message.batchId, message.leadIds.length, record.now);
    if (isComplete(progress) && (await deps.campaigns.transition(campaign.id, ['sending'], 'finished', record.now))) {
      report.finished.push(campaign.id);
    }
  }
  return report;
}

function safeJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/**
 * How fast one invocation may send: the account's SES MaxSendRate, times the share campaigns may use, divided
 * among the sends queue's maxConcurrency invocations, so that rate × concurrency ≤ MaxSendRate × share.
 */
export function sendRatePerInvocation(maxSendRate: number, share: number, maxConcurrency: number): number {
  return Math.max(MIN_RATE_PER_SECOND, (maxSendRate * share) / Math.max(1, maxConcurrency));
}

/** Slower than this is never useful; it is below every SES account's rate (a sandbox account has 1 per second). */
export const MIN_RATE_PER_SECOND = 0.1;

export interface PacerClock {
  nowMs(): number;
  sleep(ms: number): Promise<void>;
}

/**
 * Spaces sends evenly at `ratePerSecond` (one every 1000/rate ms). Sends in one invocation are sequential, so a
 * single "next slot" suffices. Wall-clock time on purpose: this is about SES's rate, not about business time.
 */
export class Pacer {
  private nextAtMs = 0;

  constructor(
    private ratePerSecond: number,
    private readonly clock: PacerClock,
  ) {}

  get rate(): number {
    return this.ratePerSecond;
  }

  setRate(ratePerSecond: number): void {
    this.ratePerSecond = Math.max(MIN_RATE_PER_SECOND, ratePerSecond);
  }

  async take(): Promise<void> {
    const now = this.clock.nowMs();
    const at = Math.max(now, this.nextAtMs);
    this.nextAtMs = at + 1000 / this.ratePerSecond;
    if (at > now) await this.clock.sleep(at - now);
  }
}

/**
 * The account's MaxSendRate (SES GetAccount → SendQuota.MaxSendRate), read at most once per `ttlMs` per container.
 * A throttle halves the rate this container uses until the next read (down to 1/8). If GetAccount fails, the
 * lowest rate any SES account has (1 per second) is used until the next read: slow, never too fast.
 */
export class SendQuota {
  private cached?: { maxSendRate: number; readAtMs: number };
  private reading?: Promise<void>;
  private slowdown = 1;

  constructor(
    private readonly read: () => Promise<number>,
    private readonly nowMs: () => number,
    private readonly ttlMs = 5 * 60_000,
    private readonly onReadError?: (error: unknown) => void,
  ) {}

  async maxSendRate(): Promise<number> {
    const now = this.nowMs();
    if (!this.cached || now - this.cached.readAtMs >= this.ttlMs) {
      // Invocations of one container that start together share one read.
      this.reading ??= this.readOnce(now).finally(() => {
        this.reading = undefined;
      });
      await this.reading;
    }
    return this.cached!.maxSendRate * this.slowdown;
  }

  private async readOnce(now: number): Promise<void> {
    let maxSendRate = FALLBACK_MAX_SEND_RATE;
    try {
      const read = await this.read();
      if (Number.isFinite(read) && read > 0) maxSendRate = read;
    } catch (error) {
      this.onReadError?.(error);
    }
    this.cached = { maxSendRate, readAtMs: now };
    this.slowdown = 1;
  }

  throttled(): void {
    this.slowdown = Math.max(1 / 8, this.slowdown / 2);
  }
}

export const FALLBACK_MAX_SEND_RATE = 1;
