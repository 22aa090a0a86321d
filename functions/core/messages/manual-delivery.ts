/** Manual re-delivery: resend one message to one endpoint, or recover an endpoint's failures. */
import { BadRequestError, ValidationError } from '../errors.ts';
import { newBackgroundTask } from '../background-tasks/service.ts';
import { TriggerType } from '../model.ts';
import type { Stores } from '../ports.ts';
import type { DeliveryQueue, FanoutQueue } from '../tasks/tasks.ts';
import { requireEndpoint } from '../endpoints/service.ts';
import { payloadExpired, requireMessage } from './service.ts';

/** Svix refuses recover windows longer than this. */
export const MAX_RECOVER_WINDOW_MS = 14 * 24 * 3_600_000;

export async function resendMessage(
  deps: { stores: Stores; deliveryQueue: DeliveryQueue },
  appIdOrUid: string,
  msgIdOrEventId: string,
  endpointIdOrUid: string,
): Promise<void> {
  const { app, endpoint } = await requireEndpoint(deps.stores, appIdOrUid, endpointIdOrUid);
  const message = await requireMessage(deps.stores, app.id, msgIdOrEventId);
  if (payloadExpired(message)) throw new BadRequestError('Unable to resend message. Payload is missing (probably expired).', 'missing_payload');
  // A disabled endpoint: 202 like Svix, whose worker then sends nothing; the delivery worker here
  // drops the task the same way (nothing is attempted or logged).
  await deps.deliveryQueue.sendAll([
    { appId: app.id, msgId: message.id, endpointId: endpoint.id, triggerType: TriggerType.Manual },
  ]);
}

export interface RecoverTaskOut {
  id: string;
  status: 'running';
  task: 'endpoint.recover';
  updatedAt: string;
}

/**
 * Queues the recovery of an endpoint's failed messages in [since, until]; the fan-out worker does
 * the work, so the request returns at once.
 */
export async function recoverEndpoint(
  deps: { stores: Stores; fanoutQueue: FanoutQueue },
  appIdOrUid: string,
  endpointIdOrUid: string,
  since: Date,
  until: Date | undefined,
): Promise<RecoverTaskOut> {
  const now = new Date();
  const end = until ?? now;
  if (since.getTime() > end.getTime()) throw ValidationError.at(['body', 'since'], 'since must not be after until');
  if (end.getTime() - since.getTime() > MAX_RECOVER_WINDOW_MS) {
    throw ValidationError.at(['body', 'since'], 'the recovery window must not exceed 14 days');
  }
  const { app, endpoint } = await requireEndpoint(deps.stores, appIdOrUid, endpointIdOrUid);
  const window = { endpointId: endpoint.id, since: since.toISOString(), until: end.toISOString() };
  const task = newBackgroundTask(app.id, 'endpoint.recover', window, now);
  // Stored first: a client may poll GET /background-task/{id} as soon as it has the id.
  await deps.stores.backgroundTasks?.put(task);
  try {
    await deps.fanoutQueue.send({ kind: 'recover', taskId: task.id, appId: app.id, ...window });
  } catch (error) {
    await deps.stores.backgroundTasks?.settle(task.id, 'failed', { error: 'the recovery could not be queued' }, new Date().toISOString()).catch(() => undefined);
    throw error;
  }
  return { id: task.id, status: 'running', task: 'endpoint.recover', updatedAt: task.updatedAt };
}
