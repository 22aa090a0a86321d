/**
 * Message and endpoint reads of the delivery path.
 *
 * - Per batch: ten tasks for one message (or one endpoint) read it once.
 * - Per worker: endpoints also come from ./endpoint-cache.ts (a few seconds' TTL) unless the task
 *   asks for a fresher read (see EndpointRead).
 * - Eventually consistent (half the read units). Messages are never updated, and every task is queued
 *   after its message and endpoint were written, so the only risk is a miss on a replica that has not
 *   seen the write yet: every miss is confirmed with a consistent read before it counts (a missing
 *   message makes the task poison, a missing endpoint drops it). A stale endpoint version is at most
 *   what the cache already allows.
 */
import type { EndpointCache } from './endpoint-cache.ts';
import type { Application, Endpoint, Message } from '../model.ts';
import type { ApplicationStore, EndpointStore, MessageStore, ReadConsistency } from '../ports.ts';

/**
 * How fresh an endpoint must be:
 * - 'cached': the worker's cache (TTL) or an eventually consistent read: first attempts.
 * - 'fresh': skips the cache, eventually consistent (replicas lag by well under a second): a task
 *   received again (retry, throttle hold, crashed worker), so a fixed URL or a disable is seen at once.
 * - 'consistent': skips the cache, strongly consistent: manual attempts (resend/recover), which a
 *   user often starts right after editing the endpoint.
 * Each refreshes the worker's cache.
 */
export type EndpointRead = 'cached' | 'fresh' | 'consistent';

export interface DeliveryLookups {
  message(appId: string, msgId: string): Promise<Message | undefined>;
  endpoint(appId: string, endpointId: string, read?: EndpointRead): Promise<Endpoint | undefined>;
  /** Only operational webhooks need it (appUid); undefined when the lookups were built without applications. */
  application(appId: string): Promise<Application | undefined>;
}

/** Shares one read per key among concurrent and later callers (one batch's worth); a failed read is dropped. */
export function memoize<T>(load: (appId: string, id: string) => Promise<T>): (appId: string, id: string) => Promise<T> {
  const cache = new Map<string, Promise<T>>();
  return (appId, id) => {
    const key = `${appId}/${id}`;
    let hit = cache.get(key);
    if (hit === undefined) {
      hit = load(appId, id);
      // A failed read is not cached: another task of the batch may try again.
      hit.catch(() => cache.delete(key));
      cache.set(key, hit);
    }
    return hit;
  };
}

/** An eventually consistent read whose miss is confirmed by a consistent one. */
function confirmedRead<T>(
  read: (appId: string, id: string, options: ReadConsistency) => Promise<T | undefined>,
): (appId: string, id: string) => Promise<T | undefined> {
  return async (appId, id) => (await read(appId, id, { consistent: false })) ?? read(appId, id, { consistent: true });
}

export function createBatchLookups(
  stores: {
    messages: MessageStore;
    endpoints: EndpointStore;
    applications?: ApplicationStore;
  },
  /** The worker's endpoint cache; absent: every batch reads its endpoints. */
  endpointCache?: EndpointCache,
): DeliveryLookups {
  const applications = stores.applications;
  const application = memoize((_: string, appId: string) => applications?.get(appId) ?? Promise.resolve(undefined));
  const readEndpoint = confirmedRead((appId, id, options) => stores.endpoints.get(appId, id, options));
  const refreshed = (load: (appId: string, id: string) => Promise<Endpoint | undefined>) =>
    memoize((appId, id) => {
      const value = load(appId, id);
      endpointCache?.put(appId, id, value);
      return value;
    });
  const endpoints: Record<EndpointRead, (appId: string, id: string) => Promise<Endpoint | undefined>> = {
    cached: memoize((appId, id) =>
      endpointCache === undefined ? readEndpoint(appId, id) : endpointCache.get(appId, id, () => readEndpoint(appId, id)),
    ),
    fresh: refreshed(readEndpoint),
    consistent: refreshed((appId, id) => stores.endpoints.get(appId, id, { consistent: true })),
  };
  return {
    message: memoize(confirmedRead((appId, msgId, options) => stores.messages.get(appId, msgId, options))),
    endpoint: (appId, endpointId, read = 'cached') => endpoints[read](appId, endpointId),
    application: (appId) => application('', appId),
  };
}
