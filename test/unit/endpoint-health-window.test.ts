/**
 * The endpoint health tracker's decisions with an in-memory store and a hand-moved clock: when a run
 * of failures disables, how long a worker trusts what it read (healthCacheMs: "at most a minute", and a
 * hundredth of short windows), and what it writes. The store here is a plain Map standing in for the
 * DynamoDB adapter (its conditional writes are tested against DynamoDB Local in
 * test/integration/endpoint-health-store.test.ts).
 */
import { createEndpointHealthTracker, healthCacheMs, type EndpointHealthStore } from '../../functions/core/endpoints/health.ts';

const DAY = 86_400_000;
const T0 = Date.parse('2026-01-01T00:00:00.000Z');

interface MemoryStore extends EndpointHealthStore {
  calls: string[];
  runs: Map<string, string>;
  disabled: Set<string>;
}

/** Behaves like the DynamoDB adapter: markFailing keeps a running run, disable is conditional on it. */
function memoryStore(): MemoryStore {
  const runs = new Map<string, string>();
  const disabled = new Set<string>();
  const calls: string[] = [];
  const k = (appId: string, endpointId: string): string => `${appId}/${endpointId}`;
  return {
    calls,
    runs,
    disabled,
    async failingSince(appId, endpointId) {
      calls.push('read');
      return runs.get(k(appId, endpointId)) ?? null;
    },
    async markFailing(appId, endpointId, at) {
      calls.push(`markFailing ${at}`);
      const key = k(appId, endpointId);
      if (!runs.has(key)) runs.set(key, at);
      return runs.get(key)!;
    },
    async markHealthy(appId, endpointId, at) {
      calls.push(`markHealthy ${at}`);
      runs.delete(k(appId, endpointId));
    },
    async disable(appId, endpointId, failingSince, at) {
      calls.push(`disable ${failingSince} ${at}`);
      const key = k(appId, endpointId);
      if (disabled.has(key)) return false;
      if (failingSince !== null && runs.get(key) !== failingSince) return false;
      disabled.add(key);
      runs.delete(key);
      return true;
    },
  };
}

function clock(start = T0): { now: () => Date; advance: (ms: number) => void } {
  let t = start;
  return { now: () => new Date(t), advance: (ms) => void (t += ms) };
}

const iso = (ms: number): string => new Date(ms).toISOString();

describe('healthCacheMs', () => {
  it('is a hundredth of the window, at most a minute, never negative', () => {
    expect(healthCacheMs(5 * DAY)).toBe(60_000);
    expect(healthCacheMs(6_000_000)).toBe(60_000);
    expect(healthCacheMs(5_999_900)).toBe(59_999);
    expect(healthCacheMs(2_000)).toBe(20);
    expect(healthCacheMs(199)).toBe(1);
    expect(healthCacheMs(99)).toBe(0);
    expect(healthCacheMs(0)).toBe(0);
    expect(healthCacheMs(-1_000)).toBe(0);
  });
});

