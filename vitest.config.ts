import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One initialised state directory (replay journals) for the run, outside the user's home.
    globalSetup: ['test/fixtures/state-home.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Socket and process tests bind real ports; a 2-core machine runs them best two at a time.
    maxWorkers: 2,
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
    },
  },
})
