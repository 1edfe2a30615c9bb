import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'packages/console/web/**/*.test.ts',
      'test/**/*.test.ts',
      'benchmarks/src/**/*.test.ts',
    ],
    reporters: ['default', './vitest-summary-reporter.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // 2-core machines: keep parallelism modest so timing-sensitive suites stay honest.
    maxWorkers: 2,
  },
});
