import process from 'node:process';

// DynamoDB Local JVMs here live seconds: C1-only JIT and the serial GC halve their CPU (a test file's
// CPU time roughly halves on a 2-core machine), and the suite is CPU-bound. Workers inherit it.
process.env.SLUICE_DYNAMODB_JVM_OPTIONS ??= '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC';

/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, isolatedModules: true }] },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testTimeout: 60_000,
  // Jest's default on this 2-core machine is 1 worker; most integration files wait on timers and I/O
  // (retry schedules, emulators), so 2 workers cut the suite's wall time by about a third.
  maxWorkers: 2,
};
