/**
 * Helpers shared by the nurture integration tests. Everything a lead does goes over HTTP (forms,
 * confirm link, unsubscribe link) or through the dev endpoints (tick, SES events), as on the stack.
 */
import { expect } from 'vitest';
import { linkIn, type DevMail, type TestStack } from '../../support/test-stack';

export const HOUR_MS = 3_600_000;

export const NURTURE_TEMPLATES = ['tofu-1', 'tofu-2', 'mofu-1', 'mofu-2', 'bofu-1'] as const;

export interface TimelineEmail {
  messageId: string;
  templateId: string;
  category: string;
  sentAt: string;
}

/** Signs up for the newsletter (tofu), confirms the double opt-in over HTTP, drains; returns the confirmation time. */
export async function signUpConfirmed(stack: TestStack, email: string, firstName = 'Nora'): Promise<string> {
  const signup = await stack.postJson('/forms/newsletter', { email, marketingConsent: true, firstName });
  expect(signup.status).toBe(200);
  await stack.drain();
  const optIn = (await stack.mailTo(email)).filter((mail) => mail.text.includes('/confirm?token='));
  expect(optIn).toHaveLength(1);
  const confirmed = await fetch(linkIn(optIn[0]!, '/confirm?token='), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    body: '',
    redirect: 'manual',
  });
  expect(confirmed.status).toBe(200);
  await stack.drain();
  const lead = await stack.lead(email);
  expect(lead).toMatchObject({ consent: { marketing: 'confirmed' }, funnelStage: 'tofu', lifecycle: 'warm' });
  return lead!.consent.confirmedAt as string;
}

/** A gated-content download form post (no marketing consent asked), drained. */
export async function download(
  stack: TestStack,
  email: string,
  assetId: 'ebook-lead-types' | 'case-study-b2b' | 'pricing-guide',
  extra: Record<string, string> = {},
): Promise<void> {
  const response = await stack.postJson('/forms/download', { email, firstName: 'Nora', assetId, ...extra });
  expect(response.status).toBe(200);
  await stack.drain();
}

/** The nurture (marketing) emails on the lead's timeline, oldest first. */
export async function nurtureEmails(stack: TestStack, email: string): Promise<TimelineEmail[]> {
  const lead = await stack.lead(email);
  return ((lead?.emails ?? []) as TimelineEmail[])
    .filter((entry) => entry.category === 'marketing')
    .sort((a, b) => a.sentAt.localeCompare(b.sentAt));
}

export async function nurtureTemplates(stack: TestStack, email: string): Promise<string[]> {
  return (await nurtureEmails(stack, email)).map((entry) => entry.templateId);
}

/** Mails in the SES emulator that carry the one-click unsubscribe header, i.e. marketing mail. */
export async function nurtureMails(stack: TestStack, email: string): Promise<DevMail[]> {
  return (await stack.mailTo(email)).filter((mail) => mail.headers.some((header) => header.name.toLowerCase() === 'list-unsubscribe'));
}

export function header(mail: DevMail, name: string): string | undefined {
  return mail.headers.find((candidate) => candidate.name.toLowerCase() === name.toLowerCase())?.value;
}

/** The unsubscribe URL of a nurture mail's List-Unsubscribe header. */
export function unsubscribeLink(mail: DevMail): string {
  const value = header(mail, 'List-Unsubscribe');
  const match = /^<(https?:\/\/[^>]+)>$/.exec(value ?? '');
  if (!match) throw new Error(`no List-Unsubscribe URL in "${mail.subject}": ${value}`);
  return match[1]!;
}

/** What a mail client sends for RFC 8058 one-click unsubscribe. */
export function oneClickUnsubscribe(link: string): Promise<Response> {
  return fetch(link, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'List-Unsubscribe=One-Click',
    redirect: 'manual',
  });
}

export function hoursBetween(from: string, to: string): number {
  return (Date.parse(to) - Date.parse(from)) / HOUR_MS;
}

/** Puts a real-shaped SES event for a sent message on the default bus and drains. */
export async function sesEvent(
  stack: TestStack,
  body: { type: 'bounce' | 'complaint' | 'click' | 'open' | 'delivery'; messageId: string; bounceType?: 'Permanent' | 'Transient' },
): Promise<void> {
  const response = await stack.postJson('/_dev/ses-event', body);
  expect(response.status).toBe(202);
  await stack.drain();
}

/** Advances the virtual clock in steps of `stepHours` until `totalHours` have passed (each step runs the schedule). */
export async function tickFor(stack: TestStack, totalHours: number, stepHours: number): Promise<void> {
  for (let passed = 0; passed < totalHours; passed += stepHours) await stack.tick(Math.min(stepHours, totalHours - passed));
}
