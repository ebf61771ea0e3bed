/**
 * Signs and posts one product/webinar signal to `POST /events`, the way another system would. Used by
 * `npx leadpipe signal send` and scripts/send-signal.ts, so both sign exactly alike.
 */
import { signWebhook, WEBHOOK_SIGNATURE_HEADER } from '../../shared/security/webhook-signature';

export const SIGNAL_TYPES = ['webinar_attended', 'trial_started'] as const;
export type SignalType = (typeof SIGNAL_TYPES)[number];

export function isSignalType(value: string): value is SignalType {
  return (SIGNAL_TYPES as readonly string[]).includes(value);
}

export interface SendSignalInput {
  /** the stack's base URL, e.g. http://localhost:3000 */
  baseUrl: string;
  secret: string;
  type: SignalType;
  email: string;
  id: string;
  fetch?: typeof fetch;
}

export interface SendSignalResult {
  status: number;
  ok: boolean;
  body: string;
  /** the time the signature carries (the stack's virtual clock when it has one) */
  signedAt: string;
}

export async function sendSignal(input: SendSignalInput): Promise<SendSignalResult> {
  const request = input.fetch ?? fetch;
  const baseUrl = input.baseUrl.replace(/\/+$/, '');
  const body = JSON.stringify({ email: input.email, type: input.type, id: input.id });
  const nowMs = await stackNow(baseUrl, request);
  const signature = signWebhook(body, input.secret, Math.floor(nowMs / 1000));
  const response = await request(`${baseUrl}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [WEBHOOK_SIGNATURE_HEADER]: signature },
    body,
  });
  return { status: response.status, ok: response.ok, body: await response.text(), signedAt: new Date(nowMs).toISOString() };
}

/**
 * The local stack runs on a virtual clock that /_dev/tick moves; signing with its time keeps the signature
 * within the tolerance there. A deployed stack has no /_dev/clock: then the wall clock is right.
 */
async function stackNow(baseUrl: string, request: typeof fetch): Promise<number> {
  try {
    const response = await request(`${baseUrl}/_dev/clock`);
    if (!response.ok) return Date.now();
    const parsed = Date.parse(((await response.json()) as { now?: unknown }).now as string);
    return Number.isNaN(parsed) ? Date.now() : parsed;
  } catch {
    return Date.now();
  }
}
