/**
 * One customer's broken endpoint never slows another's (functions/core/isolation/endpoint-lanes.ts).
 * App A's endpoint accepts connections and never answers (a raw TCP listener); 300 messages go to it.
 * Then app B publishes 60 messages at 4/s to a healthy receiver. With the default timeouts (15 s per
 * attempt), B's publish→delivery latency must stay what it is on an idle stack: A's attempts move to
 * the slow lane within seconds and never hold the fast lane's capacity. (Without the slow lane, the
 * same run gives B a p95 of about 12 s on this machine.) `npm run bench:chaos` runs it at scale.
 *
 * The bounds here catch the coupling (seconds: B's tasks waiting behind A's 15 s attempts) with room for
 * a busy CI machine; the ≤ 500 ms p95 target is a figure, measured and printed by
 * `npm run bench:chaos -- --scenario noisy` (a timed test at that bound flaked when other suites ran).
 */
import { runNoisyNeighbour } from '../support/noisy-neighbour.ts';

test("a hanging endpoint of app A does not hold app B's webhooks behind its attempts: p95 ≤ 2 s, max ≤ 4 s", async () => {
  const report = await runNoisyNeighbour({ noisyApps: 1, floodPerApp: 300, healthyMessages: 60, healthyPerSecond: 4 });
  expect(report.hangingConnections).toBeGreaterThan(0); // A really is hanging, not refused
  expect(report.latenciesMs).toHaveLength(60);
  expect(report.latencyMs.p95).toBeLessThanOrEqual(2_000);
  expect(report.latencyMs.max).toBeLessThanOrEqual(4_000);
}, 180_000);
