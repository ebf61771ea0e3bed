/**
 * One persistence boundary (issue 12): the sales, SES feedback and mail-sending use cases reach
 * DynamoDB only through their store ports; the DynamoDB code (client, commands, expressions) lives
 * in the adapters under shared/storage/. Reads the sources, so it fails as soon as one imports it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '../../..');
const USE_CASES = [
  ...['shared/sales', 'shared/feedback', 'shared/email'].flatMap((dir) =>
    readdirSync(join(ROOT, dir))
      .filter((name) => name.endsWith('.ts'))
      .map((name) => `${dir}/${name}`),
  ),
  'shared/capture/send-download-link.ts',
  'shared/capture/download-link-store.ts',
];
const DYNAMODB = [/@aws-sdk\/(lib|client)-dynamodb/, /dynamodb-client/, /\b(Update|Condition|KeyCondition)Expression\b/, /\bTableName\b/];

describe('sales, feedback and mail sending: one persistence boundary', () => {
  it.each(USE_CASES)('%s uses no DynamoDB client, command or expression', (path) => {
    // Prepare
    const source = readFileSync(join(ROOT, path), 'utf8');

    // Act
    const found = DYNAMODB.filter((pattern) => pattern.test(source)).map(String);

    // Assess
    expect(found).toEqual([]);
  });
});
