import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // Each end-to-end file starts its own served copies and spends much of its time waiting on timers and sockets:
    // three forks overlap that waiting on two cores (shared by both projects) without starving the timing tests.
    // The forks are kept for the whole run (isolate: false, and never shrunk: tinypool's idle shrink kills a fork's
    // teardown when forks are reused), so that a file does not pay a new process and a new load of node_modules.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 3, minForks: 3, isolate: false } },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    passWithNoTests: false,
    projects: [
      // The tests next to the code: no build, no served bundle (`.botpress` is imported for types only). They share
      // their modules within a fork; none keeps state between files (env stubs are undone, no module is mocked).
      { extends: true, test: { name: 'unit', include: ['src/**/*.test.ts'] } },
      {
        extends: true,
        // Each end-to-end file gets its own copy of the project's modules (emulators, test bed) in a reused fork.
        test: {
          name: 'e2e',
          include: ['emulators/**/*.test.ts', 'test/**/*.test.ts'],
          poolOptions: { forks: { isolate: true } },
        },
      },
    ],
  },
})
