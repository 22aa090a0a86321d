/**
 * Logs the attempts of one delivery batch together: the tasks of a batch run side by side, and each
 * task's record() waits until every task of the batch has either recorded or finished without an
 * attempt, then all of them are written at once (AttemptStore.recordAll: one request per 25 items,
 * and one index entry per message instead of one per attempt).
 *
 * Waiting costs no latency that matters: the webhook has been sent before record() is called, and
 * the batch is only acknowledged when its last task ends. So that a slow receiver cannot hold a
 * fast one's log back (nor put it at risk if the worker dies), a write also goes out `maxWaitMs`
 * after the first attempt waiting for it. A failed write fails every task in it: SQS hands them back
 * and they are attempted and logged again, as when a single record failed.
 */
import type { AttemptRecord, AttemptStore } from '../ports.ts';

export interface TaskRecorder {
  /** The store this task uses: the same as the batch's, except that record() joins the batch write. */
  attempts: AttemptStore;
  /** The task is over (whether or not it recorded an attempt). Idempotent. */
  done(): void;
}

export interface BatchRecorder {
  forTask(): TaskRecorder;
}

interface Waiting {
  record: AttemptRecord;
  resolve(): void;
  reject(error: unknown): void;
}

export function createBatchRecorder(store: AttemptStore, tasks: number, maxWaitMs: number): BatchRecorder {
  let running = tasks;
  let waiting: Waiting[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;

  function flush(): void {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const batch = waiting;
    waiting = [];
    if (batch.length === 0) return;
    store.recordAll(batch.map((w) => w.record)).then(
      () => batch.forEach((w) => w.resolve()),
      (error: unknown) => batch.forEach((w) => w.reject(error)),
    );
  }

  function enqueue(records: readonly AttemptRecord[]): Promise<void> {
    return Promise.all(
      records.map(
        (record) =>
          new Promise<void>((resolve, reject) => {
            waiting.push({ record, resolve, reject });
          }),
      ),
    ).then(() => undefined);
  }

  function settle(): void {
    if (waiting.length === 0) return;
    if (running <= 0) flush();
    else timer ??= setTimeout(flush, maxWaitMs);
  }

  return {
    forTask() {
      let finished = false;
      const finish = (): void => {
        if (finished) return;
        finished = true;
        running--;
      };
      const recordAll = (records: readonly AttemptRecord[]): Promise<void> => {
        const written = enqueue(records);
        finish();
        settle();
        return written;
      };
      return {
        attempts: { ...store, record: (attempt, status) => recordAll([{ attempt, status }]), recordAll },
        done() {
          finish();
          settle();
        },
      };
    },
  };
}
