/**
 * Endpoints kept per delivery worker (Lambda container) for a few seconds, so a busy endpoint is
 * read once per TTL instead of once per webhook: at K endpoints per message and batches of 10, the
 * endpoint read was the largest read cost of a delivery.
 *
 * The consequence, documented for operators: an endpoint update, disable or secret rotation reaches a
 * warm worker within the TTL (DELIVERY.defaultEndpointCacheSeconds, env SLUICE_ENDPOINT_CACHE_SECONDS;
 * 0 turns the cache off). Retries and manual attempts skip the cache (core/delivery/lookups.ts), so a
 * fixed or disabled endpoint is seen by the next retry at once, and a task is never dropped on the
 * cache's word (core/delivery/deliver-task.ts confirms "disabled" or "deleted" first): a re-enable is immediate.
 *
 * Values are promises, so concurrent tasks for one endpoint share one read; a failed read is forgotten.
 * "Not found" is cached too: fan-out only queues tasks for endpoints that exist, and a miss is
 * confirmed with a consistent read before it gets here, so it means the endpoint was deleted.
 */
import type { Endpoint } from '../model.ts';

/** Entries kept at most; beyond this the oldest is dropped (a worker rarely meets this many endpoints). */
export const ENDPOINT_CACHE_MAX_ENTRIES = 10_000;

export interface EndpointCache {
  /** The cached endpoint if still fresh, else `load()`'s result (which is then cached). */
  get(appId: string, endpointId: string, load: () => Promise<Endpoint | undefined>): Promise<Endpoint | undefined>;
  /** Replaces the entry with a read made elsewhere (a fresh read for a retry), restarting its TTL. */
  put(appId: string, endpointId: string, value: Promise<Endpoint | undefined>): void;
}

interface Entry {
  value: Promise<Endpoint | undefined>;
  expiresAtMs: number;
}

/** `ttlSeconds` 0 (or less): nothing is kept, every get() loads. `nowMs` is a seam for tests. */
export function createEndpointCache(ttlSeconds: number, nowMs: () => number = Date.now): EndpointCache {
  const entries = new Map<string, Entry>();
  const ttlMs = ttlSeconds * 1000;

  function put(appId: string, endpointId: string, value: Promise<Endpoint | undefined>): void {
    if (ttlMs <= 0) return;
    const cacheKey = `${appId}/${endpointId}`;
    const entry = { value, expiresAtMs: nowMs() + ttlMs };
    entries.delete(cacheKey);
    entries.set(cacheKey, entry);
    if (entries.size > ENDPOINT_CACHE_MAX_ENTRIES) {
      const oldest = entries.keys().next().value;
      if (oldest !== undefined) entries.delete(oldest);
    }
    // Only the entry made for this read is dropped: a newer one may have replaced it meanwhile.
    value.catch(() => {
      if (entries.get(cacheKey) === entry) entries.delete(cacheKey);
    });
  }

  return {
    get(appId, endpointId, load) {
      const entry = entries.get(`${appId}/${endpointId}`);
      if (entry !== undefined && entry.expiresAtMs > nowMs()) return entry.value;
      const value = load();
      put(appId, endpointId, value);
      return value;
    },
    put,
  };
}
