/**
 * Enforced throttling end to end: the local stack with TWO independent sets of delivery workers (the
 * stack's own pollers and a second set attached to the same emulators, each with its own throttle
 * cache, so they coordinate only through DynamoDB), an endpoint with throttleRate 2 (svix SDK), and
 * 10 messages published at once. The receiver must never see more than rate + 1 (the documented burst)
 * requests in any 1-second window, and must get all 10: excess is delayed, never dropped.
 */
import { Svix } from 'svix';
import { startSluice, type RunningSluice } from '../../local/stack.ts';
import { startWorkers, type RunningWorkers } from '../../local/workers.ts';
import { startReceiver, type Receiver } from '../support/receiver.ts';

const RATE = 2;
const BURST = 1;

let sluice: RunningSluice;
let moreWorkers: RunningWorkers;
let receiver: Receiver;

beforeAll(async () => {
  [sluice, receiver] = await Promise.all([
    startSluice({ port: 0, retryScheduleSeconds: [1], logLevel: 'SILENT', pollers: { delivery: 3 } }),
    startReceiver(),
  ]);
  moreWorkers = await startWorkers({ stack: sluice, retryScheduleSeconds: [1], logLevel: 'SILENT', pollers: { fanout: 0, delivery: 3 } });
});

afterAll(async () => {
  await moreWorkers?.stop();
  await receiver?.close();
  await sluice?.stop();
});

/** The most arrivals inside any window [t, t + windowMs). */
function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

test('an endpoint with throttleRate 2 gets 10 messages at most rate + 1 per second, none dropped', async () => {
  const svix = new Svix(sluice.adminToken, { serverUrl: sluice.url });
  const app = await svix.application.create({ name: 'throttled' });
  const endpoint = await svix.endpoint.create(app.id, { url: `${receiver.url}/slow-down`, throttleRate: RATE });
  expect(endpoint.throttleRate).toBe(RATE);
  const unthrottled = await svix.endpoint.create(app.id, { url: `${receiver.url}/free` });
  expect(unthrottled.throttleRate ?? null).toBeNull();

  const published = await Promise.all(
    Array.from({ length: 10 }, (_, i) => svix.message.create(app.id, { eventType: 'load.test', payload: { i } })),
  );
  const hits = await receiver.waitFor('/slow-down', 10, 20_000);
  await receiver.waitFor('/free', 10, 5_000);

  const times = hits.map((hit) => hit.receivedAt);
  expect(maxInWindow(times, 1_000)).toBeLessThanOrEqual(RATE + BURST);
  const ids = hits.map((hit) => String(hit.headers['webhook-id']));
  expect(new Set(ids)).toEqual(new Set(published.map((m) => m.id)));
  // Ten sends two a second apart take at least 4.5 s, minus timer and network jitter.
  expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(4_000);
  // The unthrottled endpoint of the same app is not slowed down: it gets more in one second than the
  // throttle would ever let through (all ten are sent at once; a loaded machine still overlaps them).
  const free = receiver.received.filter((r) => r.path === '/free').map((r) => r.receivedAt);
  expect(maxInWindow(free, 1_000)).toBeGreaterThan(RATE + BURST);
});
