/**
 * One persistence boundary (issue 12): classification, capture and signal ingestion reach DynamoDB only
 * through their store ports, and nothing under shared/ outside shared/storage/ touches the DynamoDB client.
 * Reads the sources, so it fails as soon as one of them imports it again.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '../../..');
const tsFiles = (dir: string): string[] =>
  readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? tsFiles(`${dir}/${entry.name}`) : entry.name.endsWith('.ts') ? [`${dir}/${entry.name}`] : [],
  );
const USE_CASES = [
  ...tsFiles('shared/classification'),
  ...tsFiles('shared/signals'),
  'shared/capture/capture-submission.ts',
  'shared/capture/capture-store.ts',
];
const DYNAMODB = [
  /@aws-sdk\/(lib|client)-dynamodb/,
  /dynamodb-client/,
  /\bdocumentClient\b/,
  /\b(Update|Condition|KeyCondition)Expression\b/,
  /\bTableName\b/,
  /\btableName\b/,
];

describe('classification, capture and signals: one persistence boundary', () => {
  it.each(USE_CASES)('%s uses no DynamoDB client, command, expression or table name', (path) => {
    // Act
    const source = readFileSync(join(ROOT, path), 'utf8');
    const found = DYNAMODB.filter((pattern) => pattern.test(source)).map(String);

    // Assess
    expect(found).toEqual([]);
  });

  it('no file under shared/ outside shared/storage/ uses the DynamoDB document client', () => {
    // Act
    const users = tsFiles('shared')
      .filter((path) => !path.startsWith('shared/storage/'))
      .filter((path) => /\bdocumentClient\b/.test(readFileSync(join(ROOT, path), 'utf8')));

    // Assess
    expect(users).toEqual([]);
  });
});
