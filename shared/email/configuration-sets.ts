/**
 * The SES configuration sets, named once: CDK creates them under these names, sendEmail sends
 * through them, and the bus forward (shared/wiring/app-wiring.ts) takes only events whose
 * `mail.tags["ses:configuration-set"]` names the one that publishes events.
 *
 * Fixed names, like the stack names: one deployment per account and region.
 */
export const SES_CONFIGURATION_SETS = {
  /** mail to the lead (opt-in, download link, nurture): open/click tracking, every event to the default bus */
  leadMail: 'leadpipe-lead-mail',
  /** mail to sales about a lead: no event destination, so no open/click tracking and no events */
  salesMail: 'leadpipe-sales-mail',
} as const;

/** The tag SES adds to every event of a message sent through a configuration set. */
export const SES_CONFIGURATION_SET_TAG = 'ses:configuration-set';

export type EmailCategory = 'system' | 'marketing' | 'sales';

/**
 * Mail that went to the lead: only its bounces, complaints, opens and clicks say anything about the
 * lead. A salesperson opening the notification, or the sales mailbox bouncing, does not.
 */
export const LEAD_MAIL_CATEGORIES: readonly EmailCategory[] = ['system', 'marketing'];

export function isMailToLead(category: string | undefined): boolean {
  return (LEAD_MAIL_CATEGORIES as readonly string[]).includes(category ?? '');
}
