/**
 * The fan-out step: turns one published message (or one recover request) into delivery tasks, one
 * per (message, endpoint). Running it twice for the same task queues duplicates, which
 * at-least-once delivery allows: receivers dedupe on webhook-id.
 */
import { memoize } from '../delivery/lookups.ts';
import { boundaryId } from '../ids.ts';
import { PoisonTaskError } from '../tasks/poison.ts';
import { AttemptStatus, TriggerType, type Endpoint } from '../model.ts';
import type { AttemptStore, EndpointStore, MessageStore } from '../ports.ts';
import { matchesFilter } from '../filtering/filter.ts';
import { isOrderedEndpoint } from '../ordering/ordering.ts';
import { endpointMatches, hasPayloadFilter, type RoutableMessage } from './routing.ts';
import type { DeliveryQueue, DeliveryTask, MessageFanoutTask, RecoverFanoutTask } from '../tasks/tasks.ts';

export interface FanoutDeps {
  stores: {
    messages: Pick<MessageStore, 'get'>;
    endpoints: Pick<EndpointStore, 'all'>;
    attempts: Pick<AttemptStore, 'statusesForEndpoint'>;
  };
  deliveryQueue: DeliveryQueue;
  /** Where deliveries to endpoints marked slow go (core/isolation/endpoint-lanes.ts); absent: one lane. */
  slowLaneQueue?: DeliveryQueue | undefined;
  /**
   * Where deliveries to ordered endpoints go (core/ordering/): one FIFO group per endpoint. Absent:
   * they join the other endpoints' queue, unordered.
   */
  orderedDeliveryQueue?: DeliveryQueue | undefined;
  now?: () => Date;
}

/**
 * Reads each app's endpoints once for one SQS batch: every task in a batch was published before the
 * batch was received, so one consistent read made after the receive is as fresh as one per task.
 * A failed read is not kept (another task of the batch tries again).
 */
export function endpointsOncePerBatch(endpoints: Pick<EndpointStore, 'all'>): Pick<EndpointStore, 'all'> {
  const all = memoize((_: string, appId: string) => endpoints.all(appId));
  return { all: (appId) => all('', appId) };
}

/**
 * Queues a scheduled delivery to every endpoint of the app that the message routes to; returns how
 * many. A missing message throws PoisonTaskError: the API stores the message before queueing the
 * task, so the task can never succeed and belongs in the DLQ.
 */
export async function fanOutMessage(deps: FanoutDeps, task: MessageFanoutTask): Promise<number> {
  const { appId, msgId } = task;
  const routing = await routingOf(deps, task);
  // Strongly consistent (EndpointStore.all): an endpoint created just before the publish must get
  // the message, so this read is not traded for the cheaper eventually consistent one.
  const endpoints = await deps.stores.endpoints.all(appId);
  const matching = await applyPayloadFilters(deps, task, endpoints.filter((endpoint) => endpointMatches(endpoint, routing)));
  const nowMs = (deps.now?.() ?? new Date()).getTime();
  const slow = (endpoint: Endpoint): boolean =>
    deps.slowLaneQueue !== undefined && typeof endpoint.slowUntil === 'string' && Date.parse(endpoint.slowUntil) > nowMs;
  const taskOf = (endpoint: Endpoint): DeliveryTask => ({
    appId,
    msgId,
    endpointId: endpoint.id,
    triggerType: TriggerType.Scheduled,
    endpointRevision: endpoint.revision ?? 0,
  });
  // An ordered endpoint waits for its own previous message only, so it is never diverted to the slow lane.
  const ordered = (endpoint: Endpoint): boolean => deps.orderedDeliveryQueue !== undefined && isOrderedEndpoint(endpoint);
  const unordered = matching.filter((endpoint) => !ordered(endpoint));
  const fast = unordered.filter((endpoint) => !slow(endpoint)).map(taskOf);
  const diverted = unordered.filter(slow).map(taskOf);
  const inOrder = matching.filter(ordered).map(taskOf);
  await Promise.all([
    fast.length > 0 ? deps.deliveryQueue.sendAll(fast) : undefined,
    diverted.length > 0 ? deps.slowLaneQueue!.sendAll(diverted) : undefined,
    inOrder.length > 0 ? deps.orderedDeliveryQueue!.sendAll(inOrder) : undefined,
  ]);
  return matching.length;
}

/**
 * What routing needs (type and channels): from the task when the api put them there, else (a task
 * queued before they were added) from the message record, without its payload. Without the read, a
 * task whose message is gone is no longer poison here: its delivery tasks are (the delivery worker
 * finds no message), which only happens when a publish was undone after its task was queued.
 */
async function routingOf(deps: FanoutDeps, task: MessageFanoutTask): Promise<RoutableMessage> {
  if (task.eventType !== undefined && task.channels !== undefined) return { eventType: task.eventType, channels: task.channels };
  const message = await deps.stores.messages.get(task.appId, task.msgId, { withPayload: false });
  if (message === undefined) throw new PoisonTaskError(`Message ${task.msgId} of app ${task.appId} not found`);
  return message;
}

/**
 * Keeps the endpoints whose payload filter lets the message through. The message (with its payload
 * and tags, which the task does not carry) is read once, and only when one of `routed` has a filter:
 * an app without filters costs no read at all.
 */
async function applyPayloadFilters(deps: FanoutDeps, task: MessageFanoutTask, routed: Endpoint[]): Promise<Endpoint[]> {
  if (!routed.some(hasPayloadFilter)) return routed;
  const message = await deps.stores.messages.get(task.appId, task.msgId, { withPayload: true });
  if (message === undefined) throw new PoisonTaskError(`Message ${task.msgId} of app ${task.appId} not found`);
  return routed.filter((endpoint) => !hasPayloadFilter(endpoint) || matchesFilter(endpoint.filter, message));
}

/**
 * Re-queues, as manual (single, not retried) attempts, the endpoint's messages created in
 * [since, until] whose delivery ended in failure with no success; returns how many.
 */
export async function recoverFailedDeliveries(deps: FanoutDeps, task: RecoverFanoutTask): Promise<number> {
  const { appId, endpointId } = task;
  const lower = boundaryId('message', new Date(task.since), 'start');
  const upper = boundaryId('message', new Date(task.until), 'end');
  const statuses = await deps.stores.attempts.statusesForEndpoint(appId, endpointId, lower, upper);
  const tasks: DeliveryTask[] = statuses
    .filter((s) => s.status === AttemptStatus.Fail)
    .map((s) => ({ appId, msgId: s.msgId, endpointId, triggerType: TriggerType.Manual }));
  if (tasks.length > 0) await deps.deliveryQueue.sendAll(tasks);
  return tasks.length;
}
