import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // Each end-to-end file starts its own `bp serve`; two cores, so keep the pool small (shared by both projects).
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    passWithNoTests: false,
    projects: [
      // The tests next to the code: no build, no served bundle (`.botpress` is imported for types only).
      { extends: true, test: { name: 'unit', include: ['src/**/*.test.ts'] } },
      { extends: true, test: { name: 'e2e', include: ['emulators/**/*.test.ts', 'test/**/*.test.ts'] } },
    ],
  },
})
