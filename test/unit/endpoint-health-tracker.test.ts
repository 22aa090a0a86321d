/** The endpoint health tracker's reads: concurrent tasks for one endpoint share one read. */
import { createEndpointHealthTracker, type EndpointHealthStore } from '../../functions/core/endpoints/health.ts';

function countingStore(failingSince: string | null): EndpointHealthStore & { reads: number } {
  const store = {
    reads: 0,
    async failingSince() {
      store.reads++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return failingSince;
    },
    markFailing: async (_appId: string, _endpointId: string, at: string) => at,
    markHealthy: async () => undefined,
    disable: async () => false,
  };
  return store;
}

describe('endpoint health tracker', () => {
  it('concurrent successes for one endpoint make one health read, not one each', async () => {
    const store = countingStore(null);
    const tracker = createEndpointHealthTracker({ store, disableAfterMs: 5 * 86_400_000, now: () => new Date() });
    await Promise.all(Array.from({ length: 10 }, () => tracker.succeeded('app_1', 'ep_1')));
    expect(store.reads).toBe(1);
    await tracker.succeeded('app_1', 'ep_2');
    expect(store.reads).toBe(2);
  });

  it('without a cache (cacheMs 0) a later call reads again; a failed read is not shared with later calls', async () => {
    const store = countingStore(null);
    const tracker = createEndpointHealthTracker({ store, disableAfterMs: 5 * 86_400_000, now: () => new Date(), cacheMs: 0 });
    await tracker.succeeded('app_1', 'ep_1');
    await tracker.succeeded('app_1', 'ep_1');
    expect(store.reads).toBe(2);

    let fail = true;
    const flaky: EndpointHealthStore = {
      ...store,
      failingSince: async () => {
        if (fail) throw new Error('throttled');
        return null;
      },
    };
    const again = createEndpointHealthTracker({ store: flaky, disableAfterMs: 5 * 86_400_000, now: () => new Date() });
    await expect(again.succeeded('app_1', 'ep_1')).rejects.toThrow('throttled');
    fail = false;
    await expect(again.succeeded('app_1', 'ep_1')).resolves.toBeUndefined();
  });
});
