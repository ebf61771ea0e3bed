import * as z from 'zod/mini';
import { absoluteUrl, commaList, nonEmpty } from '../config/read-env';
import { SES_CONFIGURATION_SETS } from '../email/configuration-sets';
import type { FunctionName, QueueName } from './app-wiring';

/**
 * Each function's configuration: the environment variables its code reads, with their schemas, keyed
 * like FUNCTIONS in app-wiring.ts. A handler reads its own entry once, at cold start
 * (with readEnv, `FUNCTION_ENV['send-opt-in']`) and passes what shared code needs down to it, and the local
 * stack checks every entry before it says it is ready, so a bad value stops `npm start` instead of turning every request into a 500.
 *
 * A sibling of app-wiring.ts, not part of it: every handler imports this module, and app-wiring.ts
 * builds all rule patterns and event declarations at import, which would then load into every
 * bundle and every cold start. This module only imports zod/mini, which every handler loads anyway.
 *
 * The secrets (LEADPIPE_* or APP_SECRETS_ARN, for functions bound to 'secrets:read') are not listed
 * here: shared/security/app-secrets.ts owns their names and checks.
 */

/** What sendEmail (shared/email/send-email.ts) is given by its caller (emailSendingOf): every function that sends mail needs it. */
export const EMAIL_SENDING_ENV = {
  SENDER_ADDRESS: nonEmpty(),
  // CDK sets both to the sets it created under these same names; the defaults serve the local stack.
  SES_CONFIGURATION_SET: z._default(nonEmpty(), SES_CONFIGURATION_SETS.leadMail),
  SES_SALES_CONFIGURATION_SET: z._default(nonEmpty(), SES_CONFIGURATION_SETS.salesMail),
};

/**
 * Who writes to the lead (deploy config companyName, senderName, imprint): mail asking for trust names the company, is
 * signed by a person and carries the imprint. Passed down as senderOf(config) (shared/email/email-templates.ts).
 */
export const SENDER_IDENTITY_ENV = {
  COMPANY_NAME: nonEmpty(),
  SENDER_NAME: nonEmpty(),
  IMPRINT: nonEmpty(),
};

/** How long an unconfirmed double opt-in is kept (deploy config `retentionDays`); handlers pass it to the use cases as retentionDays. */
export const OPT_IN_RETENTION_ENV = {
  RETENTION_DAYS: z._default(z.coerce.number().check(z.int(), z.positive()), 30),
};

const salesLocale = () => z._default(z.enum(['de', 'en']), 'de');

/** The variable that carries a queue's URL, set by its 'queue:send:<name>' binding (infra/constructs/bind.ts) and locally. */
export const QUEUE_URL_ENV = {
  'campaign-plan': 'CAMPAIGN_PLAN_QUEUE_URL',
  'campaign-sends': 'CAMPAIGN_SENDS_QUEUE_URL',
} as const satisfies Record<QueueName, string>;

/**
 * The campaign sender's pacing (shared/campaigns/campaign-engine.ts sendRatePerInvocation): the sends queue's
 * maxConcurrency from QUEUES (set by CDK and the local stack, never by hand), and the share of the account's
 * SES MaxSendRate campaigns may use; the rest stays free for opt-in, download and sales mail.
 */
export const CAMPAIGN_SENDER_PACING_ENV = {
  // the default is QUEUES' value; CDK and the local stack set it from QUEUES explicitly
  CAMPAIGN_SENDS_MAX_CONCURRENCY: z._default(z.coerce.number().check(z.int(), z.gte(1)), 2),
  CAMPAIGN_SEND_RATE_SHARE: z._default(z.coerce.number().check(z.gt(0), z.lte(1)), 0.8),
};

