import { InteractionRecorded, LeadProductQualified, LeadQualified, LeadStageChanged, patternFor, patternForAny } from '../events';
import { CallBookingChanged } from '../events/booking-events';
import { CampaignScheduled } from '../events/campaign-events';
import { SES_FEEDBACK_EVENTS } from '../events/ses-events';
import { FUNNEL_MAIL_EVENTS, LeadImported } from '../reporting/funnel-events';
import { SES_CONFIGURATION_SET_TAG, SES_CONFIGURATION_SETS } from '../email/configuration-sets';
import { outboxStreamFilter } from '../storage/table-design';

/**
 * The one declaration of what runs where: functions, HTTP routes, event rules, stream relays and
 * schedules. The CDK stack and the local stack both build themselves from these tables, so the
 * two cannot drift.
 */

/** What a function may touch; CDK turns each into an environment variable plus the least IAM grant. */
export type Binding =
  | 'table:read'
  | 'table:write'
  | 'bus:put'
  | 'email:send'
  | 'assets:read'
  | 'secrets:read'
  // SES GetAccount (the account's send quota); it has no resource-level permissions
  | 'email:account'
  // SendMessage / SendMessageBatch on one queue of QUEUES only, with its URL in <NAME>_QUEUE_URL
  | `queue:send:${QueueName}`;

export interface FunctionDeclaration {
  /** module under functions/ exporting `handler` */
  entry: string;
  description: string;
  bindings: readonly Binding[];
  memoryMb?: number;
  timeoutSeconds?: number;
}

export const FUNCTIONS = {
  'capture-form': {
    entry: 'functions/capture-form.ts',
    description: 'Validates newsletter, download and contact form posts and stores lead + interaction in one write',
    bindings: ['table:write', 'secrets:read'],
  },
  'outbox-relay': {
    entry: 'functions/outbox-relay.ts',
    description: 'Relays outbox items from the table stream to the event bus',
    bindings: ['bus:put'],
  },
  'send-opt-in': {
    entry: 'functions/send-opt-in.ts',
    description: 'Sends the double-opt-in email when a submission asks for marketing consent',
    bindings: ['table:read', 'table:write', 'email:send', 'secrets:read'],
  },
  'confirm-consent': {
    entry: 'functions/confirm-consent.ts',
    description: 'Shows the double-opt-in confirmation page (GET) and confirms consent (POST)',
    bindings: ['table:read', 'table:write', 'secrets:read'],
  },
  'deliver-download': {
    entry: 'functions/deliver-download.ts',
    description: 'Checks a signed download link and redirects to a presigned S3 URL',
    bindings: ['assets:read', 'secrets:read'],
  },
  'classify-lead': {
    entry: 'functions/classify-lead.ts',
    description: 'Re-classifies a lead (score, lifecycle, qualification, funnel stage, PQL) on every interaction',
    bindings: ['table:read', 'table:write'],
  },
  unsubscribe: {
    entry: 'functions/unsubscribe.ts',
    description: 'One-click unsubscribe (RFC 8058): withdraws marketing consent',
    bindings: ['table:write', 'secrets:read'],
  },
  'ses-feedback': {
    entry: 'functions/ses-feedback.ts',
    description: 'Suppresses leads on permanent bounces and complaints; records clicks and opens',
    bindings: ['table:read', 'table:write'],
  },
  'nurture-dispatcher': {
    entry: 'functions/nurture-dispatcher.ts',
    description: 'Scheduled: sends due nurture steps and re-evaluates score decay for due leads',
    bindings: ['table:read', 'table:write', 'email:send', 'secrets:read'],
    timeoutSeconds: 300,
  },
  'notify-sales': {
    entry: 'functions/notify-sales.ts',
    description: 'Notifies sales exactly once per MQL/PQL qualification',
    bindings: ['table:read', 'table:write', 'email:send', 'secrets:read'],
  },
  'sales-decision': {
    entry: 'functions/sales-decision.ts',
    description: "Sales' signed accept (SQL) and recycle links",
    bindings: ['table:read', 'table:write', 'secrets:read'],
  },
  'ingest-signal': {
    entry: 'functions/ingest-signal.ts',
    description: 'Signed webinar and trial signals from other systems (POST /events)',
    bindings: ['table:write', 'secrets:read'],
  },
  'send-download-link': {
    entry: 'functions/send-download-link.ts',
    description: 'Emails the signed download link after a gated-PDF form',
    bindings: ['table:read', 'table:write', 'email:send', 'secrets:read'],
  },
  'offer-action': {
    entry: 'functions/offer-action.ts',
    description: "A nurture mail's offer link: shows the offer (GET) and delivers it (POST), recording the click and the action",
    bindings: ['table:read', 'table:write', 'secrets:read'],
  },
  'expert-call': {
    entry: 'functions/expert-call.ts',
    description: 'The 15-minute expert call: free slots (GET), booking, call-back request, cancel and move (POST), the .ics',
    bindings: ['table:read', 'table:write', 'secrets:read'],
  },
  'send-call-confirmation': {
    entry: 'functions/send-call-confirmation.ts',
    description: 'Confirms a booked or changed expert call to the lead, with the calendar event',
    bindings: ['table:read', 'table:write', 'email:send', 'secrets:read'],
  },
  'send-contact-acknowledgement': {
    entry: 'functions/send-contact-acknowledgement.ts',
    description: 'Acknowledges a contact request to the requester: what happens next, and when',
    bindings: ['table:read', 'table:write', 'email:send', 'secrets:read'],
  },
  'site-assets': {
    entry: 'functions/site-assets.ts',
    description: 'The embeddable form script (GET /forms.js) and the thank-you page after a plain form post (GET /thanks)',
    bindings: [],
  },
  'renew-link': {
    entry: 'functions/renew-link.ts',
    description: 'Mails a fresh confirm or download link to the lead of an expired one ("send me a new link")',
    bindings: ['table:read', 'table:write', 'email:send', 'secrets:read'],
  },
  // The console API (auth: 'console' routes), split by the least each part needs.
  'console-leads': {
    entry: 'functions/console-leads.ts',
    description: "Console: the lead list, a lead's page, sales' accept/recycle, the GDPR export and erasure",
    bindings: ['table:read', 'table:write', 'secrets:read'],
  },
  'console-reports': {
    entry: 'functions/console-reports.ts',
    description: 'Console, read-only: the signed-in user, the funnel dashboard, templates, sequences, rules and a rules dry run',
    bindings: ['table:read'],
    timeoutSeconds: 30,
  },
  'console-templates': {
    entry: 'functions/console-templates.ts',
    description: "Console: email templates rendered with sample data, and a test send to the signed-in user's own address",
    bindings: ['email:send'],
  },
  'project-funnel': {
    entry: 'functions/project-funnel.ts',
    description: 'Keeps the funnel read model: per-day and total counters of leads, stage changes, MQLs, SQLs and mail, once per fact',
    bindings: ['table:read', 'table:write'],
  },
  'campaign-planner': {
    entry: 'functions/campaign-planner.ts',
    description: 'Starts due campaigns and fans their audience out: one page of one subscriber shard per run, recipients in batches',
    bindings: ['table:read', 'table:write', 'queue:send:campaign-plan', 'queue:send:campaign-sends'],
    timeoutSeconds: 60,
  },
  'campaign-sender': {
    entry: 'functions/campaign-sender.ts',
    description: "Sends campaign mail to queued recipients at the SES account's rate, exactly once each (claims)",
    bindings: ['table:read', 'table:write', 'email:send', 'email:account', 'secrets:read'],
    timeoutSeconds: 120,
  },
} as const satisfies Record<string, FunctionDeclaration>;

