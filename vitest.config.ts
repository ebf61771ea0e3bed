import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One DynamoDB Local and one SES emulator for the whole run; each test file gets its own table.
    globalSetup: ['test/support/global-setup.ts'],
    // Tests wait on events (drain, tick), never on sleeps; this is only the net for a test that hangs. On a
    // loaded 2-core machine a virtual-time test legitimately takes longer than 30 s, which is not a failure.
    // Every lead's events now also feed the funnel read model and SES's Send/Delivery reports, all in one process here.
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
