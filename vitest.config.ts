import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // Suites that start servers bind their own ephemeral ports, so they can run in parallel.
    fileParallelism: true,
  },
});
