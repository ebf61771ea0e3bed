import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Token } from 'aws-cdk-lib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildLeadpipe } from '../../infra/build-app';
import { parseDeployConfig, readDeployConfig, senderMailbox, type DeployConfigInput } from '../../infra/deploy-config';
import { cdkJsonContext } from './synth-app';

const valid: DeployConfigInput = {
  region: 'eu-central-1',
  senderAddress: 'Leadpipe <hello@leadpipe.example>',
  senderDomain: 'leadpipe.example',
  salesRecipients: ['sales@leadpipe.example'],
  allowedOrigins: ['https://www.leadpipe.example'],
  thankYouUrl: 'https://www.leadpipe.example/thank-you',
  imprint: 'Leadpipe Example GmbH',
};

function without(key: keyof DeployConfigInput): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...valid };
  delete copy[key];
  return copy;
}

describe('deploy config', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('fills in the documented defaults', () => {
    // Prepare: only the required keys

    // Act
    const config = parseDeployConfig(valid);

    // Assess
    expect(config.throttling).toEqual({ rateLimit: 50, burstLimit: 100 });
    expect(config.retentionDays).toBe(30);
    expect(config.logRetentionDays).toBe(30);
    expect(config.redirectOrigins).toEqual(valid.allowedOrigins);
    expect(config.alarmTopicArn).toBeUndefined();
    expect(config.webhookUrl).toBeUndefined();
    expect(config.customDomain).toBeUndefined();
    expect(config.console).toEqual({ cognitoDomainPrefix: 'leadpipe-leadpipe-example' });
  });

  it('accepts the example config in cdk.json, so `cdk synth` works out of the box', () => {
    // Prepare
    const example = cdkJsonContext().leadpipe;

    // Act
    const config = parseDeployConfig(example);

    // Assess
    expect(config.senderDomain).toBe('leadpipe.example');
  });

  it.each(['region', 'senderAddress', 'senderDomain', 'salesRecipients', 'allowedOrigins', 'thankYouUrl', 'imprint'] as const)(
    'names the missing required key %s',
    (key) => {
      // Prepare
      const raw = without(key);

      // Act
      const parse = () => parseDeployConfig(raw);

      // Assess
      expect(parse).toThrow(`leadpipe config: ${key} is required`);
    },
  );

  it.each([
    ['senderAddress', { senderAddress: 'not-an-address' }, /leadpipe config: senderAddress must be an email address/],
    ['senderAddress', { senderAddress: 'hello@other.example' }, /leadpipe config: senderAddress must be an address at senderDomain/],
    ['salesRecipients', { salesRecipients: [] }, /leadpipe config: salesRecipients must list at least one/],
    ['salesRecipients.1', { salesRecipients: ['a@b.example', 'nope'] }, /leadpipe config: salesRecipients\.1 must be an email address/],
    ['allowedOrigins.0', { allowedOrigins: ['https://www.leadpipe.example/form'] }, /leadpipe config: allowedOrigins\.0 must be an origin/],
    ['thankYouUrl', { thankYouUrl: 'http://www.leadpipe.example/thanks' }, /leadpipe config: thankYouUrl must be an https:\/\/ URL/],
    ['webhookUrl', { webhookUrl: 'ftp://crm.example.com' }, /leadpipe config: webhookUrl must be an https:\/\/ URL/],
    ['alarmTopicArn', { alarmTopicArn: 'my-topic' }, /leadpipe config: alarmTopicArn must be an SNS topic ARN/],
    [
      'customDomain.certificateArn',
      { customDomain: { domainName: 'forms.leadpipe.example', certificateArn: 'x' } },
      /customDomain\.certificateArn must be an ACM certificate ARN/,
    ],
    ['throttling.burstLimit', { throttling: { rateLimit: 10, burstLimit: 0 } }, /leadpipe config: throttling\.burstLimit must be positive/],
    ['logRetentionDays', { logRetentionDays: 10 }, /leadpipe config: logRetentionDays must be one of 1, 3, 5, 7, 14, 30/],
    ['retentionDays', { retentionDays: 0 }, /leadpipe config: retentionDays must be at least 1/],
    ['imprint', { imprint: '   ' }, /leadpipe config: imprint must not be empty/],
    ['region', { region: 'Frankfurt' }, /leadpipe config: region must be an AWS region such as eu-central-1/],
    ['region', { region: 'eu-central' }, /leadpipe config: region must be an AWS region/],
    ['account', { account: '1234' }, /leadpipe config: account must be a 12-digit AWS account id/],
  ] as const)('names the invalid key %s', (_key, change, message) => {
    // Prepare
    const raw = { ...valid, ...change };

    // Act
    const parse = () => parseDeployConfig(raw);

    // Assess
    expect(parse).toThrow(message);
  });

  it('rejects unknown keys, so a typo does not silently fall back to a default', () => {
    // Prepare
    const raw = { ...valid, logRetentionDay: 7 };

    // Act
    const parse = () => parseDeployConfig(raw);

    // Assess
    expect(parse).toThrow(/leadpipe config: unknown key\(s\) logRetentionDay/);
  });

  it('keeps a given console.cognitoDomainPrefix', () => {
    // Act
    const config = parseDeployConfig({ ...valid, console: { cognitoDomainPrefix: 'acme-marketing' } });

    // Assess
    expect(config.console.cognitoDomainPrefix).toBe('acme-marketing');
  });

  it.each([
    [
      'upper case',
      { console: { cognitoDomainPrefix: 'Acme' } },
      /console\.cognitoDomainPrefix must be lower-case letters, digits and hyphens/,
    ],
    ['a dot', { console: { cognitoDomainPrefix: 'acme.example' } }, /console\.cognitoDomainPrefix must be lower-case letters/],
    ['a leading hyphen', { console: { cognitoDomainPrefix: '-acme' } }, /console\.cognitoDomainPrefix must be lower-case letters/],
    ['a reserved word', { console: { cognitoDomainPrefix: 'acme-cognito' } }, /console\.cognitoDomainPrefix must not contain "aws"/],
    ['an unknown key', { console: { domainPrefix: 'acme' } }, /unknown key\(s\) domainPrefix in console/],
    // the default would be leadpipe-laws-example, which Cognito rejects: the key is then required
    [
      'a default Cognito would reject',
      { senderDomain: 'laws.example', senderAddress: 'hello@laws.example' },
      /leadpipe config: console\.cognitoDomainPrefix is required/,
    ],
  ] as const)('rejects a console domain prefix with %s', (_label, change, message) => {
    // Act
    const parse = () => parseDeployConfig({ ...valid, ...change });

    // Assess
    expect(parse).toThrow(message);
  });

  it('reads the cdk.json context key', () => {
    // Prepare
    const app = new App({ context: { leadpipe: { ...valid, retentionDays: 7 } } });

    // Act
    const config = readDeployConfig(app);

    // Assess
    expect(config.retentionDays).toBe(7);
  });

  it('lets -c configFile=path.json replace the context block', () => {
    // Prepare
    const file = join(mkdtempSync(join(tmpdir(), 'leadpipe-config-')), 'prod.json');
    writeFileSync(file, JSON.stringify({ ...valid, senderDomain: 'prod.leadpipe.example', senderAddress: 'hello@prod.leadpipe.example' }));
    const app = new App({ context: { leadpipe: valid, configFile: file } });

    // Act
    const config = readDeployConfig(app);

    // Assess
    expect(config.senderDomain).toBe('prod.leadpipe.example');
  });

  it('explains where the config goes when there is none', () => {
    // Prepare
    const app = new App();

    // Act
    const read = () => readDeployConfig(app);

    // Assess
    expect(read).toThrow(/leadpipe config: no config found/);
  });

  it('fails the synth naming region when the config has none, whatever region the CLI environment has', () => {
    // Prepare: what `cdk synth` sees with a profile in us-east-1 and no region in the config
    const { region: _region, ...withoutRegion } = cdkJsonContext().leadpipe as DeployConfigInput;
    const app = new App({ context: { leadpipe: withoutRegion } });
    vi.stubEnv('CDK_DEFAULT_REGION', 'us-east-1');

    // Act
    const synth = () => buildLeadpipe(app, readDeployConfig(app));

    // Assess
    expect(synth).toThrow('leadpipe config: region is required');
  });

  it('puts both stacks in the configured region and, when given, account', () => {
    // Prepare: no bundling, the environment is all this test is about
    const { leadpipe: _config, ...featureFlags } = cdkJsonContext();
    const appFor = () => new App({ context: { ...featureFlags, 'aws:cdk:bundling-stacks': [] } });
    vi.stubEnv('CDK_DEFAULT_REGION', 'us-east-1');
    vi.stubEnv('CDK_DEFAULT_ACCOUNT', '999999999999');

    // Act
    const pinned = buildLeadpipe(appFor(), parseDeployConfig({ ...valid, region: 'eu-west-1', account: '123456789012' }));
    const regionOnly = buildLeadpipe(appFor(), parseDeployConfig({ ...valid, region: 'eu-north-1' }));

    // Assess
    for (const stack of [pinned.data, pinned.app]) expect([stack.region, stack.account]).toEqual(['eu-west-1', '123456789012']);
    for (const stack of [regionOnly.data, regionOnly.app]) {
      expect(stack.region).toBe('eu-north-1');
      // no account in the config: the stack is for whichever account deploys it, not one guessed from the environment
      expect(Token.isUnresolved(stack.account)).toBe(true);
    }
  });

  it('extracts the bare address for the ses:FromAddress condition', () => {
    // Prepare / Act / Assess
    expect(senderMailbox('Leadpipe <hello@leadpipe.example>')).toBe('hello@leadpipe.example');
    expect(senderMailbox('hello@leadpipe.example')).toBe('hello@leadpipe.example');
  });
});
