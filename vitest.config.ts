import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // Each end-to-end file starts its own `bp serve` and spends much of its time waiting on timers and sockets: three
    // forks overlap that waiting on two cores (shared by both projects) without starving the timing tests.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 3, minForks: 3, isolate: false } },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    passWithNoTests: false,
    projects: [
      // The tests next to the code: no build, no served bundle (`.botpress` is imported for types only).
      { extends: true, test: { name: 'unit', include: ['src/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['emulators/**/*.test.ts', 'test/**/*.test.ts'],
          poolOptions: { forks: { isolate: true } },
        },
      },
    ],
  },
})
