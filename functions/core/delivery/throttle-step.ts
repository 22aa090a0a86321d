/**
 * The throttle step of a delivery (see ./throttle.ts for the algorithm): before an attempt to an
 * endpoint with a throttleRate, wait for a send slot, or hold the task back until one.
 */
import type { DeliveryStatus, Endpoint } from '../model.ts';
import type { AttemptStore } from '../ports.ts';
import { THROTTLE_MAX_WAIT_MS, holdSeconds, lateGraceMs, type Throttle } from '../throttle/throttle.ts';
import type { TaskReceipt } from './plan.ts';
import type { DeliveryTask } from '../tasks/tasks.ts';

export type ThrottleDecision = { kind: 'go' } | { kind: 'hold'; delaySeconds: number };

export interface ThrottleStepDeps {
  throttle: Throttle | undefined;
  attempts: AttemptStore;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
}

/** The slot this task reserved when it was held back, if it is still usable. */
function reservedSlot(status: DeliveryStatus | undefined, receipt: TaskReceipt, nowMs: number, rate: number): number | undefined {
  if (status?.throttleTaskId !== receipt.taskId) return undefined;
  const slot = status.throttleSlotMs;
  if (slot === undefined || slot === null) return undefined;
  // Sending much later than the slot would crowd the next one: a stale reservation is given up.
  return slot >= nowMs - lateGraceMs(rate) ? slot : undefined;
}

/**
 * Go (after sleeping until the slot, at most THROTTLE_MAX_WAIT_MS) or hold the task back. `status` is
 * the stored delivery status when it was read (a held-back task is always received again, so its
 * reservation is read on the slow path of planAttempt).
 */
export async function throttleStep(
  deps: ThrottleStepDeps,
  task: DeliveryTask,
  endpoint: Pick<Endpoint, 'throttleRate'>,
  receipt: TaskReceipt,
  status: DeliveryStatus | undefined,
): Promise<ThrottleDecision> {
  const rate = endpoint.throttleRate;
  if (rate === null || rate === undefined || rate <= 0 || deps.throttle === undefined) return { kind: 'go' };
  let now = deps.now().getTime();
  let slot = reservedSlot(status, receipt, now, rate);
  if (slot === undefined) {
    slot = await deps.throttle.claim(task.appId, task.endpointId, rate);
    now = deps.now().getTime();
    if (slot - now > THROTTLE_MAX_WAIT_MS) {
      await deps.attempts.holdForThrottle(task.appId, task.endpointId, task.msgId, slot, receipt.taskId);
      return { kind: 'hold', delaySeconds: holdSeconds(slot, now) };
    }
  } else if (slot - now > THROTTLE_MAX_WAIT_MS) {
    // Back before its slot (a hold longer than SQS's 12 h comes back early): hold again, keep the slot.
    return { kind: 'hold', delaySeconds: holdSeconds(slot, now) };
  }
  if (slot > now) await deps.sleep(slot - now);
  return { kind: 'go' };
}
