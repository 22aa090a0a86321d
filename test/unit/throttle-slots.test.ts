/**
 * The throttle's arithmetic (core/throttle/throttle.ts): slot spacing, how late a held-back task may
 * still use its slot, how long it is held, and that a claim passes the worker's clock and the
 * spacing to the store. The store is an in-memory GCRA like the DynamoDB one (which
 * test/integration/throttle-claims.test.ts races against DynamoDB Local).
 */
import {
  THROTTLE_MAX_WAIT_MS,
  THROTTLE_RETURN_LEAD_MS,
  createThrottle,
  holdSeconds,
  intervalMs,
  lateGraceMs,
  type ThrottleStore,
} from '../../functions/core/throttle/throttle.ts';

test('slots are 1000 / rate ms apart', () => {
  expect(intervalMs(1)).toBe(1000);
  expect(intervalMs(4)).toBe(250);
  expect(intervalMs(0.5)).toBe(2000);
});

test('a held-back task may use its slot up to half an interval late, at most 250 ms', () => {
  expect(lateGraceMs(1)).toBe(250);
  expect(lateGraceMs(2)).toBe(250);
  expect(lateGraceMs(4)).toBe(125);
  expect(lateGraceMs(10)).toBe(50);
});

test('waits up to 3 s in the worker; a held task returns 1 s before its slot', () => {
  expect(THROTTLE_MAX_WAIT_MS).toBe(3_000);
  expect(THROTTLE_RETURN_LEAD_MS).toBe(1_000);
});

test('holdSeconds: whole seconds, returning about a second early, never less than 1', () => {
  expect(holdSeconds(10_000, 0)).toBe(9);
  expect(holdSeconds(10_999, 0)).toBe(9);
  expect(holdSeconds(11_000, 0)).toBe(10);
  expect(holdSeconds(4_500, 1_000)).toBe(2);
  expect(holdSeconds(1_500, 1_000)).toBe(1);
  expect(holdSeconds(0, 1_000)).toBe(1);
});

test('a claim asks the store for a slot at the worker\'s clock, spaced by the rate', async () => {
  const asked: [string, string, number, number][] = [];
  let next = 0;
  const store: ThrottleStore = {
    async claim(appId, endpointId, nowMs, interval) {
      asked.push([appId, endpointId, nowMs, interval]);
      const slot = Math.max(next, nowMs);
      next = slot + interval;
      return slot;
    },
  };
  const throttle = createThrottle({ store, now: () => new Date(5_000) });
  expect(await throttle.claim('app', 'ep', 2)).toBe(5_000);
  expect(await throttle.claim('app', 'ep', 2)).toBe(5_500);
  expect(asked).toEqual([
    ['app', 'ep', 5_000, 500],
    ['app', 'ep', 5_000, 500],
  ]);
});
