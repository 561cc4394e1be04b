import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The web console's static build, which the console function inlines (console/build.ts).
    globalSetup: ['test/support/console-build.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    env: { POWERTOOLS_LOG_LEVEL: 'SILENT', AWS_SDK_JS_SUPPRESS_NODE_DEPRECATION_WARNING: '1' },
    // Suites that start servers bind their own ephemeral ports, so they can run in parallel.
    fileParallelism: true,
  },
});
