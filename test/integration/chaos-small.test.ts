/**
 * The chaos suite, small enough for `npm test`: 100 messages × 3 endpoints through the local stack,
 * delivery workers in child processes (one SIGKILLed mid-batch and replaced), a receiver injecting
 * faults into 30 % of requests (500, 429 + Retry-After, hangs past the attempt timeout, connection
 * resets, slow answers), and a compressed retry schedule. Nothing may be lost: every pair is either
 * delivered or recorded as failed after its last attempt. Duplicates are reported, not failed on
 * (a killed worker's in-flight webhooks are sent again: at-least-once). The big run: npm run bench:chaos.
 */
import { runChaos } from '../support/chaos-harness.ts';

test('100 messages × 3 endpoints, 30 % faults, a worker killed mid-batch: 0 lost', async () => {
  const report = await runChaos({
    messages: 100,
    endpoints: 3,
    faultRate: 0.3,
    seed: 7,
    schedule: [1, 1, 1, 2, 2],
    // Short enough that hangs cost little, long enough that a loaded 2-core machine answers in time
    // (a timeout on a request the receiver did answer is a duplicate, not a loss).
    attemptTimeoutMs: 1_200,
    consumerTimeoutSeconds: 1.5,
    workers: 2,
    pollersPerWorker: 3,
    killAt: [0.15],
    publishConcurrency: 16,
    drainTimeoutMs: 90_000,
  });
  console.log(`chaos (small): ${JSON.stringify(report)}`);
  expect(report.lost).toBe(0);
  expect(report.delivered + report.exhausted).toBe(report.expected);
  expect(report.workersKilled).toBe(1);
  // The faults really happened, and every kind of them.
  expect(report.requests).toBeGreaterThan(report.expected);
  for (const count of Object.values(report.faults)) expect(count).toBeGreaterThan(0);
}, 150_000);
