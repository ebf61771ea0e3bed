/**
 * The console's use cases (shared/console) and handlers (functions/console-*) reach DynamoDB only through the storage
 * modules under shared/storage/: no client, command or expression of their own. Reads the sources.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '../../..');
const FILES = [
  ...readdirSync(join(ROOT, 'shared/console'))
    .filter((name) => name.endsWith('.ts'))
    .map((name) => `shared/console/${name}`),
  ...readdirSync(join(ROOT, 'functions'))
    .filter((name) => name.startsWith('console-'))
    .map((name) => `functions/${name}`),
];
const DYNAMODB = [
  /@aws-sdk\/(lib|client)-dynamodb/,
  /dynamodb-client/,
  /\b(Update|Condition|KeyCondition|Filter)Expression\b/,
  /\bTableName\b/,
];

describe('console: one persistence boundary', () => {
  it('covers the console sources', () => {
    // Assess
    expect(FILES.length).toBeGreaterThanOrEqual(12);
  });

  it.each(FILES)('%s uses no DynamoDB client, command or expression', (path) => {
    // Prepare
    const source = readFileSync(join(ROOT, path), 'utf8');

    // Act
    const found = DYNAMODB.filter((pattern) => pattern.test(source)).map(String);

    // Assess
    expect(found).toEqual([]);
  });
});
