import { describe, expect, it } from 'vitest';
import { localEnvironment } from '../../../local/local-environment';
import { validateFunctionConfiguration } from '../../../local/validate-configuration';
import { ConfigurationError } from '../../../shared/config/read-env';

const ENDPOINT = 'http://127.0.0.1:1';
const ENDPOINTS = { dynamodb: ENDPOINT, ses: ENDPOINT, eventBridge: ENDPOINT, s3: ENDPOINT };

/** The environment `npm start` gives every function, with the user's own variables as `overrides`. */
function stackEnvironment(overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...overrides, ...localEnvironment(ENDPOINTS, 'http://localhost:3000', overrides) };
}

describe('validateFunctionConfiguration: every function checked before the local stack is ready', () => {
  it('accepts the local defaults', () => {
    // Act / Assess
    expect(() => validateFunctionConfiguration(stackEnvironment())).not.toThrow();
  });

  it.each([
    ['LEADPIPE_INGEST_SECRET', 'short', /LEADPIPE_INGEST_SECRET is too short/],
    ['LEADPIPE_SIGNING_KEY', 'short', /LEADPIPE_SIGNING_KEY is too short/],
    ['SALES_RECIPIENTS', 'not-an-email', /SALES_RECIPIENTS: .*\(read by notify-sales\)/],
    ['THANK_YOU_URL', 'ftp://files.example/thanks', /THANK_YOU_URL: .*\(read by capture-form\)/],
    [
      'RETENTION_DAYS',
      'thirty',
      /RETENTION_DAYS: .*\(read by classify-lead, nurture-dispatcher, sales-decision, console-leads, console-reports\)/,
    ],
    [
      'SENDER_ADDRESS',
      ' ',
      new RegExp(
        String.raw`SENDER_ADDRESS: .*\(read by send-opt-in, nurture-dispatcher, notify-sales, send-download-link, ` +
          String.raw`send-call-confirmation, send-contact-acknowledgement, renew-link, console-templates, campaign-sender\)`,
      ),
    ],
  ])('rejects a bad %s, naming it and the functions that read it', (name, value, message) => {
    // Act
    const check = () => validateFunctionConfiguration(stackEnvironment({ [name]: value }));

    // Assess
    expect(check).toThrow(ConfigurationError);
    expect(check).toThrow(message);
  });

  it('names a bad secret once, however many functions read it', () => {
    // Act
    let message = '';
    try {
      validateFunctionConfiguration(stackEnvironment({ LEADPIPE_INGEST_SECRET: 'short' }));
    } catch (error) {
      message = (error as Error).message;
    }

    // Assess
    expect(message.match(/LEADPIPE_INGEST_SECRET/g)).toHaveLength(1);
  });
});
