/** The delivery worker's endpoint cache (functions/core/delivery/endpoint-cache.ts), on a fake clock. */
import { ENDPOINT_CACHE_MAX_ENTRIES, createEndpointCache } from '../../functions/core/delivery/endpoint-cache.ts';
import type { Endpoint } from '../../functions/core/model.ts';

const endpoint = (id: string) => ({ id, appId: 'app_1', url: `https://example.com/${id}` }) as Endpoint;

function counter(value: Endpoint | undefined) {
  const calls = { n: 0 };
  return { calls, load: async () => (calls.n++, value) };
}

describe('endpoint cache', () => {
  it('serves an entry until its TTL has passed, then loads again', async () => {
    let now = 0;
    const cache = createEndpointCache(5, () => now);
    const { calls, load } = counter(endpoint('ep_1'));
    expect(await cache.get('app_1', 'ep_1', load)).toEqual(endpoint('ep_1'));
    now = 4_999;
    await cache.get('app_1', 'ep_1', load);
    expect(calls.n).toBe(1);
    now = 5_000;
    await cache.get('app_1', 'ep_1', load);
    expect(calls.n).toBe(2);
  });

  it('keeps endpoints apart by app and id, and caches "not found"', async () => {
    const cache = createEndpointCache(5, () => 0);
    const missing = counter(undefined);
    expect(await cache.get('app_1', 'ep_gone', missing.load)).toBeUndefined();
    expect(await cache.get('app_1', 'ep_gone', missing.load)).toBeUndefined();
    expect(missing.calls.n).toBe(1);
    const other = counter(endpoint('ep_gone'));
    expect(await cache.get('app_2', 'ep_gone', other.load)).toEqual(endpoint('ep_gone'));
  });

  it('keeps nothing at 0 seconds', async () => {
    const cache = createEndpointCache(0, () => 0);
    const { calls, load } = counter(endpoint('ep_1'));
    await cache.get('app_1', 'ep_1', load);
    await cache.get('app_1', 'ep_1', load);
    cache.put('app_1', 'ep_1', Promise.resolve(endpoint('ep_1')));
    await cache.get('app_1', 'ep_1', load);
    expect(calls.n).toBe(3);
  });

  it('shares one in-flight read, and forgets a failed one', async () => {
    const cache = createEndpointCache(5, () => 0);
    let calls = 0;
    const failing = async () => {
      calls++;
      throw new Error('throttled');
    };
    const both = await Promise.allSettled([cache.get('app_1', 'ep_1', failing), cache.get('app_1', 'ep_1', failing)]);
    expect(both.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(calls).toBe(1);
    const { load } = counter(endpoint('ep_1'));
    expect(await cache.get('app_1', 'ep_1', load)).toEqual(endpoint('ep_1'));
  });

  it('put() replaces an entry and restarts its TTL', async () => {
    let now = 0;
    const cache = createEndpointCache(5, () => now);
    const { calls, load } = counter(endpoint('ep_1'));
    await cache.get('app_1', 'ep_1', load);
    now = 4_000;
    const disabled = { ...endpoint('ep_1'), disabled: true };
    cache.put('app_1', 'ep_1', Promise.resolve(disabled));
    now = 8_000;
    expect(await cache.get('app_1', 'ep_1', load)).toEqual(disabled);
    expect(calls.n).toBe(1);
  });

  it(`holds at most ${ENDPOINT_CACHE_MAX_ENTRIES} entries, dropping the oldest`, async () => {
    const cache = createEndpointCache(60, () => 0);
    for (let i = 0; i <= ENDPOINT_CACHE_MAX_ENTRIES; i++) cache.put('app_1', `ep_${i}`, Promise.resolve(endpoint(`ep_${i}`)));
    const first = counter(endpoint('ep_0'));
    const last = counter(endpoint(`ep_${ENDPOINT_CACHE_MAX_ENTRIES}`));
    await cache.get('app_1', 'ep_0', first.load);
    await cache.get('app_1', `ep_${ENDPOINT_CACHE_MAX_ENTRIES}`, last.load);
    expect(first.calls.n).toBe(1);
    expect(last.calls.n).toBe(0);
  });
});
