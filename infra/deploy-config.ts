import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Construct } from 'constructs';
import { z } from 'zod';

/**
 * The one deploy-time configuration, validated at synth time so a bad value fails `cdk synth`
 * (naming the key) instead of a Lambda cold start in production.
 *
 * Read from the cdk.json context key `leadpipe`; `-c configFile=path.json` replaces that block
 * entirely with the JSON file (one file per environment, nothing merged implicitly).
 */

export const CONFIG_CONTEXT_KEY = 'leadpipe';
export const CONFIG_FILE_CONTEXT_KEY = 'configFile';

/** CloudWatch Logs accepts only these retention periods. */
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const email = () => z.email({ message: 'must be an email address' });
const hostname = () =>
  z
    .string({ message: 'must be a domain name' })
    .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i, 'must be a domain name such as example.com');
const httpsUrl = () => z.url({ protocol: /^https$/, message: 'must be an https:// URL' });
/** An origin as browsers send it in the Origin header: scheme, host and optional port, no path. */
const origin = () =>
  z.url({ protocol: /^https?$/, message: 'must be an origin such as https://www.example.com' }).refine((value) => {
    const url = new URL(value);
    return url.origin === value.replace(/\/$/, '');
  }, 'must be an origin (scheme://host[:port]) without path, query or trailing slash');

/** `hello@example.com` or `Example GmbH <hello@example.com>`: the From header SES sends. */
const senderAddress = () =>
  z.string({ message: 'must be an email address' }).superRefine((value, ctx) => {
    if (!z.email().safeParse(senderMailbox(value)).success)
      ctx.addIssue({ code: 'custom', message: 'must be an email address, optionally as "Name <address>"' });
  });

const configSchema = z
  .strictObject({
    /** where both stacks go; required, so a missing setting can never fall back to the CLI's default region */
    region: z
      .string({ message: 'must be an AWS region such as eu-central-1' })
      .regex(/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/, 'must be an AWS region such as eu-central-1'),
    /** the account both stacks are for; a deploy with credentials of another account then fails instead of deploying there */
    account: z
      .string({ message: 'must be a 12-digit AWS account id' })
      .regex(/^\d{12}$/, 'must be a 12-digit AWS account id')
      .optional(),
    senderAddress: senderAddress(),
    senderDomain: hostname(),
    salesRecipients: z.array(email(), { message: 'must be a list of email addresses' }).min(1, 'must list at least one email address'),
    allowedOrigins: z.array(origin(), { message: 'must be a list of origins' }).min(1, 'must list at least one origin'),
    /** where form posts may redirect to; defaults to allowedOrigins (a form usually returns to its own site) */
    redirectOrigins: z.array(origin(), { message: 'must be a list of origins' }).optional(),
    thankYouUrl: httpsUrl(),
    imprint: z.string({ message: 'must be text' }).trim().min(1, 'must not be empty'),
    /** the company mail to leads names, e.g. "Beispiel GmbH"; defaults to the imprint's first part (it starts with the legal name) */
    companyName: z.string({ message: 'must be text' }).trim().min(1, 'must not be empty').optional(),
    /** who signs mail to leads, e.g. "Anna Berger, Beispiel GmbH"; defaults to companyName */
    senderName: z.string({ message: 'must be text' }).trim().min(1, 'must not be empty').optional(),
    alarmTopicArn: z
      .string({ message: 'must be an SNS topic ARN' })
      .regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/, 'must be an SNS topic ARN')
      .optional(),
    webhookUrl: httpsUrl().optional(),
    customDomain: z
      .strictObject({
        domainName: hostname(),
        certificateArn: z
          .string({ message: 'must be an ACM certificate ARN' })
          .regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/, 'must be an ACM certificate ARN'),
      })
      .optional(),
    /** the marketing console (Cognito sign-in, CloudFront hosting) */
    console: z
      .strictObject({
        /**
         * the hosted sign-in page's domain, https://<prefix>.auth.<region>.amazoncognito.com; unique per region across all
         * AWS accounts; default: "leadpipe-" and senderDomain with dots as hyphens (leadpipe-leadpipe-example)
         */
        cognitoDomainPrefix: cognitoDomainPrefix().optional(),
      })
      .default({}),
    throttling: z
      .strictObject({
        rateLimit: z.number({ message: 'must be a number' }).positive('must be positive').default(50),
        burstLimit: z.number({ message: 'must be a number' }).int('must be a whole number').positive('must be positive').default(100),
      })
      .default({ rateLimit: 50, burstLimit: 100 }),
    /** days until unconfirmed opt-ins and expired tokens are removed by the table TTL */
    retentionDays: z
      .number({ message: 'must be a number' })
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(3650, 'must be at most 3650')
      .default(30),
    logRetentionDays: z
      .number({ message: 'must be a number' })
      .refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), `must be one of ${LOG_RETENTION_DAYS.join(', ')}`)
      .default(30),
  })
  .superRefine((config, ctx) => {
    // SES authorises sending per identity: the From address must belong to the verified domain.
    const domain = senderMailbox(config.senderAddress).split('@')[1]?.toLowerCase();
    const senderDomain = config.senderDomain.toLowerCase();
    if (domain && domain !== senderDomain && !domain.endsWith(`.${senderDomain}`)) {
      ctx.addIssue({ code: 'custom', path: ['senderAddress'], message: `must be an address at senderDomain (${config.senderDomain})` });
    }
    // A default the rules reject (a domain with "aws" in it, say) turns into "console.cognitoDomainPrefix is required".
    if (
      config.console.cognitoDomainPrefix === undefined &&
      !cognitoDomainPrefix().safeParse(defaultDomainPrefix(config.senderDomain)).success
    ) {
      ctx.addIssue({ code: 'custom', path: ['console', 'cognitoDomainPrefix'], message: 'is required' });
    }
  })
  .transform((config) => {
    const companyName = config.companyName ?? imprintCompany(config.imprint);
    return {
      ...config,
      redirectOrigins: config.redirectOrigins ?? config.allowedOrigins,
      companyName,
      senderName: config.senderName ?? companyName,
      console: { cognitoDomainPrefix: config.console.cognitoDomainPrefix ?? defaultDomainPrefix(config.senderDomain) },
    };
  });

