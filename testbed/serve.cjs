// What `bp serve` does once its CLI is up (@botpress/cli serve-command.js): require the built bundle and start it on
// the port. Without the CLI, a start costs a third of the CPU: `bp serve` re-bundles integration.definition.ts with
// esbuild on every start, which `bp build` has already checked.
const [bundle, port] = process.argv.slice(2)
require(bundle).default.start(Number(port))

// A test runner killed outright cannot stop its copies: a copy whose parent is gone stops itself.
const parent = process.ppid
setInterval(() => process.ppid !== parent && process.exit(0), 1000).unref()
