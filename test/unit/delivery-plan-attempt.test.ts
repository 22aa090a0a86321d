/**
 * planAttempt (core/delivery/plan.ts): which attempt a received task makes, and what it reads to know.
 * The README's cost claims live here: a fresh first receive reads nothing; every other receive reads
 * the delivery status once (consistently, in the adapter); the attempt log only when there is no
 * status and the task was received before. The attempt store is an in-memory stand-in that counts
 * reads (the DynamoDB adapter's own reads are covered by the dynamo-* integration tests).
 */
import { FRESH_TASK_MS, planAttempt, statusAfter } from '../../functions/core/delivery/plan.ts';
import { newId } from '../../functions/core/ids.ts';
import { AttemptStatus, TriggerType, type DeliveryStatus, type Message } from '../../functions/core/model.ts';
import type { AttemptHistory, AttemptStore } from '../../functions/core/ports.ts';
import type { DeliveryTask } from '../../functions/core/tasks/tasks.ts';

const NOW = new Date('2026-12-01T12:00:00.000Z');

function messageAged(ms: number): Message {
  return { id: newId('message', new Date(NOW.getTime() - ms)) } as Message;
}

function store(status: DeliveryStatus | undefined, history: AttemptHistory = { scheduled: 0, succeeded: false }) {
  const reads: string[] = [];
  const attempts = {
    async getStatus() {
      reads.push('status');
      return status;
    },
    async history() {
      reads.push('history');
      return history;
    },
  } as unknown as AttemptStore;
  return { reads, deps: { attempts, now: () => NOW } };
}

const task = (triggerType: TriggerType = TriggerType.Scheduled): DeliveryTask => ({ appId: 'app', msgId: 'msg', endpointId: 'ep', triggerType });
const receipt = (receiveCount: number) => ({ taskId: 'task-1', receiveCount });
const status = (s: AttemptStatus, attempts: number): DeliveryStatus => ({
  appId: 'app', msgId: 'msg', endpointId: 'ep', status: s, attempts, lastAttemptAt: NOW.toISOString(), nextAttemptAt: null,
});

describe('planAttempt', () => {
  it('a first receive of a fresh scheduled task is attempt 1 without any read', async () => {
    const s = store(undefined);
    expect(await planAttempt(s.deps, task(), messageAged(FRESH_TASK_MS - 1_000), receipt(1), 8)).toEqual({ kind: 'attempt', number: 1, status: undefined, statusRead: false });
    expect(s.reads).toEqual([]);
  });

  it('fresh means younger than 15 minutes: an older message reads its status (a redrive, a late task)', async () => {
    expect(FRESH_TASK_MS).toBe(15 * 60_000);
    const s = store(undefined);
    expect(await planAttempt(s.deps, task(), messageAged(FRESH_TASK_MS), receipt(1), 8)).toEqual({ kind: 'attempt', number: 1, status: undefined, statusRead: true });
    expect(s.reads).toEqual(['status']);
  });

  it('a task received again reads the status once and numbers the next attempt from it', async () => {
    const pending = status(AttemptStatus.Pending, 3);
    const s = store(pending);
    expect(await planAttempt(s.deps, task(), messageAged(1_000), receipt(5), 8)).toEqual({ kind: 'attempt', number: 4, status: pending, statusRead: true });
    expect(s.reads).toEqual(['status']);
  });

  it('no status on a later receive: the attempt log says what was logged (a first success writes no status)', async () => {
    const delivered = store(undefined, { scheduled: 1, succeeded: true });
    expect(await planAttempt(delivered.deps, task(), messageAged(1_000), receipt(2), 8)).toEqual({ kind: 'done', reason: 'already delivered', exhausted: false });
    expect(delivered.reads).toEqual(['status', 'history']);

    const died = store(undefined, { scheduled: 0, succeeded: false });
    expect(await planAttempt(died.deps, task(), messageAged(1_000), receipt(2), 8)).toEqual({ kind: 'attempt', number: 1, status: undefined, statusRead: true });
  });

  it('a status makes the history read unnecessary', async () => {
    const s = store(status(AttemptStatus.Pending, 1), { scheduled: 7, succeeded: true });
    expect(await planAttempt(s.deps, task(), messageAged(1_000), receipt(2), 8)).toMatchObject({ kind: 'attempt', number: 2 });
    expect(s.reads).toEqual(['status']);
  });

  it('stops once delivered or once the schedule has run out; exhausted only when it ended in Fail', async () => {
    expect(await planAttempt(store(status(AttemptStatus.Success, 2)).deps, task(), messageAged(1_000), receipt(3), 8)).toEqual({
      kind: 'done',
      reason: 'already delivered',
      exhausted: false,
    });
    expect(await planAttempt(store(status(AttemptStatus.Fail, 8)).deps, task(), messageAged(1_000), receipt(9), 8)).toEqual({
      kind: 'done',
      reason: 'schedule already exhausted',
      exhausted: true,
    });
    expect(await planAttempt(store(status(AttemptStatus.Pending, 8)).deps, task(), messageAged(1_000), receipt(9), 8)).toEqual({
      kind: 'done',
      reason: 'schedule already exhausted',
      exhausted: false,
    });
    expect(await planAttempt(store(status(AttemptStatus.Pending, 7)).deps, task(), messageAged(1_000), receipt(8), 8)).toMatchObject({ kind: 'attempt', number: 8 });
  });

  it('a schedule that ran out with no status (only the log knows) is done, not exhausted again', async () => {
    const s = store(undefined, { scheduled: 8, succeeded: false });
    expect(await planAttempt(s.deps, task(), messageAged(1_000), receipt(9), 8)).toEqual({ kind: 'done', reason: 'schedule already exhausted', exhausted: false });
  });

  it('a manual attempt is attempt 1 of its own, whatever happened before, and always reads the status', async () => {
    const failed = status(AttemptStatus.Fail, 8);
    const s = store(failed);
    expect(await planAttempt(s.deps, task(TriggerType.Manual), messageAged(1_000), receipt(1), 8)).toEqual({ kind: 'attempt', number: 1, status: failed, statusRead: true });
    expect(s.reads).toEqual(['status']);
    const delivered = store(undefined, { scheduled: 1, succeeded: true });
    expect(await planAttempt(delivered.deps, task(TriggerType.Manual), messageAged(1_000), receipt(2), 8)).toMatchObject({ kind: 'attempt', number: 1 });
  });
});

describe('statusAfter, exactly', () => {
  const attempt = { appId: 'app', msgId: 'msg', endpointId: 'ep', triggerType: TriggerType.Scheduled, attemptNumber: 2, timestamp: NOW.toISOString() };
  const next = new Date(NOW.getTime() + 300_000);

  it('a scheduled failure: every field', () => {
    expect(statusAfter({ ...attempt, status: AttemptStatus.Fail }, undefined, next)).toEqual({
      appId: 'app',
      msgId: 'msg',
      endpointId: 'ep',
      lastAttemptAt: NOW.toISOString(),
      status: AttemptStatus.Pending,
      attempts: 2,
      nextAttemptAt: next.toISOString(),
    });
  });

  it('a manual failure with no prior status: Fail, no scheduled attempts, nothing next', () => {
    expect(statusAfter({ ...attempt, triggerType: TriggerType.Manual, status: AttemptStatus.Fail }, undefined, null)).toEqual({
      appId: 'app',
      msgId: 'msg',
      endpointId: 'ep',
      lastAttemptAt: NOW.toISOString(),
      status: AttemptStatus.Fail,
      attempts: 0,
      nextAttemptAt: null,
    });
  });
});
