import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../../local/dynamodb-local';
import { localSesAccount } from '../../local/local-environment';
import { startSesEmulator } from '../../local/ses-emulator';

declare module 'vitest' {
  export interface ProvidedContext {
    /** one DynamoDB Local per worker slot (VITEST_POOL_ID 1…maxWorkers): see suiteDynamoDbEndpoint */
    dynamoDbEndpoints: string[];
    sesEndpoint: string;
  }
}

/**
 * Starts the real emulators once, on free ports, and stops them (no Java process left behind).
 *
 * A DynamoDB Local per worker: it serves every request on one SQLite thread, and with one for the whole run the two
 * files running side by side queued behind each other's transactions (the JVM ~70 % busy, requests waiting ~2× their
 * service time). Two JVMs use both cores.
 */
export default async function setup(project: TestProject) {
  // The shared emulator answers GetAccount from this process's environment, as the local stack's own does: the campaign
  // sender paces itself by its MaxSendRate (without it the sender falls back to one mail a second).
  process.env.AWS_SES_ACCOUNT ??= localSesAccount(100);
  const workers = Math.max(1, project.globalConfig.maxWorkers);
  const [ses, ...dynamos] = await Promise.all([startSesEmulator(), ...Array.from({ length: workers }, () => startDynamoDbLocal())]);
  project.provide(
    'dynamoDbEndpoints',
    dynamos.map((dynamo) => dynamo.endpoint),
  );
  project.provide('sesEndpoint', ses!.endpoint);
  // Every temporary file of the run (test folders, CLI previews, synth output, S3 emulator data) under one folder the
  // teardown removes: the workers inherit TMPDIR, and os.tmpdir() reads it on every call.
  const runTmp = mkdtempSync(join(tmpdir(), 'leadpipe-test-run-'));
  process.env.TMPDIR = runTmp;
  return async () => {
    await Promise.all([ses!.stop(), ...dynamos.map((dynamo) => dynamo.stop())]);
    rmSync(runTmp, { recursive: true, force: true });
  };
}
