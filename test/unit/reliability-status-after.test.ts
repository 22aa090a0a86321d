/**
 * What the delivery status becomes after an attempt (core/delivery/plan.ts statusAfter): nothing is
 * written for a first success (one write per delivered webhook); failures and later successes keep
 * the scheduled-attempt count that numbers the next attempt; a manual attempt never moves that count.
 */
import { statusAfter } from '../../functions/core/delivery/plan.ts';
import { AttemptStatus, TriggerType, type DeliveryStatus } from '../../functions/core/model.ts';

const at = '2026-11-30T00:00:00.000Z';
const attempt = (status: AttemptStatus, attemptNumber: number, triggerType: TriggerType = TriggerType.Scheduled) => ({
  appId: 'app', msgId: 'msg', endpointId: 'ep', status, triggerType, attemptNumber, timestamp: at,
});
const prior = (status: AttemptStatus, attempts: number, nextAttemptAt: string | null = null): DeliveryStatus => ({
  appId: 'app', msgId: 'msg', endpointId: 'ep', status, attempts, lastAttemptAt: at, nextAttemptAt,
});
const next = new Date('2026-11-30T00:05:00.000Z');

test('a first success stores nothing', () => {
  expect(statusAfter(attempt(AttemptStatus.Success, 1), undefined, null)).toBeNull();
  expect(statusAfter(attempt(AttemptStatus.Success, 1, TriggerType.Manual), undefined, null)).toBeNull();
});

test('scheduled: Pending with a next attempt, Fail without, Success after earlier failures', () => {
  expect(statusAfter(attempt(AttemptStatus.Fail, 1), undefined, next)).toMatchObject({ status: AttemptStatus.Pending, attempts: 1, nextAttemptAt: next.toISOString() });
  expect(statusAfter(attempt(AttemptStatus.Fail, 3), prior(AttemptStatus.Pending, 2), null)).toMatchObject({ status: AttemptStatus.Fail, attempts: 3, nextAttemptAt: null });
  expect(statusAfter(attempt(AttemptStatus.Success, 2), prior(AttemptStatus.Pending, 1), null)).toMatchObject({ status: AttemptStatus.Success, attempts: 2 });
});

test('manual: keeps the scheduled count; a failed resend leaves a running schedule Pending', () => {
  expect(statusAfter(attempt(AttemptStatus.Fail, 1, TriggerType.Manual), prior(AttemptStatus.Pending, 2, next.toISOString()), null)).toMatchObject({
    status: AttemptStatus.Pending,
    attempts: 2,
    nextAttemptAt: next.toISOString(),
  });
  expect(statusAfter(attempt(AttemptStatus.Fail, 1, TriggerType.Manual), prior(AttemptStatus.Fail, 8), null)).toMatchObject({ status: AttemptStatus.Fail, attempts: 8 });
  expect(statusAfter(attempt(AttemptStatus.Success, 1, TriggerType.Manual), prior(AttemptStatus.Fail, 8), null)).toMatchObject({ status: AttemptStatus.Success, attempts: 8 });
});
