import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each file runs in its own process: servers and native engines never share state.
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
