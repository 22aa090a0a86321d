/**
 * The API's operational webhooks: `endpoint.created`, `endpoint.updated` (PUT, PATCH, secret
 * rotation) and `endpoint.deleted`, with Svix's data `{appId, appUid, endpointId, endpointUid}`. They
 * are queued on the delivery queue like the workers' operational webhooks (./events.ts), so the
 * delivery function signs, sends and retries them; each gets a fresh webhook-id, since two updates of
 * one endpoint carry the same data yet are two events.
 *
 * Best effort once the change is stored: a failure to queue is logged, not answered as an error,
 * because the client would retry a change that already happened (and a retried create would make a
 * second endpoint).
 */
import { newId } from '../ids.ts';
import type { Application, Endpoint } from '../model.ts';
import type { Stores } from '../ports.ts';
import type { OperationalQueue } from '../tasks/tasks.ts';
import { endpointChangeEvent, operationalTask, type EndpointChangeEvent } from './events.ts';

export interface EndpointChangeDeps {
  stores: Stores;
  /** Absent when no operational webhook URL is configured: nothing is sent (and nothing read). */
  operationalQueue?: OperationalQueue | undefined;
  /** Where a failure to queue is reported. */
  reportError?: ((message: string, error: Error) => void) | undefined;
}

/** `app`: the application, or its id (its uid is then read, only when operational webhooks are on). */
export async function notifyEndpointChange(
  deps: EndpointChangeDeps,
  type: EndpointChangeEvent['type'],
  app: Pick<Application, 'id' | 'uid'> | string,
  endpoint: Pick<Endpoint, 'id' | 'uid'>,
): Promise<void> {
  const queue = deps.operationalQueue;
  if (queue === undefined) return;
  try {
    const ref = typeof app === 'string' ? { id: app, uid: (await deps.stores.applications.get(app))?.uid ?? null } : app;
    await queue.send(operationalTask(endpointChangeEvent(type, ref, endpoint), newId('message')));
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    (deps.reportError ?? ((message, e) => console.error(message, e)))(`operational webhook ${type} could not be queued`, failure);
  }
}
