/**
 * One customer's broken endpoint never slows another's (functions/core/isolation/endpoint-lanes.ts).
 * App A's endpoint accepts connections and never answers (a raw TCP listener); 300 messages go to it.
 * Then app B publishes 60 messages at 4/s to a healthy receiver. With the default timeouts (15 s per
 * attempt), B's publish→delivery latency must stay what it is on an idle stack: A's attempts move to
 * the slow lane within seconds and never hold the fast lane's capacity. (Without the slow lane, the
 * same run gives B a p95 of about 12 s on this machine.) `npm run bench:chaos` runs it at scale.
 */
import { runNoisyNeighbour } from '../support/noisy-neighbour.ts';

test('a hanging endpoint of app A does not delay app B: p95 ≤ 500 ms, max ≤ 1.5 s', async () => {
  const report = await runNoisyNeighbour({ noisyApps: 1, floodPerApp: 300, healthyMessages: 60, healthyPerSecond: 4 });
  expect(report.hangingConnections).toBeGreaterThan(0); // A really is hanging, not refused
  expect(report.latenciesMs).toHaveLength(60);
  expect(report.latencyMs.p95).toBeLessThanOrEqual(500);
  expect(report.latencyMs.max).toBeLessThanOrEqual(1_500);
}, 180_000);
