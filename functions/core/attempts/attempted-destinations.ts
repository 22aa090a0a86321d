/**
 * GET /app/{app}/msg/{msg}/endpoint: the endpoints a message was attempted to, by endpoint id
 * ascending (as Svix), each with its latest attempt's status and the next attempt when one is due.
 *
 * Reads: the message's whole attempt log (its attempt index, one Query, then one BatchGetItem of at most
 * endpoints × attempts each: the fan-out of one message), then for one page of L endpoints their items (≤ L+1 eventually
 * consistent GetItems) and their DeliveryStatus items (one BatchGetItem). No write anywhere.
 *
 * Departure from Svix, on purpose: Svix keeps deleted endpoints (soft delete) and lists them; Sluice
 * deletes endpoints for good, so a deleted endpoint has nothing to show and is left out (its attempts
 * stay in the attempt lists).
 */
import type { Endpoint, MessageAttempt } from '../model.ts';
import { planPage, toListOut, type ListOut, type ListParams } from '../pagination.ts';
import type { Stores } from '../ports.ts';
import { requireApplication } from '../applications/service.ts';
import { requireMessage } from '../messages/service.ts';
import { destinationState, type DeliveryState } from './delivery-state.ts';

export interface AttemptedDestination {
  endpoint: Endpoint;
  state: DeliveryState;
}

export async function listAttemptedDestinations(
  stores: Stores,
  appIdOrUid: string,
  msgIdOrEventId: string,
  params: ListParams,
): Promise<ListOut<AttemptedDestination>> {
  const app = await requireApplication(stores, appIdOrUid);
  const message = await requireMessage(stores, app.id, msgIdOrEventId);
  const latest = new Map<string, MessageAttempt>();
  for (const attempt of await stores.attempts.allForMessage(app.id, message.id)) {
    const known = latest.get(attempt.endpointId);
    if (known === undefined || attempt.id > known.id) latest.set(attempt.endpointId, attempt);
  }

  const plan = planPage(params);
  const { query } = plan;
  const ascending = query.order === 'ascending';
  const ids = [...latest.keys()]
    .filter((id) => query.from === undefined || (ascending ? id > query.from : id < query.from))
    .sort((a, b) => (ascending ? (a < b ? -1 : 1) : a < b ? 1 : -1));

  const want = query.limit + 1;
  const found: AttemptedDestination[] = [];
  for (let i = 0; i < ids.length && found.length < want; ) {
    const chunk = ids.slice(i, i + want - found.length);
    i += chunk.length;
    const [endpoints, statuses] = await Promise.all([
      Promise.all(chunk.map((id) => stores.endpoints.get(app.id, id, { consistent: false }))),
      stores.attempts.statusesOfMessage(app.id, message.id, chunk),
    ]);
    const statusOf = new Map(statuses.map((s) => [s.endpointId, s]));
    chunk.forEach((id, j) => {
      const endpoint = endpoints[j];
      if (endpoint === undefined) return;
      found.push({ endpoint, state: destinationState(latest.get(id)!, statusOf.get(id)) });
    });
  }
  const more = found.length > query.limit;
  return toListOut({ items: found.slice(0, query.limit), more }, plan, (d) => d.endpoint.id);
}