export type FunctionName = keyof typeof FUNCTIONS;

export type HttpMethod = 'GET' | 'POST' | 'DELETE';

export interface HttpRoute {
  method: HttpMethod;
  /** API Gateway HTTP API path syntax, e.g. /downloads/{assetId} */
  path: string;
  function: FunctionName;
  /**
   * 'console': only with a valid console sign-in (a bearer JWT). On AWS the HttpApi's JWT authorizer checks it
   * (Cognito); locally the stack's own issuer does, and both pass the claims at requestContext.authorizer.jwt.claims.
   * Absent: a public route (forms, signed links).
   */
  auth?: 'console';
}

export const HTTP_ROUTES = [
  { method: 'POST', path: '/forms/newsletter', function: 'capture-form' },
  { method: 'POST', path: '/forms/download', function: 'capture-form' },
  { method: 'POST', path: '/forms/contact', function: 'capture-form' },
  { method: 'GET', path: '/confirm', function: 'confirm-consent' },
  { method: 'POST', path: '/confirm', function: 'confirm-consent' },
  { method: 'GET', path: '/downloads/{assetId}', function: 'deliver-download' },
  { method: 'GET', path: '/unsubscribe', function: 'unsubscribe' },
  { method: 'POST', path: '/unsubscribe', function: 'unsubscribe' },
  { method: 'GET', path: '/sales/accept', function: 'sales-decision' },
  { method: 'POST', path: '/sales/accept', function: 'sales-decision' },
  { method: 'GET', path: '/sales/recycle', function: 'sales-decision' },
  { method: 'POST', path: '/sales/recycle', function: 'sales-decision' },
  { method: 'POST', path: '/events', function: 'ingest-signal' },
  { method: 'GET', path: '/offers', function: 'offer-action' },
  { method: 'POST', path: '/offers', function: 'offer-action' },
  { method: 'GET', path: '/call', function: 'expert-call' },
  { method: 'POST', path: '/call', function: 'expert-call' },
  { method: 'GET', path: '/call/manage', function: 'expert-call' },
  { method: 'POST', path: '/call/manage', function: 'expert-call' },
  { method: 'GET', path: '/call/event.ics', function: 'expert-call' },
  { method: 'GET', path: '/forms.js', function: 'site-assets' },
  { method: 'GET', path: '/thanks', function: 'site-assets' },
  { method: 'POST', path: '/links/renew', function: 'renew-link' },
  { method: 'GET', path: '/console/api/me', function: 'console-reports', auth: 'console' },
  { method: 'GET', path: '/console/api/leads', function: 'console-leads', auth: 'console' },
  { method: 'GET', path: '/console/api/leads/{email}', function: 'console-leads', auth: 'console' },
  { method: 'POST', path: '/console/api/leads/{email}/decision', function: 'console-leads', auth: 'console' },
  { method: 'GET', path: '/console/api/leads/{email}/export', function: 'console-leads', auth: 'console' },
  { method: 'DELETE', path: '/console/api/leads/{email}', function: 'console-leads', auth: 'console' },
  { method: 'GET', path: '/console/api/funnel', function: 'console-reports', auth: 'console' },
  { method: 'GET', path: '/console/api/templates', function: 'console-reports', auth: 'console' },
  { method: 'GET', path: '/console/api/templates/{id}/preview', function: 'console-templates', auth: 'console' },
  { method: 'POST', path: '/console/api/templates/{id}/test-send', function: 'console-templates', auth: 'console' },
  { method: 'GET', path: '/console/api/sequences', function: 'console-reports', auth: 'console' },
  { method: 'GET', path: '/console/api/rules', function: 'console-reports', auth: 'console' },
  { method: 'POST', path: '/console/api/rules/preview', function: 'console-reports', auth: 'console' },
  { method: 'GET', path: '/console/api/campaigns', function: 'console-reports', auth: 'console' },
] as const satisfies readonly HttpRoute[];

