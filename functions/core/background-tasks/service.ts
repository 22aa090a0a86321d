/**
 * Background tasks: what recover answers with (`qtask_…`, running) and what a client then polls
 * (GET /background-task/{id}) or lists (GET /background-task) until it is finished or failed. The
 * api stores the task before queueing the work; the worker that does the work settles it.
 */
import { NotFoundError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { BackgroundTask, BackgroundTaskKind } from '../model.ts';
import { paginate, type ListOut, type ListParams } from '../pagination.ts';
import type { BackgroundTaskFilter, BackgroundTaskStore, Stores } from '../ports.ts';

/** A new running task of `appId` (not yet stored). */
export function newBackgroundTask(appId: string, task: BackgroundTaskKind, data: Record<string, unknown>, now: Date): BackgroundTask {
  const at = now.toISOString();
  return { id: newId('task', now), appId, task, status: 'running', data, createdAt: at, updatedAt: at };
}

/** `appId`: the caller's application when it holds an app token (another app's task is a 404). */
export async function getBackgroundTask(stores: Stores, taskId: string, appId: string | undefined): Promise<BackgroundTask> {
  const task = await stores.backgroundTasks?.get(taskId);
  if (task === undefined || (appId !== undefined && task.appId !== appId)) throw new NotFoundError();
  return task;
}

export function listBackgroundTasks(stores: Stores, params: ListParams, filter: BackgroundTaskFilter): Promise<ListOut<BackgroundTask>> {
  const store = stores.backgroundTasks;
  if (store === undefined) return Promise.resolve({ data: [], iterator: null, prevIterator: null, done: true });
  return paginate(params, (query) => store.list(query, filter), (t) => t.id);
}

/**
 * Runs a task's work and settles the task: finished with what `work` reports, or failed with the
 * error (rethrown, so the queue retries; a retry that succeeds settles it finished).
 */
export async function settleAfter<T extends Record<string, unknown>>(
  store: Pick<BackgroundTaskStore, 'settle'> | undefined,
  taskId: string,
  now: () => Date,
  work: () => Promise<T>,
): Promise<T> {
  let result: T;
  try {
    result = await work();
  } catch (error) {
    // Best effort: the queue's retry is what matters, a task item we could not update must not hide the error.
    await store?.settle(taskId, 'failed', { error: error instanceof Error ? error.message : String(error) }, now().toISOString()).catch(() => undefined);
    throw error;
  }
  await store?.settle(taskId, 'finished', result, now().toISOString()).catch((error: unknown) => {
    // A task queued before tasks were stored (an upgrade) has no item to settle: the work is done anyway.
    if (!(error instanceof NotFoundError)) throw error;
  });
  return result;
}
