/**
 * Message and endpoint reads shared by the tasks of one batch: ten tasks for one message (or one
 * endpoint) read it once. Scoped to a batch so edits to an endpoint are seen by the next batch.
 */
import type { Application, Endpoint, Message } from './model.ts';
import type { ApplicationStore, EndpointStore, MessageStore } from './ports.ts';

export interface DeliveryLookups {
  message(appId: string, msgId: string): Promise<Message | undefined>;
  endpoint(appId: string, endpointId: string): Promise<Endpoint | undefined>;
  /** Only operational webhooks need it (appUid); undefined when the lookups were built without applications. */
  application(appId: string): Promise<Application | undefined>;
}

function memoize<T>(load: (appId: string, id: string) => Promise<T>): (appId: string, id: string) => Promise<T> {
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

export function createBatchLookups(stores: {
  messages: MessageStore;
  endpoints: EndpointStore;
  applications?: ApplicationStore;
}): DeliveryLookups {
  const applications = stores.applications;
  const application = memoize((_: string, appId: string) => applications?.get(appId) ?? Promise.resolve(undefined));
  return {
    message: memoize((appId, msgId) => stores.messages.get(appId, msgId)),
    endpoint: memoize((appId, endpointId) => stores.endpoints.get(appId, endpointId)),
    application: (appId) => application('', appId),
  };
}