export interface EventRule {
  name: string;
  description: string;
  /** 'app' is the custom bus; 'default' is where AWS services such as SES publish */
  bus: 'app' | 'default';
  pattern: Record<string, unknown>;
  target: FunctionName;
}

export const EVENT_RULES = [
  {
    name: 'opt-in-on-consent-request',
    description: 'A submission that asked for marketing consent gets the double-opt-in email',
    bus: 'app',
    pattern: patternFor(InteractionRecorded, { consentRequested: [true] }),
    target: 'send-opt-in',
  },
  {
    name: 'download-link-on-download',
    description: 'A gated-PDF submission gets its signed download link by email',
    bus: 'app',
    pattern: patternFor(InteractionRecorded, { type: ['download'] }),
    target: 'send-download-link',
  },
  {
    name: 'call-confirmation-on-booking',
    description: 'A booked, moved or cancelled expert call is confirmed to the lead by email, with the calendar event',
    bus: 'app',
    pattern: patternFor(InteractionRecorded, { type: ['call_requested'] }),
    target: 'send-call-confirmation',
  },
  {
    name: 'call-confirmation-on-change',
    description: 'A moved or cancelled expert call is confirmed to the lead, with the updated calendar event',
    bus: 'app',
    pattern: patternFor(CallBookingChanged),
    target: 'send-call-confirmation',
  },
  {
    name: 'acknowledge-contact-request',
    description: 'A contact request is acknowledged to the requester by email',
    bus: 'app',
    pattern: patternFor(InteractionRecorded, { type: ['contact'] }),
    target: 'send-contact-acknowledgement',
  },
  {
    name: 'classify-on-interaction',
    description: 'Every interaction re-classifies its lead',
    bus: 'app',
    pattern: patternFor(InteractionRecorded),
    target: 'classify-lead',
  },
  {
    name: 'notify-sales-on-qualification',
    description: 'MQL and PQL qualifications notify sales, once each',
    bus: 'app',
    pattern: patternForAny([LeadQualified, LeadProductQualified]),
    target: 'notify-sales',
  },
  {
    name: 'ses-feedback',
    description: 'Bounces and complaints suppress the lead; clicks and opens become interactions',
    bus: 'app',
    pattern: patternForAny(SES_FEEDBACK_EVENTS),
    target: 'ses-feedback',
  },
  {
    name: 'funnel-on-lead-created',
    description: 'A new lead counts in the funnel read model',
    bus: 'app',
    pattern: patternFor(InteractionRecorded, { leadCreated: [true] }),
    target: 'project-funnel',
  },
  {
    name: 'funnel-on-stage-change',
    description: 'Imported leads, stage changes, qualifications and PQLs move the funnel read model',
    bus: 'app',
    pattern: patternForAny([LeadImported, LeadStageChanged, LeadQualified, LeadProductQualified]),
    target: 'project-funnel',
  },
  {
    name: 'funnel-on-mail',
    description: 'Sends, opens, clicks, bounces and complaints count per template in the funnel read model',
    bus: 'app',
    pattern: patternForAny(FUNNEL_MAIL_EVENTS),
    target: 'project-funnel',
  },
  {
    name: 'plan-campaign-on-schedule',
    description: 'A stored campaign starts at its send time: now, or remembered for the campaign-start schedule',
    bus: 'app',
    pattern: patternFor(CampaignScheduled),
    target: 'campaign-planner',
  },
] as const satisfies readonly EventRule[];

