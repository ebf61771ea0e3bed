/**
 * Helpers shared by the sales-handoff integration tests. Everything goes over HTTP as a browser,
 * another system or an operator would, except the lead-id derivation used to filter `/_dev/events`.
 */
import { expect } from 'vitest';
import { leadIdFor } from '../../../shared/security/lead-id';
import { signWebhook, WEBHOOK_SIGNATURE_HEADER } from '../../../shared/security/webhook-signature';
import type { DevMail, TestStack } from '../../support/test-stack';

/** The local stack's default sales recipient (SALES_RECIPIENTS in local-environment.ts). */
export const SALES_INBOX = 'sales@example.com';

export interface BusEvent {
  id: string;
  'detail-type': string;
  time: string;
  detail: any;
}

export function leadIdOf(stack: TestStack, email: string): string {
  return leadIdFor(email.trim().toLowerCase(), stack.stack.environment.LEADPIPE_SIGNING_KEY!);
}

/** Events of one type about one lead, oldest first. */
export async function eventsFor(stack: TestStack, detailType: string, email: string): Promise<BusEvent[]> {
  const leadId = leadIdOf(stack, email);
  const all = (await (await fetch(`${stack.url}/_dev/events?detail-type=${encodeURIComponent(detailType)}`)).json()) as BusEvent[];
  return all.filter((event) => event.detail.leadId === leadId || event.detail.lead?.leadId === leadId);
}

/**
 * Sales notifications about one lead. The SES emulator is shared by all test files, so mails to the
 * sales inbox are told apart by the lead's address in Reply-To.
 */
export async function salesMailsAbout(stack: TestStack, email: string): Promise<DevMail[]> {
  const address = email.trim().toLowerCase();
  return (await stack.mailTo(SALES_INBOX)).filter((mail) => (mail.replyTo ?? []).some((replyTo) => replyTo.toLowerCase() === address));
}

/** The virtual clock of the stack, as another system would read it from GET /_dev/clock. */
export async function stackNow(stack: TestStack): Promise<Date> {
  const response = await fetch(`${stack.url}/_dev/clock`);
  return new Date(((await response.json()) as { now: string }).now);
}

export interface SignalOptions {
  /** seconds added to the stack's clock for the signature's t (negative: in the past) */
  skewSeconds?: number;
  /** sign with another secret than the stack's */
  secret?: string;
  /** send without the signature header */
  unsigned?: boolean;
  /** sign this body but send `rawBody` (tampering) */
  signedBody?: string;
}

export interface SignedRequest {
  body: string;
  headers: Record<string, string>;
}

/** Signs a raw body the way another system must: t=<unix seconds>,v1=HMAC("<t>.<body>"). */
export async function signedRequest(stack: TestStack, rawBody: string, options: SignalOptions = {}): Promise<SignedRequest> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (!options.unsigned) {
    const t = Math.floor((await stackNow(stack)).getTime() / 1000) + (options.skewSeconds ?? 0);
    const secret = options.secret ?? stack.stack.environment.LEADPIPE_INGEST_SECRET!;
    headers[WEBHOOK_SIGNATURE_HEADER] = signWebhook(options.signedBody ?? rawBody, secret, t);
  }
  return { body: rawBody, headers };
}

export function post(stack: TestStack, request: SignedRequest): Promise<Response> {
  return fetch(`${stack.url}/events`, { method: 'POST', headers: request.headers, body: request.body });
}

/** One signed signal to POST /events. */
export async function sendSignal(stack: TestStack, signal: Record<string, unknown>, options: SignalOptions = {}): Promise<Response> {
  return post(stack, await signedRequest(stack, JSON.stringify(signal), options));
}

/** Sends signed webinar signals one after another and expects each to be recorded. */
export async function attendWebinars(stack: TestStack, email: string, webinarIds: string[]): Promise<void> {
  for (const id of webinarIds) {
    const response = await sendSignal(stack, { email, type: 'webinar_attended', id });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ status: 'recorded' });
  }
}

/** A hand-raiser: the contact form makes the lead an MQL at once. */
export async function raiseHand(stack: TestStack, email: string, fields: Record<string, unknown> = {}): Promise<void> {
  const response = await stack.postJson('/forms/contact', {
    email,
    firstName: 'Hanna',
    lastName: 'Raiser',
    company: 'Acme GmbH',
    message: 'Please call me.',
    ...fields,
  });
  expect(response.status).toBe(200);
  await stack.drain();
}

/** Qualifies a lead as MQL by the contact form and returns the one sales mail about it. */
export async function qualifiedLead(stack: TestStack, email: string, fields: Record<string, unknown> = {}): Promise<DevMail> {
  await raiseHand(stack, email, fields);
  const mails = await salesMailsAbout(stack, email);
  expect(mails).toHaveLength(1);
  return mails[0]!;
}

/** The first link in a mail's text part on the given path, e.g. /sales/accept. */
export function decisionLink(mail: DevMail, path: '/sales/accept' | '/sales/recycle'): string {
  const match = new RegExp(`https?://[^\\s"<>]*${path.replace(/\//g, '\\/')}\\?token=[^\\s"<>]+`).exec(mail.text);
  if (!match) throw new Error(`No ${path} link in mail "${mail.subject}"`);
  return match[0];
}

export function tokenPayload(link: string): Record<string, any> {
  const token = new URL(link).searchParams.get('token');
  if (!token) throw new Error(`no token in ${link}`);
  const [encoded] = token.split('.');
  return JSON.parse(Buffer.from(encoded!, 'base64url').toString('utf8')) as Record<string, any>;
}

export function decodeHtmlAttribute(value: string): string {
  return value
    .replace(/&#x([0-9a-f]+);/gi, (_entity, hex: string) => String.fromCodePoint(Number.parseInt(hex, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The action of the one POST form on a page, decoded. */
export function postFormAction(html: string): string {
  const forms = [...html.matchAll(/<form\s+method="post"\s+action="([^"]*)"/gi)];
  expect(forms).toHaveLength(1);
  return decodeHtmlAttribute(forms[0]![1]!);
}

/** What a browser does when the link in the mail is clicked. */
export function openLink(link: string): Promise<Response> {
  return fetch(link, { headers: { accept: 'text/html' }, redirect: 'manual' });
}

/** What a browser sends when the button on a decision page is pressed. */
export function pressButton(actionUrl: string, fields: Record<string, string> = {}): Promise<Response> {
  return fetch(actionUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
}

/** A JSON response body, untyped for assertions. */
export async function jsonOf(response: Response): Promise<any> {
  return response.json();
}