/** Cognito's rules for a domain prefix: lower-case letters, digits and inner hyphens, and none of its reserved words. */
function cognitoDomainPrefix() {
  return z
    .string({ message: 'must be a domain prefix such as leadpipe-example' })
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'must be lower-case letters, digits and hyphens (at most 63, no hyphen at either end)')
    .refine((prefix) => !/aws|amazon|cognito/.test(prefix), 'must not contain "aws", "amazon" or "cognito" (Cognito reserves them)');
}

function defaultDomainPrefix(senderDomain: string): string {
  return `leadpipe-${senderDomain.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`.slice(0, 63).replace(/-+$/, '');
}

/** "Beispiel GmbH · Musterstraße 1 · ..." or "Beispiel GmbH\nMusterstraße 1": the name the imprint starts with. */
function imprintCompany(imprint: string): string {
  return imprint.split(/\r?\n| · |\s\|\s/)[0]!.trim();
}

export type DeployConfig = z.output<typeof configSchema>;
export type DeployConfigInput = z.input<typeof configSchema>;

export class DeployConfigError extends Error {
  override name = 'DeployConfigError';
}

/** Validates raw config; every problem is reported as `leadpipe config: <key> <problem>`. */
export function parseDeployConfig(raw: unknown): DeployConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new DeployConfigError(
      `leadpipe config: expected an object in cdk.json context "${CONFIG_CONTEXT_KEY}" ` +
        `or a file given with -c ${CONFIG_FILE_CONTEXT_KEY}=path.json`,
    );
  }
  const result = configSchema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys')
      return `unknown key(s) ${issue.keys.join(', ')}${issue.path.length ? ` in ${issue.path.join('.')}` : ''}`;
    const key = issue.path.join('.');
    return valueAt(raw, issue.path) === undefined ? `${key} is required` : `${key} ${issue.message}`;
  });
  throw new DeployConfigError(`leadpipe config: ${[...new Set(problems)].join('; ')}`);
}

/** Reads and validates the config from the construct tree's context (cdk.json or -c). */
export function readDeployConfig(scope: Construct): DeployConfig {
  const file: unknown = scope.node.tryGetContext(CONFIG_FILE_CONTEXT_KEY);
  if (file !== undefined) {
    if (typeof file !== 'string' || file.trim() === '')
      throw new DeployConfigError(`leadpipe config: ${CONFIG_FILE_CONTEXT_KEY} must be a path to a JSON file`);
    const path = resolve(file);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new DeployConfigError(`leadpipe config: cannot read ${CONFIG_FILE_CONTEXT_KEY} ${path}: ${(error as Error).message}`);
    }
    try {
      return parseDeployConfig(JSON.parse(text));
    } catch (error) {
      if (error instanceof SyntaxError)
        throw new DeployConfigError(`leadpipe config: ${CONFIG_FILE_CONTEXT_KEY} ${path} is not valid JSON: ${error.message}`);
      throw error;
    }
  }
  let raw: unknown = scope.node.tryGetContext(CONFIG_CONTEXT_KEY);
  // `-c leadpipe='{...}'` arrives as a string
  if (typeof raw === 'string') {
    try {
      raw = JSON.parse(raw);
    } catch {
      throw new DeployConfigError(`leadpipe config: context "${CONFIG_CONTEXT_KEY}" is not valid JSON`);
    }
  }
  if (raw === undefined) {
    throw new DeployConfigError(
      `leadpipe config: no config found; set context "${CONFIG_CONTEXT_KEY}" in cdk.json or pass -c ${CONFIG_FILE_CONTEXT_KEY}=path.json`,
    );
  }
  return parseDeployConfig(raw);
}

/** The bare address of `Name <address>` or `address`. */
export function senderMailbox(sender: string): string {
  const match = /<([^<>]+)>\s*$/.exec(sender);
  return (match?.[1] ?? sender).trim();
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = root;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}
