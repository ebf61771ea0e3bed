import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A DynamoDB Local per worker and one SES emulator for the tests that ask for it; each test file's stack gets its own
    // table (dropped when it stops) and its own SES emulator.
    globalSetup: ['test/support/global-setup.ts'],
    // Tests wait on events (drain, tick), never on sleeps; this is only the net for a test that hangs. On a
    // loaded 2-core machine a virtual-time test legitimately takes longer than 30 s, which is not a failure.
    testTimeout: 360_000,
    hookTimeout: 120_000,
    // Two cores: keep the JVM, the synth and the test workers from starving each other.
    maxWorkers: 2,
    env: {
      POWERTOOLS_LOG_LEVEL: 'ERROR',
      POWERTOOLS_METRICS_DISABLED: 'true',
      AWS_REGION: 'eu-central-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    },
  },
});