export const FUNCTION_ENV = {
  'capture-form': {
    TABLE_NAME: nonEmpty(),
    PUBLIC_BASE_URL: absoluteUrl(),
    THANK_YOU_URL: absoluteUrl(),
    REDIRECT_ALLOWED_ORIGINS: commaList(),
  },
  'outbox-relay': { EVENT_BUS_NAME: nonEmpty() },
  'send-opt-in': { TABLE_NAME: nonEmpty(), PUBLIC_BASE_URL: absoluteUrl(), ...EMAIL_SENDING_ENV, ...SENDER_IDENTITY_ENV },
  'confirm-consent': { TABLE_NAME: nonEmpty(), PUBLIC_BASE_URL: absoluteUrl() },
  'deliver-download': { ASSETS_BUCKET: nonEmpty(), PUBLIC_BASE_URL: absoluteUrl() },
  'classify-lead': { TABLE_NAME: nonEmpty(), ...OPT_IN_RETENTION_ENV },
  unsubscribe: { TABLE_NAME: nonEmpty(), PUBLIC_BASE_URL: absoluteUrl() },
  'ses-feedback': { TABLE_NAME: nonEmpty() },
  'nurture-dispatcher': {
    TABLE_NAME: nonEmpty(),
    PUBLIC_BASE_URL: absoluteUrl(),
    ...SENDER_IDENTITY_ENV,
    ...EMAIL_SENDING_ENV,
    ...OPT_IN_RETENTION_ENV,
  },
  'notify-sales': {
    TABLE_NAME: nonEmpty(),
    PUBLIC_BASE_URL: absoluteUrl(),
    CONSOLE_URL: absoluteUrl(),
    SALES_RECIPIENTS: z.pipe(commaList(), z.array(z.email()).check(z.minLength(1))),
    SALES_LOCALE: salesLocale(),
    ...EMAIL_SENDING_ENV,
  },
  'sales-decision': { TABLE_NAME: nonEmpty(), PUBLIC_BASE_URL: absoluteUrl(), SALES_LOCALE: salesLocale(), ...OPT_IN_RETENTION_ENV },
  'ingest-signal': { TABLE_NAME: nonEmpty() },
  'send-download-link': { TABLE_NAME: nonEmpty(), PUBLIC_BASE_URL: absoluteUrl(), ...EMAIL_SENDING_ENV, ...SENDER_IDENTITY_ENV },
  'offer-action': { TABLE_NAME: nonEmpty(), PUBLIC_BASE_URL: absoluteUrl() },
  'expert-call': { TABLE_NAME: nonEmpty(), PUBLIC_BASE_URL: absoluteUrl() },
  'send-call-confirmation': { TABLE_NAME: nonEmpty(), PUBLIC_BASE_URL: absoluteUrl(), ...EMAIL_SENDING_ENV, ...SENDER_IDENTITY_ENV },
  'send-contact-acknowledgement': { TABLE_NAME: nonEmpty(), PUBLIC_BASE_URL: absoluteUrl(), ...EMAIL_SENDING_ENV, ...SENDER_IDENTITY_ENV },
  'site-assets': { PUBLIC_BASE_URL: absoluteUrl() },
  'renew-link': { TABLE_NAME: nonEmpty(), PUBLIC_BASE_URL: absoluteUrl(), ...EMAIL_SENDING_ENV, ...SENDER_IDENTITY_ENV },
  'console-leads': { TABLE_NAME: nonEmpty(), ...OPT_IN_RETENTION_ENV },
  // PUBLIC_BASE_URL and the sender: the sample data the templates are shown with (shared/console/template-samples.ts)
  'console-reports': { TABLE_NAME: nonEmpty(), PUBLIC_BASE_URL: absoluteUrl(), ...SENDER_IDENTITY_ENV, ...OPT_IN_RETENTION_ENV },
  'console-templates': { PUBLIC_BASE_URL: absoluteUrl(), ...EMAIL_SENDING_ENV, ...SENDER_IDENTITY_ENV },
  'project-funnel': { TABLE_NAME: nonEmpty() },
  'campaign-planner': { TABLE_NAME: nonEmpty(), CAMPAIGN_PLAN_QUEUE_URL: absoluteUrl(), CAMPAIGN_SENDS_QUEUE_URL: absoluteUrl() },
  'campaign-sender': {
    TABLE_NAME: nonEmpty(),
    PUBLIC_BASE_URL: absoluteUrl(),
    ...EMAIL_SENDING_ENV,
    ...SENDER_IDENTITY_ENV,
    ...CAMPAIGN_SENDER_PACING_ENV,
  },
} as const satisfies Record<FunctionName, z.core.$ZodShape>;