describe('endpoint health tracker', () => {
  it('disables once failures span the window, not a millisecond before, and reports when the run began', async () => {
    const store = memoryStore();
    const c = clock();
    const tracker = createEndpointHealthTracker({ store, disableAfterMs: 10_000, now: c.now, cacheMs: 0 });
    expect(await tracker.failed('app', 'ep')).toEqual({ disabled: false });
    expect(store.runs.get('app/ep')).toBe(iso(T0));
    c.advance(9_999);
    expect(await tracker.failed('app', 'ep')).toEqual({ disabled: false });
    expect(store.disabled.size).toBe(0);
    c.advance(1);
    expect(await tracker.failed('app', 'ep')).toEqual({ disabled: true, failSince: iso(T0) });
    expect(store.calls.at(-1)).toBe(`disable ${iso(T0)} ${iso(T0 + 10_000)}`);
    expect(store.disabled.has('app/ep')).toBe(true);
  });

  it('a success ends the run: the window starts again at the next failure', async () => {
    const store = memoryStore();
    const c = clock();
    const tracker = createEndpointHealthTracker({ store, disableAfterMs: 10_000, now: c.now, cacheMs: 0 });
    await tracker.failed('app', 'ep');
    c.advance(6_000);
    await tracker.succeeded('app', 'ep');
    expect(store.calls).toContain(`markHealthy ${iso(T0 + 6_000)}`);
    expect(store.runs.has('app/ep')).toBe(false);
    c.advance(1_000);
    await tracker.failed('app', 'ep');
    c.advance(9_000); // 16 s after the first failure, 9 s into the new run
    expect(await tracker.failed('app', 'ep')).toEqual({ disabled: false });
    c.advance(1_000);
    expect(await tracker.failed('app', 'ep')).toEqual({ disabled: true, failSince: iso(T0 + 7_000) });
  });

  it('a success on a healthy endpoint writes nothing', async () => {
    const store = memoryStore();
    const tracker = createEndpointHealthTracker({ store, disableAfterMs: 10_000, now: clock().now, cacheMs: 0 });
    await tracker.succeeded('app', 'ep');
    expect(store.calls).toEqual(['read']);
  });

  it('trusts what it read for cacheMs, and reads again after', async () => {
    const store = memoryStore();
    const c = clock();
    const tracker = createEndpointHealthTracker({ store, disableAfterMs: 10 * DAY, now: c.now });
    // 10 days → the cache is capped at one minute.
    await tracker.succeeded('app', 'ep');
    c.advance(59_999);
    await tracker.succeeded('app', 'ep');
    expect(store.calls).toEqual(['read']);
    c.advance(1);
    await tracker.succeeded('app', 'ep');
    expect(store.calls).toEqual(['read', 'read']);
    // Another endpoint has its own entry.
    await tracker.succeeded('app', 'ep2');
    expect(store.calls).toEqual(['read', 'read', 'read']);
  });

  it('a failure remembers the run it started, so the next failures make no reads or writes', async () => {
    const store = memoryStore();
    const c = clock();
    const tracker = createEndpointHealthTracker({ store, disableAfterMs: DAY, now: c.now });
    await tracker.failed('app', 'ep');
    c.advance(1_000);
    await tracker.failed('app', 'ep');
    await tracker.failed('app', 'ep');
    expect(store.calls).toEqual(['read', `markFailing ${iso(T0)}`]);
    // And a success after it is not skipped as "already healthy".
    await tracker.succeeded('app', 'ep');
    expect(store.calls.at(-1)).toBe(`markHealthy ${iso(T0 + 1_000)}`);
    // …after which it knows the endpoint is healthy: no read for the next success.
    await tracker.succeeded('app', 'ep');
    expect(store.calls).toHaveLength(3);
  });

  it('a stale view cannot disable: the store refuses a run that is not the one this worker saw', async () => {
    const store = memoryStore();
    const c = clock();
    const a = createEndpointHealthTracker({ store, disableAfterMs: 10_000, now: c.now, cacheMs: 60_000 });
    const b = createEndpointHealthTracker({ store, disableAfterMs: 10_000, now: c.now, cacheMs: 0 });
    await a.failed('app', 'ep'); // A remembers the run that began at T0
    c.advance(1_000);
    await b.succeeded('app', 'ep'); // B ends it
    c.advance(1_000);
    await b.failed('app', 'ep'); // and B starts another at T0 + 2 s
    c.advance(8_500);
    expect(await a.failed('app', 'ep')).toEqual({ disabled: false });
    expect(store.disabled.size).toBe(0);
    // A forgot what it saw: its next failure reads the current run, which is not yet 10 s old.
    expect(await a.failed('app', 'ep')).toEqual({ disabled: false });
    expect(store.calls.filter((call) => call === 'read').length).toBeGreaterThanOrEqual(2);
    c.advance(1_500);
    expect(await a.failed('app', 'ep')).toEqual({ disabled: true, failSince: iso(T0 + 2_000) });
  });

  it('410 Gone disables at once, unconditionally, and forgets the cached run', async () => {
    const store = memoryStore();
    const c = clock();
    const tracker = createEndpointHealthTracker({ store, disableAfterMs: DAY, now: c.now });
    await tracker.failed('app', 'ep');
    c.advance(5);
    expect(await tracker.gone('app', 'ep')).toBe(true);
    expect(store.calls.at(-1)).toBe(`disable null ${iso(T0 + 5)}`);
    expect(await tracker.gone('app', 'ep')).toBe(false);
    // Re-enabled (the store forgets it was disabled): the next failure starts a new run, read fresh.
    store.disabled.clear();
    c.advance(5);
    await tracker.failed('app', 'ep');
    expect(store.runs.get('app/ep')).toBe(iso(T0 + 10));
  });
});