export interface StreamRelay {
  function: FunctionName;
  /** event-source-mapping filter (EventBridge pattern syntax) applied to each stream record */
  filter: Record<string, unknown>;
  batchSize: number;
}

export const STREAM_RELAYS = [
  { function: 'outbox-relay', filter: outboxStreamFilter, batchSize: 25 },
] as const satisfies readonly StreamRelay[];

/** Rules on the default bus whose target is the app bus: SES can publish to the default bus only. */
export interface BusForward {
  name: string;
  description: string;
  from: 'default';
  to: 'app';
  pattern: Record<string, unknown>;
}

export const BUS_FORWARDS = [
  {
    name: 'forward-ses-events',
    description: "SES publishes to the default bus only; bring this app's lead-mail events to the app bus",
    from: 'default',
    to: 'app',
    // Only mail sent through this app's tracked configuration set: other senders in the account stay out.
    pattern: { source: ['aws.ses'], detail: { mail: { tags: { [SES_CONFIGURATION_SET_TAG]: [SES_CONFIGURATION_SETS.leadMail] } } } },
  },
] as const satisfies readonly BusForward[];

export interface Schedule {
  name: string;
  description: string;
  everyMinutes: number;
  target: FunctionName;
}

export const SCHEDULES = [
  {
    name: 'nurture-dispatch',
    description: 'Sends due nurture emails and re-evaluates decay',
    everyMinutes: 15,
    target: 'nurture-dispatcher',
  },
  {
    name: 'campaign-start',
    description: 'Starts campaigns whose send time has come (and re-plans a start that crashed half-way)',
    everyMinutes: 5,
    target: 'campaign-planner',
  },
] as const satisfies readonly Schedule[];

/**
 * Work queues (SQS), each drained by one function through an event source mapping with batch item failures.
 * CDK (infra/constructs/campaign-queues.ts) and the local stack (local/queue/local-queue.ts) both build from here.
 */
/** Declared as a union (not derived from QUEUES): Binding names queues, and FUNCTIONS' bindings must not depend on QUEUES. */
export type QueueName = 'campaign-plan' | 'campaign-sends';

export interface QueueDeclaration {
  name: QueueName;
  description: string;
  consumer: FunctionName;
  /** messages per invocation */
  batchSize: number;
  /** the event source mapping's MaximumConcurrency (2 to 1000): at most this many invocations at once */
  maxConcurrency: number;
  /** at least 6 x the consumer's timeout (AWS's guidance for Lambda consumers) */
  visibilityTimeoutSeconds: number;
  /** receives before a message moves to the queue's dead-letter queue */
  maxReceiveCount: number;
}

export const QUEUES = [
  {
    name: 'campaign-plan',
    description: "A campaign's audience, one page of one subscriber shard per message; each page enqueues the next",
    consumer: 'campaign-planner',
    batchSize: 1,
    maxConcurrency: 2,
    visibilityTimeoutSeconds: 360,
    maxReceiveCount: 5,
  },
  {
    name: 'campaign-sends',
    description: 'Campaign recipients, up to 50 lead ids per message, sent at the SES account rate',
    consumer: 'campaign-sender',
    batchSize: 4,
    // The SES rate is shared: each invocation paces itself to MaxSendRate x share / maxConcurrency (campaign-engine.ts).
    maxConcurrency: 2,
    visibilityTimeoutSeconds: 720,
    maxReceiveCount: 8,
  },
] as const satisfies readonly QueueDeclaration[];
