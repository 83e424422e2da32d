import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{hub,machines,workers,clients,load-tests}/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    retry: 0,
  },
});
