import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // integration tests run k6 for tens of seconds against real servers
    testTimeout: 30_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'scenarios/**/*.test.ts', 'dashboards/**/*.test.ts'],
          // CPU-bound and independent: both cores (vitest would keep one free), before the integration tests start
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          // two cores: integration files must not run their k6 loads at the same time, nor beside the unit tests
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
