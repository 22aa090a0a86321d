// Mutation testing of the pure domain (functions/core), driven by the unit tests and the integration
// tests that need no emulator. Run with `npm run test:mutation` (one module: `-- --mutate <file>`); it
// is not part of `npm test` (it reruns the tests once per mutant). Results: reports/mutation/README.md.
// Concurrency 1: the machine is shared, and every mutant run is a Jest run.
import process from 'node:process';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'jest',
  testRunnerNodeArgs: ['--experimental-vm-modules'],
  jest: {
    projectType: 'custom',
    configFile: 'jest.config.js',
    config: {
      // The unit tests and the integration tests that need no emulator (real sockets on 127.0.0.1 only):
      // a DynamoDB Local start per mutant run would cost seconds each.
      testMatch: [
        '<rootDir>/test/unit/**/*.test.ts',
        '<rootDir>/test/integration/ssrf-sender.test.ts',
        '<rootDir>/test/integration/webhook-sender-http.test.ts',
      ],
      maxWorkers: 1,
    },
    enableFindRelatedTests: true,
  },
  mutate: [
    'functions/core/delivery/retry-policy.ts',
    'functions/core/delivery/plan.ts',
    'functions/core/signing/webhook-headers.ts',
    'functions/core/fanout/routing.ts',
    'functions/core/throttle/throttle.ts',
    'functions/core/network/address-policy.ts',
    'functions/core/network/ip.ts',
    'functions/core/pagination.ts',
    'functions/core/ids.ts',
    'functions/core/endpoints/health.ts',
  ],
  coverageAnalysis: 'perTest',
  // Static mutants (module-level tables and constants: most of them the address policy's range table)
  // rerun every related test file each; on a shared 2-core machine they took 87 % of the run time.
  // STRYKER_STATIC=1 npm run test:mutation includes them (reports/mutation/README.md has both).
  ignoreStatic: process.env.STRYKER_STATIC !== '1',
  concurrency: 1,
  checkers: [],
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: process.env.STRYKER_REPORT ?? 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: (process.env.STRYKER_REPORT ?? 'reports/mutation/mutation.json').replace(/\.json$/, '.html') },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
