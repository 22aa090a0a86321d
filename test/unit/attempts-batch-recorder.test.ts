import { createBatchRecorder } from '../../functions/core/attempts/batch-recorder.ts';
import { AttemptStatus, TriggerType, type MessageAttempt } from '../../functions/core/model.ts';
import type { AttemptRecord, AttemptStore } from '../../functions/core/ports.ts';

/** An AttemptStore whose recordAll calls are kept (and can be made to fail); nothing else is used. */
function recordingStore(fail?: Error): AttemptStore & { writes: AttemptRecord[][] } {
  const writes: AttemptRecord[][] = [];
  const store = {
    writes,
    async record(attempt: MessageAttempt) {
      await store.recordAll([{ attempt, status: null }]);
    },
    async recordAll(records: readonly AttemptRecord[]) {
      writes.push([...records]);
      if (fail !== undefined) throw fail;
    },
  };
  return store as unknown as AttemptStore & { writes: AttemptRecord[][] };
}

const attempt = (id: string): MessageAttempt => ({
  id,
  appId: 'app_1',
  msgId: 'msg_1',
  endpointId: `ep_${id}`,
  url: 'https://example.com/',
  timestamp: new Date(0).toISOString(),
  responseStatusCode: 200,
  response: '',
  responseDurationMs: 1,
  status: AttemptStatus.Success,
  triggerType: TriggerType.Scheduled,
  attemptNumber: 1,
  eventType: 'a.b',
  channels: null,
  tags: null,
});

const settled = async <T>(p: Promise<T>): Promise<'pending' | 'done'> =>
  Promise.race([p.then(() => 'done' as const), new Promise<'pending'>((r) => setTimeout(() => r('pending'), 20))]);

test('the write waits until every task has recorded or finished, then carries all of them in one call', async () => {
  const store = recordingStore();
  const recorder = createBatchRecorder(store, 3, 10_000);
  const [a, b, c] = [recorder.forTask(), recorder.forTask(), recorder.forTask()];
  const first = a.attempts.record(attempt('1'), null);
  const second = b.attempts.record(attempt('2'), null);
  expect(await settled(first)).toBe('pending');
  expect(store.writes).toEqual([]);
  c.done(); // the third task ended without an attempt (dropped, held, diverted …)
  await Promise.all([first, second]);
  expect(store.writes.map((w) => w.map((r) => r.attempt.id))).toEqual([['1', '2']]);
  a.done();
  b.done();
  expect(store.writes).toHaveLength(1);
});

test('a task still running does not hold the others back longer than maxWaitMs', async () => {
  const store = recordingStore();
  const recorder = createBatchRecorder(store, 2, 30);
  const slow = recorder.forTask();
  const fast = recorder.forTask();
  const started = Date.now();
  await fast.attempts.record(attempt('1'), null);
  expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  expect(store.writes).toHaveLength(1);
  // The slow one records later: all others are done, so it is written at once, on its own.
  await slow.attempts.record(attempt('2'), null);
  expect(store.writes.map((w) => w.map((r) => r.attempt.id))).toEqual([['1'], ['2']]);
});

test('a failed write fails every task in it', async () => {
  const store = recordingStore(new Error('throttled'));
  const recorder = createBatchRecorder(store, 2, 10_000);
  const results = await Promise.allSettled([recorder.forTask().attempts.record(attempt('1'), null), recorder.forTask().attempts.record(attempt('2'), null)]);
  expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  expect(store.writes).toHaveLength(1);
});

test('done() twice, or after recording, counts the task once', async () => {
  const store = recordingStore();
  const recorder = createBatchRecorder(store, 3, 10_000);
  const a = recorder.forTask();
  a.done();
  a.done();
  const b = recorder.forTask();
  const written = b.attempts.record(attempt('2'), null);
  b.done();
  expect(await settled(written)).toBe('pending'); // the third task is still running
  recorder.forTask().done();
  await written;
  expect(store.writes).toHaveLength(1);
});
