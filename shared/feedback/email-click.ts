import { createHash } from 'node:crypto';

/**
 * A message's click counts once, whoever reports it first: the offer page (the lead pressed the button
 * behind the mail's link) or SES click tracking (the same click, seen on AWS). Both record it under this
 * id and claim this key, so the second report finds the claim and records nothing.
 */
export function emailClickOnce(messageId: string): { id: string; onceKey: string } {
  return {
    id: createHash('sha256').update(`email_click:${messageId}`).digest('hex').slice(0, 32),
    onceKey: `email_click:${messageId}`,
  };
}
