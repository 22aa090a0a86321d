/** The delivery lanes' per-worker picture (functions/core/isolation/endpoint-lanes.ts), on a fake clock. */
import { createEndpointLanes, type EndpointLaneStore } from '../../functions/core/isolation/endpoint-lanes.ts';

const settings = { slowAfterMs: 2_000, slowForMs: 600_000, maxInFlightPerEndpoint: 3 };
const A = { appId: 'app_a', id: 'ep_a' };
const B = { appId: 'app_b', id: 'ep_b' };

function setup() {
  let t = 1_000_000;
  const writes: [string, string | null][] = [];
  const store: EndpointLaneStore = {
    setSlowUntil: async (appId, endpointId, until) => void writes.push([`${appId}/${endpointId}`, until]),
  };
  const lanes = createEndpointLanes({ settings, store, now: () => t });
  return { lanes, writes, advance: (ms: number) => (t += ms), now: () => t };
}

/** One quick answer: the worker now knows the endpoint is responsive. */
async function prove(lanes: ReturnType<typeof setup>['lanes'], endpoint: typeof A): Promise<void> {
  await lanes.track(endpoint)({ durationMs: 10, timedOut: false });
}

test('a healthy endpoint stays in the fast lane and costs no writes', async () => {
  const { lanes, writes, advance } = setup();
  for (let i = 0; i < 50; i++) {
    expect(await lanes.divert(A)).toBeUndefined();
    const end = lanes.track(A);
    advance(30);
    await end({ durationMs: 30, timedOut: false });
  }
  expect(writes).toEqual([]);
});

test('a new endpoint gets one probe at a time; its other tasks move to the slow lane until it answers quickly', async () => {
  const { lanes, advance } = setup();
  expect(await lanes.divert(A)).toBeUndefined();
  const probe = lanes.track(A);
  expect(await lanes.divert(A)).toBe('too-many-in-flight');
  expect(await lanes.divert(B)).toBeUndefined(); // other endpoints never wait for A
  advance(40);
  await probe({ durationMs: 40, timedOut: false });
  // Proven: several in flight now.
  for (let i = 0; i < settings.maxInFlightPerEndpoint; i++) {
    expect(await lanes.divert(A)).toBeUndefined();
    lanes.track(A);
  }
  expect(await lanes.divert(A)).toBe('too-many-in-flight');
});

test('a proven endpoint is proven for slowForMs after its last quick answer, then probed again', async () => {
  const { lanes, advance } = setup();
  await prove(lanes, A);
  advance(settings.slowForMs - 1);
  lanes.track(A);
  expect(await lanes.divert(A)).toBeUndefined();
  advance(1);
  expect(await lanes.divert(A)).toBe('too-many-in-flight');
});

test('at most maxInFlightPerEndpoint attempts to a proven endpoint; the next goes to the slow lane; others are unaffected', async () => {
  const { lanes } = setup();
  await prove(lanes, A);
  for (let i = 0; i < 3; i++) {
    expect(await lanes.divert(A)).toBeUndefined();
    lanes.track(A);
  }
  expect(await lanes.divert(A)).toBe('too-many-in-flight');
  expect(await lanes.divert(B)).toBeUndefined();
});

test('an attempt in flight for slowAfterMs marks the endpoint slow (one write), before it times out', async () => {
  const { lanes, writes, advance, now } = setup();
  await prove(lanes, A);
  const end = lanes.track(A);
  advance(1_999);
  expect(await lanes.divert(A)).toBeUndefined();
  advance(1);
  expect(await lanes.divert(A)).toBe('attempt-in-flight-too-long');
  expect(writes).toEqual([['app_a/ep_a', new Date(now() + settings.slowForMs).toISOString()]]);
  // Marked now: diverted without looking at the attempt, and no second write.
  expect(await lanes.divert(A)).toBe('marked-slow');
  await end({ durationMs: 15_000, timedOut: true });
  expect(writes).toHaveLength(1);
});

test('a persisted mark read with the endpoint diverts in a worker that never saw the endpoint', async () => {
  const { lanes, now } = setup();
  expect(await lanes.divert({ ...A, slowUntil: new Date(now() + 60_000).toISOString() })).toBe('marked-slow');
  expect(await lanes.divert({ ...A, slowUntil: new Date(now() - 1).toISOString() })).toBeUndefined();
});

test('a quick answer clears the mark (one write); the mark also lapses after slowForMs', async () => {
  const { lanes, writes, advance, now } = setup();
  await lanes.track(A)({ durationMs: 5_000, timedOut: false });
  expect(writes.at(-1)![1]).toBe(new Date(now() + settings.slowForMs).toISOString());
  expect(await lanes.divert(A)).toBe('marked-slow');
  await lanes.track(A)({ durationMs: 40, timedOut: false });
  expect(writes.at(-1)).toEqual(['app_a/ep_a', null]);
  expect(await lanes.divert(A)).toBeUndefined();

  await lanes.track(A)({ durationMs: 15_000, timedOut: true });
  advance(settings.slowForMs - 1);
  expect(await lanes.divert(A)).toBe('marked-slow');
  advance(1);
  expect(await lanes.divert(A)).toBeUndefined();
});

test('a slow endpoint extends its mark only when less than half of it is left', async () => {
  const { lanes, writes, advance } = setup();
  await lanes.track(A)({ durationMs: 15_000, timedOut: true });
  advance(settings.slowForMs / 4);
  await lanes.track(A)({ durationMs: 15_000, timedOut: true });
  expect(writes).toHaveLength(1);
  advance(settings.slowForMs / 2);
  await lanes.track(A)({ durationMs: 15_000, timedOut: true });
  expect(writes).toHaveLength(2);
});

test('a failing store costs the mark, never the delivery', async () => {
  const errors: unknown[] = [];
  const lanes = createEndpointLanes({
    settings,
    store: { setSlowUntil: async () => Promise.reject(new Error('table down')) },
    onStoreError: (error) => errors.push(error),
  });
  await expect(lanes.track(A)({ durationMs: 15_000, timedOut: true })).resolves.toBeUndefined();
  expect(errors).toHaveLength(1);
  expect(await lanes.divert(A)).toBe('marked-slow');
});
