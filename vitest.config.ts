import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'scenarios/**/*.test.ts', 'dashboards/**/*.test.ts'],
    // integration tests run k6 for tens of seconds against real servers
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // two cores: integration files must not run their k6 loads at the same time
    fileParallelism: false,
  },
});
