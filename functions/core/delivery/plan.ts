/**
 * Which attempt a received delivery task is about to make: its number comes from what was LOGGED for
 * the (message, endpoint), never from how often the queue handed the task out. A receive can be a
 * retry, a task held back by the throttle, or a task whose worker died; only logged attempts count.
 *
 * Cost: the common case (a scheduled task's first receive, for a message published less than
 * FRESH_TASK_MS ago) is attempt 1 without any read: no earlier receive of the task exists, so nothing
 * can have been logged for it. Every other receive reads the DeliveryStatus item (one consistent
 * GetItem); when there is none and the task was received before, the attempt log is read as well (a
 * worker may have died after logging a first-attempt success, which writes no status).
 *
 * What a user sees after a worker dies mid-attempt: nothing in the log for that try (it may or may
 * not have reached the receiver; the webhook-id lets the receiver deduplicate). The task comes back
 * after the queue's visibility timeout and the attempt is made again under the SAME number, so numbers
 * neither skip nor repeat and the schedule keeps all its attempts. A worker that dies after logging
 * but before settling the task costs nothing extra: the next receive finds the logged success (and
 * stops) or the logged failure (and makes the next attempt).
 */
import { idTime } from '../ids.ts';
import { AttemptStatus, TriggerType, type DeliveryStatus, type Message } from '../model.ts';
import type { AttemptStore } from '../ports.ts';
import type { DeliveryTask } from '../tasks/tasks.ts';

/** A first receive of a task for a message younger than this is attempt 1 without a read. */
export const FRESH_TASK_MS = 15 * 60_000;

/** How the queue handed the task out. */
export interface TaskReceipt {
  /** The queue message id: the same on every receive of one task. */
  taskId: string;
  /** The queue's receive count (1 on the first receive). */
  receiveCount: number;
}

export type AttemptPlan =
  | {
      kind: 'attempt';
      number: number;
      /** The stored status; undefined when none exists or none was read. */
      status: DeliveryStatus | undefined;
      /** False on the fast path (the status was not read). */
      statusRead: boolean;
    }
  /** Nothing to send; `exhausted` when the task's schedule had already ended in failure. */
  | { kind: 'done'; reason: string; exhausted: boolean };

export async function planAttempt(
  deps: { attempts: AttemptStore; now: () => Date },
  task: DeliveryTask,
  message: Message,
  receipt: TaskReceipt,
  scheduledAttempts: number,
): Promise<AttemptPlan> {
  const scheduled = task.triggerType === TriggerType.Scheduled;
  const age = deps.now().getTime() - idTime(message.id).getTime();
  if (scheduled && receipt.receiveCount <= 1 && age < FRESH_TASK_MS) {
    return { kind: 'attempt', number: 1, status: undefined, statusRead: false };
  }

  const status = await deps.attempts.getStatus(task.appId, task.endpointId, task.msgId);
  let logged = status?.attempts ?? 0;
  let succeeded = status?.status === AttemptStatus.Success;
  if (status === undefined && receipt.receiveCount > 1) {
    const history = await deps.attempts.history(task.appId, task.msgId, task.endpointId);
    logged = history.scheduled;
    succeeded = history.succeeded;
  }
  // A resend is one attempt of its own, whatever happened before.
  if (!scheduled) return { kind: 'attempt', number: 1, status, statusRead: true };
  if (succeeded) return { kind: 'done', reason: 'already delivered', exhausted: false };
  if (logged >= scheduledAttempts) {
    return { kind: 'done', reason: 'schedule already exhausted', exhausted: status?.status === AttemptStatus.Fail };
  }
  return { kind: 'attempt', number: logged + 1, status, statusRead: true };
}

/**
 * The status to store after an attempt, or null when storing one would change nothing: a success
 * with no earlier status (the common case: no write beyond the attempt itself).
 */
export function statusAfter(
  attempt: { appId: string; msgId: string; endpointId: string; status: AttemptStatus; triggerType: TriggerType; attemptNumber: number; timestamp: string },
  prior: DeliveryStatus | undefined,
  nextAttemptAt: Date | null,
): DeliveryStatus | null {
  const succeeded = attempt.status === AttemptStatus.Success;
  if (succeeded && prior === undefined) return null;
  const base = { appId: attempt.appId, msgId: attempt.msgId, endpointId: attempt.endpointId, lastAttemptAt: attempt.timestamp };
  if (attempt.triggerType === TriggerType.Scheduled) {
    return {
      ...base,
      status: succeeded ? AttemptStatus.Success : nextAttemptAt === null ? AttemptStatus.Fail : AttemptStatus.Pending,
      attempts: attempt.attemptNumber,
      nextAttemptAt: nextAttemptAt?.toISOString() ?? null,
    };
  }
  // Manual: the scheduled count is kept; a failed resend leaves a still-running schedule Pending.
  const stillScheduled = !succeeded && prior?.status === AttemptStatus.Pending;
  return {
    ...base,
    status: succeeded ? AttemptStatus.Success : stillScheduled ? AttemptStatus.Pending : AttemptStatus.Fail,
    attempts: prior?.attempts ?? 0,
    nextAttemptAt: stillScheduled ? (prior?.nextAttemptAt ?? null) : null,
  };
}
